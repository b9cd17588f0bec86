/**
 * Escalation rules v2 (DESIGN.md "Escalation rules", README "Escalation rules"). Pure: what a log
 * shows decides which people must act and by when; the service only stores the result.
 */
import { HOUR_MS } from '../common/clock';
import {
  ConcernLevel,
  concernRank,
  EscalationTarget,
  Imminence,
  isHighConcern,
  RecordingQuality,
  RoshLevel,
  Theme,
  ThreatType,
} from '../common/vocabulary';
import { WorkingCalendar } from '../common/working-days';
import { isSeriousThreat } from '../logs/log-rules';

export interface ThreatFacts {
  type: ThreatType;
  imminence: Imminence;
}

export interface LogFacts {
  concernLevel: ConcernLevel;
  themes: readonly Theme[];
  threats: readonly ThreatFacts[];
  recordingQuality: RecordingQuality;
}

export interface PrisonerFacts {
  mappaCategory: number | null;
  mappaLevel: number | null;
  roshLevel: RoshLevel | null;
  alertCodes: readonly string[];
}

export type DueRule =
  { kind: 'hours'; hours: number } | { kind: 'workingDays'; days: number } | { kind: 'nextIrmm' };

export interface EscalationNeed {
  target: EscalationTarget;
  due: DueRule;
  reason: string;
}

/** Themes that always reach the POM and the IRMM, and MAPPA when the level may need review. */
export const SAFEGUARDING_THEMES: readonly Theme[] = [
  'CHILD_SAFEGUARDING',
  'VICTIM_CONTACT',
  'BREACH_OF_ORDER',
];

/** Themes security must see within a working day: intelligence, not only risk to one person. */
export const SECURITY_THEMES: readonly Theme[] = [
  'EXTREMISM',
  'WITNESS_INTIMIDATION',
  'SECURITY_INTELLIGENCE',
];

/**
 * Themes of harm to a known person: at MAPPA level 1 (or a MAPPA case whose level is not set) they
 * ask for a level review, the report having found 22% of Level 1 cases should have been Level 2.
 */
export const HARM_THEMES: readonly Theme[] = [
  'THREATS_TO_HARM',
  'CONTROLLING_BEHAVIOUR',
  'HARASSMENT_STALKING',
];

/** Alert codes of domestic abuse and stalking: outside MAPPA at high RoSH, consider Category 3. */
export const CATEGORY_3_ALERT_CODES: readonly string[] = ['RDV', 'RSP'];

/**
 * Themes the community offender manager must hear of: who the prisoner may reach after release,
 * and the plans for it (the report's poor cases: pre-release planning without what monitoring found).
 */
export const COM_THEMES: readonly Theme[] = [
  'CHILD_SAFEGUARDING',
  'VICTIM_CONTACT',
  'RELEASE_PLANNING',
];

/** MAPPA levels whose high-concern logs the COM must hear of (managed by multi-agency meetings). */
export const COM_MAPPA_LEVELS: readonly number[] = [2, 3];

/** Working days the prisoner's POM has to share a COM escalation with the COM. */
export const COM_WORKING_DAYS = 2;

/** Working days given to a MAPPA level review; the design leaves it to local practice. */
export const MAPPA_REVIEW_WORKING_DAYS = 5;

/** Working days security has to find the recording behind an unusable one (before retention). */
export const UNUSABLE_RECORDING_WORKING_DAYS = 1;

const words = (themes: readonly Theme[]) =>
  themes.map((t) => t.toLowerCase().replace(/_/g, ' ')).join(', ');

/** Every rule that fires for the log, in the order of the README's table (targets may repeat). */
export function escalationNeeds(log: LogFacts, prisoner: PrisonerFacts): EscalationNeed[] {
  const needs: EscalationNeed[] = [];
  const threatCount = log.threats.length;
  if (log.concernLevel === 'IMMEDIATE') {
    needs.push({
      target: 'SECURITY',
      due: { kind: 'hours', hours: 1 },
      reason: 'immediate concern: duty governor',
    });
    needs.push({ target: 'POM', due: { kind: 'hours', hours: 4 }, reason: 'immediate concern' });
  }
  const serious = log.threats.filter(isSeriousThreat);
  if (serious.length) {
    const why = serious.some((t) => t.type === 'KILL') ? 'a threat to kill' : 'an imminent threat';
    needs.push({ target: 'SECURITY', due: { kind: 'hours', hours: 1 }, reason: why });
    needs.push({ target: 'POM', due: { kind: 'hours', hours: 4 }, reason: why });
  }
  if (log.concernLevel === 'HIGH' || threatCount > 0) {
    const why =
      threatCount > 0
        ? `${threatCount === 1 ? 'a threat' : `${threatCount} threats`} recorded`
        : 'high concern';
    needs.push({ target: 'POM', due: { kind: 'workingDays', days: 1 }, reason: why });
    needs.push({ target: 'IRMM', due: { kind: 'nextIrmm' }, reason: why });
  }
  if (log.themes.includes('SELF_HARM')) {
    needs.push({
      target: 'SAFER_CUSTODY',
      due: { kind: 'hours', hours: 4 },
      reason: 'theme self harm: safer custody',
    });
  }
  const security = SECURITY_THEMES.filter((t) => log.themes.includes(t));
  if (security.length) {
    needs.push({
      target: 'SECURITY',
      due: { kind: 'workingDays', days: 1 },
      reason: `theme ${words(security)}`,
    });
  }
  const themes = SAFEGUARDING_THEMES.filter((t) => log.themes.includes(t));
  if (themes.length) {
    const why = `theme ${words(themes)}`;
    needs.push({ target: 'POM', due: { kind: 'workingDays', days: 1 }, reason: why });
    needs.push({ target: 'IRMM', due: { kind: 'nextIrmm' }, reason: why });
    if (prisoner.mappaLevel === null || prisoner.mappaLevel === 1) {
      const level = prisoner.mappaLevel === null ? 'level not set' : 'level 1';
      needs.push({
        target: 'MAPPA',
        due: { kind: 'workingDays', days: MAPPA_REVIEW_WORKING_DAYS },
        reason: `${why}: MAPPA ${level}, review the level`,
      });
    }
  }
  const harm = HARM_THEMES.filter((t) => log.themes.includes(t));
  if (harm.length) {
    const mappa = { kind: 'workingDays', days: MAPPA_REVIEW_WORKING_DAYS } as const;
    const outside = prisoner.mappaCategory === null && prisoner.mappaLevel === null;
    if (prisoner.mappaLevel === 1 || (prisoner.mappaLevel === null && !outside)) {
      const level = prisoner.mappaLevel === 1 ? 'level 1' : 'level not set';
      needs.push({
        target: 'MAPPA',
        due: mappa,
        reason: `theme ${words(harm)}: MAPPA ${level}, review the level`,
      });
    }
    if (
      outside &&
      (prisoner.roshLevel === 'HIGH' || prisoner.roshLevel === 'VERY_HIGH') &&
      prisoner.alertCodes.some((c) => CATEGORY_3_ALERT_CODES.includes(c))
    ) {
      needs.push({
        target: 'MAPPA',
        due: mappa,
        reason: `theme ${words(harm)}: high-risk domestic abuse or stalking outside MAPPA, consider a Category 3 referral`,
      });
    }
  }
  const com = { kind: 'workingDays', days: COM_WORKING_DAYS } as const;
  if (
    prisoner.mappaLevel !== null &&
    COM_MAPPA_LEVELS.includes(prisoner.mappaLevel) &&
    isHighConcern(log.concernLevel)
  ) {
    needs.push({
      target: 'COM',
      due: com,
      reason: `${log.concernLevel.toLowerCase()} concern at MAPPA level ${prisoner.mappaLevel}: share with the COM`,
    });
  }
  const comThemes = COM_THEMES.filter((t) => log.themes.includes(t));
  if (comThemes.length) {
    needs.push({
      target: 'COM',
      due: com,
      reason: `theme ${words(comThemes)}: share with the COM`,
    });
  }
  if (log.recordingQuality === 'UNUSABLE') {
    needs.push({
      target: 'SECURITY',
      due: { kind: 'workingDays', days: UNUSABLE_RECORDING_WORKING_DAYS },
      reason: 'recording unusable: find the original recording so the call can be heard',
    });
  }
  if (log.concernLevel === 'MEDIUM') {
    needs.push({ target: 'POM', due: { kind: 'workingDays', days: 5 }, reason: 'medium concern' });
  }
  return needs;
}

export interface DueContext {
  from: Date;
  calendar: WorkingCalendar;
  /** Weekday of the establishment's IRMM (0 Sunday … 6 Saturday); meetings start at 10:00 UTC. */
  irmmWeekday: number;
}

export function resolveDue(rule: DueRule, ctx: DueContext): Date {
  switch (rule.kind) {
    case 'hours':
      return new Date(ctx.from.getTime() + rule.hours * HOUR_MS);
    case 'workingDays':
      return ctx.calendar.addWorkingDays(ctx.from, rule.days);
    case 'nextIrmm':
      return new Date(`${ctx.calendar.nextWorkingWeekday(ctx.from, ctx.irmmWeekday)}T10:00:00Z`);
  }
}

export interface PlannedEscalation {
  target: EscalationTarget;
  dueAt: Date;
  reasons: string[];
  concernLevel: ConcernLevel;
}

/** One escalation per target: the earliest due time of its rules, every reason kept. */
export function planEscalations(
  log: LogFacts,
  prisoner: PrisonerFacts,
  ctx: DueContext,
): PlannedEscalation[] {
  const byTarget = new Map<EscalationTarget, PlannedEscalation>();
  for (const need of escalationNeeds(log, prisoner)) {
    const dueAt = resolveDue(need.due, ctx);
    const existing = byTarget.get(need.target);
    if (!existing) {
      byTarget.set(need.target, {
        target: need.target,
        dueAt,
        reasons: [need.reason],
        concernLevel: log.concernLevel,
      });
      continue;
    }
    if (dueAt < existing.dueAt) existing.dueAt = dueAt;
    if (!existing.reasons.includes(need.reason)) existing.reasons.push(need.reason);
  }
  return [...byTarget.values()];
}

/**
 * When a later log attaches to an escalation not yet closed. Still OPEN: the earlier due time and
 * the higher concern win. ACKNOWLEDGED: the log is news the person acknowledging has not seen, so
 * the escalation opens again, due when this log's rules say.
 */
export function mergeIntoOpen(
  open: { status: 'OPEN' | 'ACKNOWLEDGED'; dueAt: Date | null; concernLevel: ConcernLevel },
  planned: PlannedEscalation,
): { dueAt: Date; concernLevel: ConcernLevel; reopen: boolean } {
  const reopen = open.status === 'ACKNOWLEDGED';
  return {
    dueAt: !reopen && open.dueAt && open.dueAt < planned.dueAt ? open.dueAt : planned.dueAt,
    concernLevel:
      concernRank(planned.concernLevel) > concernRank(open.concernLevel)
        ? planned.concernLevel
        : open.concernLevel,
    reopen,
  };
}
