/** What the simulator is given and what it answers (API.md, "Simulation"). */
import { Tier, Training } from '../common/vocabulary';
import { TriageFacts } from '../triage/triage-facts';

export const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/**
 * One call of the period: what triage reads about it (its settings and the languages listeners
 * speak come from the simulation, not from here) and how long it lasted.
 */
export interface SimulatedCall {
  id: string;
  facts: Omit<TriageFacts, 'settings' | 'listenerLanguages'>;
  durationSeconds: number;
  /** When it reaches the queue; by default when it ends (started + duration). */
  arrivedAt?: Date;
}

/** A row of the staffing plan: `listeners` people, each working these days from start to end. */
export interface StaffingRow {
  listeners: number;
  days: readonly Weekday[];
  /** "HH:MM", London time; `end` after `start` on the same day ("24:00" is midnight). */
  start: string;
  end: string;
  trainings: readonly Training[];
  /** Languages spoken besides English. */
  languages: readonly string[];
  /** Establishments they hear calls of; by default every establishment in the simulation. */
  establishments?: readonly string[];
}

export type HandlingModel =
  | { kind: 'FIXED'; meanMinutes: number; sdMinutes: number; seed?: number }
  | { kind: 'OBSERVED'; handlingSeconds: readonly number[]; seed?: number };

/** The establishment settings the simulation uses (the stored ones, merged with the defaults). */
export interface SimulationSettings {
  slaHours: Record<Tier, number>;
  mailSlaHours: Record<Tier, number>;
  keywordLexicon: readonly string[];
  continuityCreditHours: number;
  retentionDays: number;
}

export type SettingsOverride = Partial<
  Omit<SimulationSettings, 'slaHours' | 'mailSlaHours'> & {
    slaHours: Partial<Record<Tier, number>>;
    mailSlaHours: Partial<Record<Tier, number>>;
  }
>;

export const POLICY_KINDS = ['CURRENT', 'FIFO', 'MAPPA_LEVEL'] as const;
export type PolicyKind = (typeof POLICY_KINDS)[number];

/** A policy to run: its kind, the name its result is reported under, and (CURRENT) changed settings. */
export interface PolicyRun {
  name: string;
  kind: PolicyKind;
  settings?: SettingsOverride;
}

export interface SimulationInput {
  /** The period simulated: calls arriving in [from, to); nothing is waiting at `from`. */
  from: Date;
  to: Date;
  calls: readonly SimulatedCall[];
  staffing: readonly StaffingRow[];
  handling: HandlingModel;
  settings: SimulationSettings;
  policies: readonly PolicyRun[];
  /** Also answer every claim (who heard which call, when): for tests and diagnosis. */
  trace?: boolean;
}

export interface TierFigures {
  calls: number;
  heard: number;
  heardWithinSla: number;
  /** Of the calls heard or due by the end of the period (one not yet due has not missed its SLA). */
  heardWithinSlaPercent: number;
  medianWaitHours: number;
  p95WaitHours: number;
  /** Still waiting at the end of the period. */
  unheard: number;
  /** Left the queue unheard when its retention ran out. */
  purgedUnheard: number;
}

export interface GroupFigures {
  calls: number;
  heardWithinSla: number;
  heardWithinSlaPercent: number;
}

/** One claim: the listener took the call at `claimedAt` and logged it at `loggedAt`. */
export interface Claim {
  callId: string;
  listener: string;
  claimedAt: Date;
  loggedAt: Date;
}

export interface PolicyResult {
  byTier: Record<Tier, TierFigures>;
  victimContact: GroupFigures;
  patternAlert: GroupFigures;
  utilisationPercent: number;
  backlogHourly: { at: string; waiting: number }[];
  claims?: Claim[];
}

export interface SimulationResult {
  /** Calls that entered the queue (or wait for a translation); privileged and unmonitored calls do not. */
  calls: number;
  /** Calls triage kept out of the queue (privileged, not covered by an authorisation). */
  notQueued: number;
  /** Calls in a language no listener of the plan speaks: they wait, unheard (translation is not simulated). */
  awaitingTranslation: number;
  listenerHours: number;
  policies: Record<string, PolicyResult>;
}
