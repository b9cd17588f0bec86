import type { EntityManager } from 'typeorm';
import type { AuthUser } from '../common/auth-user';
import type { EscalationTarget, RoshLevel } from '../common/vocabulary';
import type { LogRow } from './logs.repository';

/** What the escalation rules read about the prisoner a log is about. */
export interface PrisonerForEscalation {
  pomUsername: string | null;
  mappaCategory: number | null;
  mappaLevel: number | null;
  roshLevel: RoshLevel | null;
  alertCodes: string[];
}

/** An escalation a log raised, or attached itself to, as the log's response tells it. */
export interface RaisedEscalation {
  id: string;
  target: EscalationTarget;
  dueAt: Date | null;
  assignee: string | null;
  created: boolean;
}

/**
 * What writing a log needs of the escalations module, inside the log's transaction and on its
 * manager: whether an open high-concern escalation already lifts the prisoner's calls, and the
 * escalations the rules call for (raised, or the log attached to an open one). EscalationsService
 * provides it through `LogsService.useEscalations` at module init: escalations read logs (the IRMM
 * agenda, the MAPPA referral), so logs cannot import them without a cycle.
 */
export interface LogEscalations {
  hasOpenHighConcern(m: EntityManager, prisonNumber: string): Promise<boolean>;
  raiseFromLog(
    m: EntityManager,
    actor: AuthUser,
    log: LogRow,
    prisoner: PrisonerForEscalation,
  ): Promise<RaisedEscalation[]>;
}
