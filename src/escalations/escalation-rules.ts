/**
 * Escalation rules v1 (DESIGN.md "Escalation rules"). Pure: what a log shows decides which people must
 * act and by when; the service only stores the result.
 */
import { HOUR_MS } from '../common/clock';
import { ConcernLevel, concernRank, EscalationTarget, Theme } from '../common/vocabulary';
import { WorkingCalendar } from '../common/working-days';

export interface LogFacts {
  concernLevel: ConcernLevel;
  themes: readonly Theme[];
  threatCount: number;
}

export interface PrisonerFacts {
  mappaLevel: number | null;
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

/** Working days given to a MAPPA level review; the design leaves it to local practice. */
export const MAPPA_REVIEW_WORKING_DAYS = 5;

/** Every rule that fires for the log, in the order of the design's table (targets may repeat). */
export function escalationNeeds(log: LogFacts, prisoner: PrisonerFacts): EscalationNeed[] {
  const needs: EscalationNeed[] = [];
  if (log.concernLevel === 'IMMEDIATE') {
    needs.push({
      target: 'SECURITY',
      due: { kind: 'hours', hours: 1 },
      reason: 'immediate concern: duty governor',
    });
    needs.push({ target: 'POM', due: { kind: 'hours', hours: 4 }, reason: 'immediate concern' });
  }
  if (log.concernLevel === 'HIGH' || log.threatCount > 0) {
    const why =
      log.threatCount > 0
        ? `${log.threatCount === 1 ? 'a threat' : `${log.threatCount} threats`} recorded`
        : 'high concern';
    needs.push({ target: 'POM', due: { kind: 'workingDays', days: 1 }, reason: why });
    needs.push({ target: 'IRMM', due: { kind: 'nextIrmm' }, reason: why });
  }
  const themes = SAFEGUARDING_THEMES.filter((t) => log.themes.includes(t));
  if (themes.length) {
    const why = `theme ${themes.map((t) => t.toLowerCase().replace(/_/g, ' ')).join(', ')}`;
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

/** When a later log attaches to an open escalation: the earlier due time and the higher concern win. */
export function mergeIntoOpen(
  open: { dueAt: Date | null; concernLevel: ConcernLevel },
  planned: PlannedEscalation,
): { dueAt: Date; concernLevel: ConcernLevel } {
  return {
    dueAt: open.dueAt && open.dueAt < planned.dueAt ? open.dueAt : planned.dueAt,
    concernLevel:
      concernRank(planned.concernLevel) > concernRank(open.concernLevel)
        ? planned.concernLevel
        : open.concernLevel,
  };
}
