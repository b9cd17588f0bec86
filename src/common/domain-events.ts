import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { EscalationTarget } from './vocabulary';

/**
 * Facts one module writes that another acts on in the same transaction, when a direct call would
 * make the two modules depend on each other (prisoners and patterns are below monitoring, the
 * monitoring decisions are above it; notifications are told of escalations). The writer emits with its transaction's manager; every
 * handler runs in turn inside that transaction, so a handler's failure rolls the change back.
 */
export interface DomainEventPayloads {
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
type Handler<E extends DomainEventName> = (
  payload: DomainEventPayloads[E],
  m: EntityManager,
) => Promise<void>;

@Injectable()
export class DomainEvents {
  private readonly handlers = new Map<DomainEventName, Handler<never>[]>();

  /** Registers a handler (at module init). */
  on<E extends DomainEventName>(event: E, handler: Handler<E>): void {
    const list = this.handlers.get(event) ?? [];
    list.push(handler);
    this.handlers.set(event, list);
  }

  /** Runs every handler of the event, one after another, in the caller's transaction. */
  async emit<E extends DomainEventName>(
    event: E,
    payload: DomainEventPayloads[E],
    m: EntityManager,
  ): Promise<void> {
    for (const handler of this.handlers.get(event) ?? []) {
      await (handler as Handler<E>)(payload, m);
    }
  }
}
