/**
 * Staffing forecast for the listening queue: a pure, deterministic fluid estimate.
 *
 * Everything here is arithmetic on averages (arrivals per day by tier over the last 28 days, one
 * mean handling time), so the HTTP layer gathers the numbers and this module only computes. The
 * model, in one paragraph:
 *
 * Listeners hear `C = listeners × hoursPerDay × 60 / meanHandlingMinutes` calls a day. Tiers are
 * heard in strict priority order, so tiers P1..Pk together behave as one queue that gets the whole
 * capacity while any of them has calls waiting: their combined backlog `S_k = B_1 + … + B_k` shrinks
 * at `C − (λ_1 + … + λ_k)` calls a day and clears after `T_k = S_k / (C − Λ_k)` days. If that rate
 * is not positive the tier never clears (unstable). A call of tier k arriving now waits for the
 * calls already queued at its tier and above, plus the higher-tier calls that arrive meanwhile (but
 * not later calls of its own tier, which queue behind it): `W_k = S_k / (C − Λ_{k−1})` days. Waits
 * only shrink after that while the tier is stable, so the tier meets its SLA going forward when it
 * is stable and `W_k` plus one handling time is within the SLA.
 */
import { TIERS, Tier } from '../common/vocabulary';

export interface TierForecastInput {
  /** Mean calls per day entering this tier (e.g. arrivals over the last 28 days / 28). */
  arrivalsPerDay: number;
  /** Calls of this tier waiting to be heard now. */
  backlog: number;
  /** Age of the oldest waiting call of this tier, null when none waits. */
  oldestAgeHours: number | null;
  /** The tier's SLA, from the call's start to being heard. */
  slaHours: number;
}

export interface ForecastInput {
  now: Date;
  /** Listeners on duty (a whole number, 0 allowed). */
  listeners: number;
  /** Listening hours each listener gives per calendar day, averaged over the week. */
  hoursPerDay: number;
  /** Mean minutes a listener spends on one call (listening and logging). */
  meanHandlingMinutes: number;
  tiers: Record<Tier, TierForecastInput>;
}

export interface TierForecast {
  arrivalsPerDay: number;
  backlog: number;
  /** Capacity left after this tier and the tiers above it exceeds zero (or the tier has no work). */
  stable: boolean;
  /** Days until this tier's backlog is empty (1 decimal); null when it never clears. */
  clearsInDays: number | null;
  /** ISO time the backlog is empty; null when it never clears (or beyond any representable date). */
  clearsAt: string | null;
  /**
   * Hours from arrival to heard, handling included, for a call of this tier arriving now (1
   * decimal); null when unstable, 0 when the tier has no calls.
   */
  expectedWaitHours: number | null;
  slaHours: number;
  /** A call arriving now (and every later one) is heard within the SLA. */
  slaMet: boolean;
  /** The oldest waiting call is already past its SLA. Staffing cannot undo this. */
  breachedNow: boolean;
}

export interface BacklogForecast {
  listeners: number;
  hoursPerDay: number;
  meanHandlingMinutes: number;
  /** Calls a day the given staffing can hear (1 decimal). */
  capacityPerDay: number;
  /** All arrivals as a share of capacity (2 decimals); above 1 the queue grows without limit. */
  utilisation: number | null;
  tiers: Record<Tier, TierForecast>;
  allSlasMet: boolean;
  /** Fewest listeners at this hoursPerDay meeting every SLA; 0 when there is no work; null if none up to 5000. */
  smallestListenersMeetingAllSlas: number | null;
  /** Listener-hours a day needed just to keep up with arrivals, ignoring the backlog (1 decimal). */
  requiredListenerHoursPerDay: number;
  /** What the model ignores, in plain English. */
  assumptions: string[];
}

/** The largest staffing the search for the smallest one tries. */
export const MAX_LISTENERS_SEARCHED = 5000;

export const FORECAST_ASSUMPTIONS: readonly string[] = [
  'Averages only: a fluid estimate from mean arrival rates and one mean handling time, not a stochastic queue. Bursts of arrivals and long calls make real waits longer, so treat a tier close to its SLA or to full utilisation as at risk.',
  'Arrivals are assumed to continue at the rate of the last 28 days, spread evenly over the day and the week; the time of day calls arrive is ignored.',
  'Every listener is assumed able to hear every call: training, language and establishment eligibility are ignored.',
  'Calls awaiting translation are not counted in the backlog or the arrivals.',
  'Within a tier calls are taken oldest first; the risk credits and the continuity credit that reorder calls within a tier are ignored.',
  'Staffing is constant: shifts, breaks, leave, sickness and weekends are ignored beyond the average hours per day given.',
  'Higher tiers are always heard first (strict priority): a tier gets only the capacity its superiors leave over.',
];

const MS_PER_DAY = 86_400_000;
const MAX_DATE_MS = 8.64e15;

/** Calls a day that `listeners` can hear: `listeners × hoursPerDay × 60 / meanHandlingMinutes`. */
export function capacityPerDay(
  listeners: number,
  hoursPerDay: number,
  meanHandlingMinutes: number,
): number {
  return (listeners * hoursPerDay * 60) / meanHandlingMinutes;
}

/**
 * The SLA test for one tier, in the fluid priority model. With capacity `C` calls a day, tier k is
 * stable when `C > Λ_k` (arrivals of tiers 1..k); a tier with no arrivals and no backlog is always
 * stable and always meets its SLA (there is nothing to be late). A call of tier k arriving now is
 * heard after
 *
 *   `W_k = (B_1 + … + B_k) / (C − Λ_{k−1})` days
 *
 * (everything already queued at its tier and above, while higher-tier arrivals keep jumping ahead)
 * and then takes one handling time. Later arrivals wait less while the tier is stable, so
 *
 *   `slaMet = stable && W_k × 24 + meanHandlingMinutes / 60 <= slaHours`.
 */
export function tierSlaMet(params: {
  stable: boolean;
  waitDays: number | null;
  meanHandlingMinutes: number;
  slaHours: number;
  hasWork: boolean;
}): boolean {
  if (!params.hasWork) return true;
  if (!params.stable || params.waitDays === null) return false;
  return params.waitDays * 24 + params.meanHandlingMinutes / 60 <= params.slaHours;
}

interface ExactTier {
  hasWork: boolean;
  stable: boolean;
  clearsInDays: number | null;
  waitDays: number | null;
  slaMet: boolean;
}

/** Exact (unrounded) per-tier figures for a staffing level; input assumed valid. */
function exactTiers(input: ForecastInput, listeners: number): Record<Tier, ExactTier> {
  const capacity = capacityPerDay(listeners, input.hoursPerDay, input.meanHandlingMinutes);
  let backlogAbove = 0; // S_{k−1}
  let arrivalsAbove = 0; // Λ_{k−1}
  const out = {} as Record<Tier, ExactTier>;
  for (const tier of TIERS) {
    const t = input.tiers[tier];
    const backlogHere = backlogAbove + t.backlog; // S_k
    const arrivalsHere = arrivalsAbove + t.arrivalsPerDay; // Λ_k
    const hasWork = t.backlog > 0 || t.arrivalsPerDay > 0;
    const drain = capacity - arrivalsHere; // C − Λ_k
    const stable = !hasWork || drain > 0;
    const clearsInDays = !hasWork ? 0 : stable ? backlogHere / drain : null;
    const waitDays = !hasWork ? 0 : stable ? backlogHere / (capacity - arrivalsAbove) : null;
    const slaMet = tierSlaMet({
      stable,
      waitDays,
      meanHandlingMinutes: input.meanHandlingMinutes,
      slaHours: t.slaHours,
      hasWork,
    });
    out[tier] = { hasWork, stable, clearsInDays, waitDays, slaMet };
    backlogAbove = backlogHere;
    arrivalsAbove = arrivalsHere;
  }
  return out;
}

function allMet(input: ForecastInput, listeners: number): boolean {
  const tiers = exactTiers(input, listeners);
  return TIERS.every((tier) => tiers[tier].slaMet);
}

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

function requireFinite(value: number, name: string, ok: (v: number) => boolean, rule: string) {
  if (typeof value !== 'number' || !Number.isFinite(value) || !ok(value)) {
    throw new Error(`${name} must be ${rule} (got ${String(value)})`);
  }
}

/** Throws a descriptive Error for input the model cannot use. */
export function validateForecastInput(input: ForecastInput): void {
  if (!(input.now instanceof Date) || Number.isNaN(input.now.getTime())) {
    throw new Error('now must be a valid Date');
  }
  requireFinite(
    input.listeners,
    'listeners',
    (v) => Number.isInteger(v) && v >= 0,
    'a whole number ≥ 0',
  );
  requireFinite(input.hoursPerDay, 'hoursPerDay', (v) => v > 0 && v <= 24, 'in (0, 24]');
  requireFinite(input.meanHandlingMinutes, 'meanHandlingMinutes', (v) => v > 0, '> 0');
  if (input.tiers === null || typeof input.tiers !== 'object') {
    throw new Error('tiers must give every tier P1–P4');
  }
  for (const tier of TIERS) {
    const t = input.tiers[tier];
    if (t === null || typeof t !== 'object') throw new Error(`tiers.${tier} is missing`);
    requireFinite(t.arrivalsPerDay, `tiers.${tier}.arrivalsPerDay`, (v) => v >= 0, '≥ 0');
    requireFinite(t.backlog, `tiers.${tier}.backlog`, (v) => v >= 0, '≥ 0');
    requireFinite(t.slaHours, `tiers.${tier}.slaHours`, (v) => v > 0, '> 0');
    if (t.oldestAgeHours !== null) {
      requireFinite(t.oldestAgeHours, `tiers.${tier}.oldestAgeHours`, (v) => v >= 0, '≥ 0 or null');
    }
  }
}

/**
 * The fewest whole listeners (at the input's hoursPerDay and handling time) for which every tier
 * with arrivals or backlog meets its SLA going forward, by binary search over 0..5000 (meeting the
 * SLAs is monotone in staffing). 0 when there is no work at all; null when even 5000 listeners
 * would not do (e.g. an SLA shorter than one handling time). Calls already past their SLA
 * (`breachedNow`) are not considered: no staffing can undo them.
 */
export function smallestStaffingMeetingAllSlas(input: ForecastInput): number | null {
  validateForecastInput(input);
  if (!allMet(input, MAX_LISTENERS_SEARCHED)) return null;
  let lo = 0;
  let hi = MAX_LISTENERS_SEARCHED; // allMet(hi) holds throughout
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (allMet(input, mid)) hi = mid;
    else lo = mid + 1;
  }
  return hi;
}

/** The forecast for the staffing in `input`: see the module comment for the model. */
export function forecastBacklog(input: ForecastInput): BacklogForecast {
  validateForecastInput(input);
  const capacity = capacityPerDay(input.listeners, input.hoursPerDay, input.meanHandlingMinutes);
  const totalArrivals = TIERS.reduce((sum, tier) => sum + input.tiers[tier].arrivalsPerDay, 0);
  const exact = exactTiers(input, input.listeners);
  const nowMs = input.now.getTime();

  const tiers = {} as Record<Tier, TierForecast>;
  for (const tier of TIERS) {
    const t = input.tiers[tier];
    const e = exact[tier];
    const clearsAtMs = e.clearsInDays === null ? null : nowMs + e.clearsInDays * MS_PER_DAY;
    tiers[tier] = {
      arrivalsPerDay: round(t.arrivalsPerDay, 1),
      backlog: t.backlog,
      stable: e.stable,
      clearsInDays: e.clearsInDays === null ? null : round(e.clearsInDays, 1),
      clearsAt:
        clearsAtMs === null || Math.abs(clearsAtMs) > MAX_DATE_MS
          ? null
          : new Date(clearsAtMs).toISOString(),
      expectedWaitHours:
        e.waitDays === null
          ? null
          : round(e.waitDays * 24 + (e.hasWork ? input.meanHandlingMinutes / 60 : 0), 1),
      slaHours: t.slaHours,
      slaMet: e.slaMet,
      breachedNow: t.oldestAgeHours !== null && t.backlog > 0 && t.oldestAgeHours > t.slaHours,
    };
  }

  return {
    listeners: input.listeners,
    hoursPerDay: input.hoursPerDay,
    meanHandlingMinutes: input.meanHandlingMinutes,
    capacityPerDay: round(capacity, 1),
    utilisation: capacity > 0 ? round(totalArrivals / capacity, 2) : totalArrivals > 0 ? null : 0,
    tiers,
    allSlasMet: TIERS.every((tier) => exact[tier].slaMet),
    smallestListenersMeetingAllSlas: smallestStaffingMeetingAllSlas(input),
    requiredListenerHoursPerDay: round((totalArrivals * input.meanHandlingMinutes) / 60, 1),
    assumptions: [...FORECAST_ASSUMPTIONS],
  };
}
