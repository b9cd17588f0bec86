import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AffectedCalls, TriageFact } from './triage-facts-changed';
import { EscalationTarget } from './vocabulary';

/**
 * Facts one module writes that another acts on in the same transaction, when a direct call would
 * make the two modules depend on each other (prisoners and patterns are below monitoring, the
 * monitoring decisions are above it; notifications are told of escalations; triage re-scores the
 * calls whose facts a write changed). The writer emits with its transaction's manager; every
 * handler runs in turn inside that transaction, so a handler's failure rolls the change back.
 */
export interface DomainEventPayloads {
  /**
   * A write changed facts the priority policy reads (TRIAGE_FACTS): triage re-scores the affected
   * calls in the writer's transaction and answers how many calls it wrote. The one way to re-score.
   */
  TRIAGE_FACTS_CHANGED: {
    affected: AffectedCalls;
    facts: readonly TriageFact[];
  };
  /**
   * An establishment's settings were saved: `before` and `after` as stored (partial overrides of
   * the defaults). Triage re-scores the establishment's waiting calls if what the policy reads of
   * them changed, and answers how many calls it wrote (the SETTINGS_CHANGED audit row records it).
   */
  ESTABLISHMENT_SETTINGS_CHANGED: {
    establishmentCode: string;
    before: object;
    after: object;
  };
  /**
   * A prisoner's record or contacts changed. `arrivedFrom` is set when the change brought the
   * prisoner to `establishmentCode`: `null` for a new prisoner, the old code for a transfer.
   * `markers` are the public-protection markers now; `newMarkers` those the change added.
   */
  PRISONER_CHANGED: {
    prisonNumber: string;
    establishmentCode: string;
    arrivedFrom?: string | null;
    markers: string[];
    newMarkers: string[];
  };
  /**
   * An escalation was raised or reopened (from a log or by hand): the notifications outbox queues
   * the emails it owes in the same transaction. Nothing of the log: what, whose, when it is due.
   */
  ESCALATION_RAISED: {
    escalationId: string;
    target: EscalationTarget;
    prisonNumber: string;
    establishmentCode: string;
    assignee: string | null;
    dueAt: Date | null;
    reopened: boolean;
  };
  /** New call-pattern alerts (of a kind that may support monitoring) about a prisoner. */
  PATTERN_ALERTS_RAISED: {
    prisonNumber: string;
    establishmentCode: string;
    alertIds: string[];
    reasons: string[];
  };
}

export type DomainEventName = keyof DomainEventPayloads;
/** A handler may answer a count (calls re-scored); the writer gets the sum. */
type Handler<E extends DomainEventName> = (
  payload: DomainEventPayloads[E],
  m: EntityManager,
) => Promise<number | void>;

/**
 * Events that must be handled: without triage's handler a change would be written and its calls
 * silently left as they were scored, so emitting one with no handler is an error, not a no-op.
 */
const MUST_BE_HANDLED: ReadonlySet<DomainEventName> = new Set([
  'TRIAGE_FACTS_CHANGED',
  'ESTABLISHMENT_SETTINGS_CHANGED',
]);

@Injectable()
export class DomainEvents {
  private readonly handlers = new Map<DomainEventName, Handler<never>[]>();

  /** Registers a handler (at module init). */
  on<E extends DomainEventName>(event: E, handler: Handler<E>): void {
    const list = this.handlers.get(event) ?? [];
    list.push(handler);
    this.handlers.set(event, list);
  }

  /**
   * Runs every handler of the event, one after another, in the caller's transaction. Returns the
   * sum of the counts the handlers answer (0 when none answers one).
   */
  async emit<E extends DomainEventName>(
    event: E,
    payload: DomainEventPayloads[E],
    m: EntityManager,
  ): Promise<number> {
    const handlers = this.handlers.get(event) ?? [];
    if (handlers.length === 0 && MUST_BE_HANDLED.has(event)) {
      throw new Error(`No handler for ${event}: is its module (TriageModule) in the module graph?`);
    }
    let total = 0;
    for (const handler of handlers) {
      total += (await (handler as Handler<E>)(payload, m)) ?? 0;
    }
    return total;
  }
}
