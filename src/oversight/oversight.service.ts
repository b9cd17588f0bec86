import { Injectable, Logger } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { assertEstablishment, AuthUser } from '../common/auth-user';
import { addDays, Clock, DAY_MS } from '../common/clock';
import { NotFound, ValidationFailed } from '../common/errors';
import { TIERS, Tier } from '../common/vocabulary';

/** The forecast learns arrival rates and handling times from this many days. */
export const FORECAST_WINDOW_DAYS = 28;
import { WorkingCalendar } from '../common/working-days';
import { EstablishmentRow, EstablishmentsService } from '../establishments/establishments.service';
import { effectiveRetentionDays } from '../establishments/settings';
import {
  buildSummary,
  FLOW_WINDOW_DAYS,
  meanHandlingMinutes,
  PURGE_WARNING_DAYS,
  reconcile,
} from './backlog-figures';
import { forecastBacklog } from './forecast';
import { BacklogRepository } from './backlog.repository';

@Injectable()
export class OversightService {
  private readonly logger = new Logger(OversightService.name);

  constructor(
    private readonly backlog: BacklogRepository,
    private readonly establishments: EstablishmentsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async summary(actor: AuthUser, establishment: string) {
    const row = await this.visibleEstablishment(actor, establishment);
    return this.computeSummary(row, this.clock.now());
  }

  async computeSummary(establishment: EstablishmentRow, at: Date) {
    const code = establishment.code;
    // Made before this instant, a call is purged within PURGE_WARNING_DAYS (rule 35D's period ends).
    const purgedBy = addDays(
      at,
      PURGE_WARNING_DAYS - effectiveRetentionDays(establishment.settings.retentionDays),
    );
    const [pending, counts, flow, purgeUnheard] = await Promise.all([
      this.backlog.pendingByTier(code, at),
      this.backlog.statusCounts(code),
      this.backlog.flow(code, addDays(at, -FLOW_WINDOW_DAYS), at),
      this.backlog.unheardMadeBefore(code, purgedBy),
    ]);
    return buildSummary({
      establishmentCode: code,
      at,
      pending,
      ...counts,
      flow,
      purgeUnheardNext7Days: purgeUnheard,
    });
  }

  async trend(actor: AuthUser, establishment: string, days: number) {
    await this.visibleEstablishment(actor, establishment);
    const since = addDays(this.clock.now(), -days);
    const items = await this.backlog.snapshots(establishment, since);
    return { establishmentCode: establishment, days, items, total: items.length };
  }

  /** Worker job: one snapshot per establishment for the current hour (a repeat in the hour is a no-op). */
  async snapshotAll(): Promise<number> {
    const at = this.clock.now();
    const hour = new Date(Math.floor(at.getTime() / 3_600_000) * 3_600_000);
    let taken = 0;
    for (const establishment of await this.establishments.list(null)) {
      const { code } = establishment;
      const summary = await this.computeSummary(establishment, at);
      const day = await this.backlog.flow(code, new Date(at.getTime() - DAY_MS), at);
      const inserted = await this.backlog.insertSnapshot(code, hour, {
        pending: summary.pending.total,
        breached: TIERS.reduce((n, t) => n + summary.pending.byTier[t].breached, 0),
        byTier: Object.fromEntries(
          TIERS.map((t) => [t, summary.pending.byTier[t].count]),
        ) as Record<Tier, number>,
        claimed: summary.claimed,
        awaitingTranslation: summary.awaitingTranslation,
        arrivals24h: day.arrivals,
        logs24h: day.logs,
      });
      if (inserted) taken += 1;
    }
    if (taken) this.logger.log({ establishments: taken, hour }, 'Backlog snapshots taken');
    return taken;
  }

  async listeners(actor: AuthUser, establishment: string) {
    await this.visibleEstablishment(actor, establishment);
    const at = this.clock.now();
    const today = WorkingCalendar.londonDate(at);
    const startOfDay = new Date(`${today}T00:00:00Z`);
    const rows = await this.backlog.listeners(establishment, at, startOfDay, today);
    const items = rows.map((r) => ({
      username: r.username,
      displayName: r.displayName,
      claimedNow: r.claimedNow,
      loggedToday: r.loggedToday,
      logged7Days: r.logged7Days,
      meanHandlingMinutes:
        r.meanHandlingSeconds === null ? null : Math.round((r.meanHandlingSeconds / 60) * 10) / 10,
      leadPrisoners: r.leadPrisoners,
      trainings: r.trainings,
      languages: r.languages,
    }));
    return { establishmentCode: establishment, items, total: items.length };
  }

  /** When each tier's backlog clears with this staffing, and the smallest staffing meeting every SLA. */
  async forecast(actor: AuthUser, establishment: string, listeners: number, hoursPerDay: number) {
    const { settings } = await this.visibleEstablishment(actor, establishment);
    const at = this.clock.now();
    const [arrivals, pending, flow] = await Promise.all([
      this.backlog.arrivalsByTier(establishment, addDays(at, -FORECAST_WINDOW_DAYS), at),
      this.backlog.pendingByTier(establishment, at),
      this.backlog.flow(establishment, addDays(at, -FORECAST_WINDOW_DAYS), at),
    ]);
    const tiers = Object.fromEntries(
      TIERS.map((tier) => {
        const row = pending.find((r) => r.tier === tier);
        return [
          tier,
          {
            arrivalsPerDay: (arrivals[tier] ?? 0) / FORECAST_WINDOW_DAYS,
            backlog: row?.count ?? 0,
            oldestAgeHours: row?.oldestStartedAt
              ? (at.getTime() - new Date(row.oldestStartedAt).getTime()) / 3_600_000
              : null,
            slaHours: settings.slaHours[tier],
          },
        ];
      }),
    ) as Record<
      Tier,
      { arrivalsPerDay: number; backlog: number; oldestAgeHours: number | null; slaHours: number }
    >;
    const result = forecastBacklog({
      now: at,
      listeners,
      hoursPerDay,
      meanHandlingMinutes: meanHandlingMinutes(flow),
      tiers,
    });
    return {
      establishmentCode: establishment,
      generatedAt: at.toISOString(),
      windowDays: FORECAST_WINDOW_DAYS,
      ...result,
    };
  }

  async reconciliation(actor: AuthUser, establishment: string, from?: Date, to?: Date) {
    await this.visibleEstablishment(actor, establishment);
    const end = to ?? this.clock.now();
    const start = from ?? addDays(end, -7);
    if (start.getTime() >= end.getTime()) throw ValidationFailed.field('from', 'must be before to');
    if (end.getTime() - start.getTime() > 366 * DAY_MS)
      throw ValidationFailed.field('from', 'the period may be at most a year');
    const calls = await this.backlog.reconciliation(establishment, start, end);
    const result = reconcile(calls);
    await this.audit.record(actor, {
      action: 'RECONCILIATION_READ',
      entityType: 'establishment',
      entityId: establishment,
      establishmentCode: establishment,
      details: { from: start, to: end, calls: result.total, unexplained: result.unexplained.total },
    });
    return {
      establishmentCode: establishment,
      from: start.toISOString(),
      to: end.toISOString(),
      ...result,
    };
  }

  private async visibleEstablishment(actor: AuthUser, establishment: string) {
    assertEstablishment(actor, establishment);
    const row = await this.establishments.find(establishment);
    if (!row) throw new NotFound(`No establishment ${establishment}`);
    return row;
  }
}
