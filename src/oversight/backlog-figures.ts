/**
 * The figures an inspector asks for, computed from the raw counts (pure; the SQL only counts).
 * README "Oversight figures" explains each one.
 */
import { TIERS, Tier } from '../common/vocabulary';
import { FlowFigures, PendingByTier, ReconciliationCounts } from './backlog.repository';

export const FLOW_WINDOW_DAYS = 7;
/** Listening plus writing the log, when no logs yet tell us how long listeners take. */
export const HANDLING_FACTOR_WITHOUT_LOGS = 1.5;
export const DEFAULT_HANDLING_MINUTES = 10;

export interface BacklogSummary {
  establishmentCode: string;
  generatedAt: string;
  pending: {
    total: number;
    byTier: Record<Tier, { count: number; breached: number; oldestStartedAt: string | null }>;
  };
  ageBuckets: { '0-24h': number; '1-3d': number; '3-7d': number; '7-30d': number; '30d+': number };
  claimed: number;
  awaitingTranslation: number;
  last7Days: { arrivalsPerDay: number; logsPerDay: number; loggedWithinSlaPercent: number | null };
  projectedClearanceDays: number | null;
  requiredListenerHoursPerDay: number;
  meanHandlingMinutes: number;
  /** Calls not yet heard (waiting, held, awaiting translation) that retention purges within 7 days. */
  purgeUnheardNext7Days: number;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/** How far ahead the summary warns of unheard calls that retention will purge. */
export const PURGE_WARNING_DAYS = 7;

/** Mean minutes a listener spends on a call: measured from logs when there are any. */
export function meanHandlingMinutes(
  flow: Pick<FlowFigures, 'meanHandlingSeconds' | 'meanDurationSeconds'>,
): number {
  if (flow.meanHandlingSeconds !== null && flow.meanHandlingSeconds > 0)
    return flow.meanHandlingSeconds / 60;
  if (flow.meanDurationSeconds !== null && flow.meanDurationSeconds > 0) {
    return (flow.meanDurationSeconds / 60) * HANDLING_FACTOR_WITHOUT_LOGS;
  }
  return DEFAULT_HANDLING_MINUTES;
}

export function buildSummary(input: {
  establishmentCode: string;
  at: Date;
  pending: PendingByTier[];
  claimed: number;
  awaitingTranslation: number;
  flow: FlowFigures;
  purgeUnheardNext7Days: number;
}): BacklogSummary {
  const byTier = Object.fromEntries(
    TIERS.map((tier) => {
      const row = input.pending.find((r) => r.tier === tier);
      return [
        tier,
        {
          count: row?.count ?? 0,
          breached: row?.breached ?? 0,
          oldestStartedAt: row?.oldestStartedAt
            ? new Date(row.oldestStartedAt).toISOString()
            : null,
        },
      ];
    }),
  ) as BacklogSummary['pending']['byTier'];
  const sum = (f: (r: PendingByTier) => number) => input.pending.reduce((n, r) => n + f(r), 0);
  const total = sum((r) => r.count);
  const arrivalsPerDay = input.flow.arrivals / FLOW_WINDOW_DAYS;
  const logsPerDay = input.flow.logs / FLOW_WINDOW_DAYS;
  const net = logsPerDay - arrivalsPerDay;
  const handling = meanHandlingMinutes(input.flow);
  return {
    establishmentCode: input.establishmentCode,
    generatedAt: input.at.toISOString(),
    pending: { total, byTier },
    ageBuckets: {
      '0-24h': sum((r) => r.age0to24h),
      '1-3d': sum((r) => r.age1to3d),
      '3-7d': sum((r) => r.age3to7d),
      '7-30d': sum((r) => r.age7to30d),
      '30d+': sum((r) => r.age30dPlus),
    },
    claimed: input.claimed,
    awaitingTranslation: input.awaitingTranslation,
    last7Days: {
      arrivalsPerDay: round1(arrivalsPerDay),
      logsPerDay: round1(logsPerDay),
      loggedWithinSlaPercent:
        input.flow.loggedCalls > 0
          ? round1((100 * input.flow.loggedWithinSla) / input.flow.loggedCalls)
          : null,
    },
    projectedClearanceDays: total === 0 ? 0 : net > 0 ? round1(total / net) : null,
    requiredListenerHoursPerDay: round1((arrivalsPerDay * handling) / 60),
    meanHandlingMinutes: round1(handling),
    purgeUnheardNext7Days: input.purgeUnheardNext7Days,
  };
}

/**
 * Every call an authorisation covered is logged (and heard), logged with an unusable recording
 * (counted apart: not heard), pending, claimed, excluded (privileged, or monitoring
 * ended before it was heard) or unexplained: never triaged, left unqueued while monitoring was
 * active, or purged unheard. The counts come from the database; this says why each unexplained call
 * listed is (the oldest RECONCILIATION_ITEMS; `total` counts them all).
 */
export function reconcile(counts: ReconciliationCounts) {
  const items = counts.unexplained.map((c) => ({
    callId: c.id,
    prisonNumber: c.prisonNumber,
    startedAt: new Date(c.startedAt).toISOString(),
    status: c.status,
    reason:
      c.status === 'RECEIVED'
        ? 'received but never triaged'
        : c.status === 'NOT_MONITORED'
          ? 'not queued although an active authorisation covers it'
          : c.status === 'PURGED'
            ? 'purged at the end of retention without being heard'
            : `status ${c.status} without a log`,
  }));
  return {
    total: counts.total,
    logged: counts.logged,
    unusable: counts.unusable,
    pending: counts.pending,
    claimed: counts.claimed,
    excluded: {
      total: counts.privileged + counts.monitoringEnded,
      privileged: counts.privileged,
      monitoringEnded: counts.monitoringEnded,
    },
    unexplained: { total: counts.unexplainedTotal, items },
  };
}
