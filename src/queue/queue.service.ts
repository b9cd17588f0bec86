import { Injectable, Logger } from '@nestjs/common';
import { AuditService, SYSTEM_ACTOR } from '../audit/audit.service';
import { assertEstablishment, AuthUser, establishmentScope } from '../common/auth-user';
import { toCallResponse } from '../calls/calls.mapper';
import { CallsService } from '../calls/calls.service';
import { ClaimLimitReached, Conflict, NotFound, ValidationFailed } from '../common/errors';
import { ReleaseReasonCode } from '../common/vocabulary';
import { QueueRepository } from './queue.repository';

@Injectable()
export class QueueService {
  private readonly logger = new Logger(QueueService.name);

  constructor(
    private readonly queue: QueueRepository,
    private readonly calls: CallsService,
    private readonly audit: AuditService,
  ) {}

  /**
   * Leases the next call this listener may hear, or null when nothing eligible waits. A listener at
   * their establishment's maxClaimsPerListener is refused with the calls they hold. A call they
   * released within its cool-down is offered only when nothing else is.
   */
  async claim(actor: AuthUser, establishment?: string) {
    if (establishment) assertEstablishment(actor, establishment);
    const establishments = establishment ? [establishment] : actor.establishments;
    if (establishments.length === 0)
      throw ValidationFailed.field('establishment', 'you work at no establishment');
    const identity = this.audit.identity(actor);
    // The CALL_CLAIMED audit row is written by the claim statement itself.
    const attempt = async (offerReleased: boolean) => {
      let outcome = await this.queue.claimNextEligibleCall(
        actor.username,
        establishments,
        identity,
        offerReleased,
      );
      // Another claim of this listener's (a second tab) committed while this one waited for it:
      // asked again, the statement sees it. A third race in a row is no different from a refusal.
      for (let again = 0; outcome?.raced && again < 2; again++) {
        outcome = await this.queue.claimNextEligibleCall(
          actor.username,
          establishments,
          identity,
          offerReleased,
        );
      }
      return outcome;
    };
    let outcome = await attempt(false);
    if (outcome && !outcome.claimed && !outcome.raced && outcome.cooling) {
      outcome = await attempt(true);
    }
    if (!outcome) return null;
    if (!outcome.claimed) {
      if (outcome.atLimit) throw new ClaimLimitReached(outcome.heldCallIds);
      if (outcome.raced) {
        throw new Conflict('Another claim of yours was being made at the same moment: try again');
      }
      return null;
    }
    const { call, claim, contact } = outcome.claimed;
    return {
      call: toCallResponse(call, contact),
      claim: { token: claim.token, expiresAt: claim.expiresAt },
    };
  }

  /** The calls this listener holds, from any session or device, with their lease tokens. */
  async mine(actor: AuthUser) {
    const held = await this.queue.claimsHeldBy(actor.username);
    const visible = held.filter((r) => actor.establishments.includes(r.establishmentCode));
    const contacts = await this.calls.contactsById([
      ...new Set(visible.flatMap((r) => (r.contactId ? [r.contactId] : []))),
    ]);
    await this.audit.recordReads(actor, 'CALL_READ', 'call', visible, 'queue-mine');
    return {
      items: visible.map((r) => ({
        call: toCallResponse(r, r.contactId ? (contacts.get(r.contactId) ?? null) : null),
        claim: { token: r.token, expiresAt: r.claimExpiresAt },
      })),
    };
  }

  /** The lease token of a call this listener holds now, or null (any session of theirs may use it). */
  async heldToken(actor: AuthUser, callId: string): Promise<string | null> {
    const [held] = await this.queue.claimsHeldBy(actor.username, callId);
    return held?.token ?? null;
  }

  /**
   * The call back to the listener whose lease on it ran out, if nobody has taken it since (see
   * QueueRepository.reclaimExpired): the new token, or null.
   */
  reclaimExpired(actor: AuthUser, id: string): Promise<string | null> {
    return this.queue.reclaimExpired(
      actor.username,
      id,
      actor.establishments,
      this.audit.identity(actor),
    );
  }

  async extend(actor: AuthUser, id: string, token: string) {
    const expiresAt = await this.queue.extend(id, token, actor.username);
    if (!expiresAt) await this.refuseStaleToken(actor, id);
    await this.audit.record(actor, {
      action: 'CLAIM_EXTENDED',
      entityType: 'call',
      entityId: id,
      details: { expiresAt },
    });
    return { expiresAt };
  }

  /**
   * Hands the call back with a reason: held back from this listener for the cool-down, and on a
   * conflict of interest never offered to them again for this prisoner. No code is the old body
   * (`{ token, reason }`): OTHER.
   */
  async release(
    actor: AuthUser,
    id: string,
    token: string,
    reasonCode: ReleaseReasonCode | undefined,
    reason?: string,
  ) {
    const text = reason?.trim() || null;
    if (reasonCode === 'OTHER' && !text) {
      throw ValidationFailed.field('reason', 'say why you are releasing the call');
    }
    // The CLAIM_RELEASED audit row is written by the release statement itself.
    const released = await this.queue.release(
      id,
      token,
      actor.username,
      this.audit.identity(actor),
      {
        code: reasonCode ?? 'OTHER',
        text,
      },
    );
    if (!released) await this.refuseStaleToken(actor, id);
    return { id, status: 'PENDING' as const };
  }

  /** Scheduled sweep: expired leases go back to the queue. */
  async returnExpiredLeases(): Promise<number> {
    const returned = await this.queue.returnExpiredLeases();
    await this.queue.forgetEnded();
    if (returned.length) {
      await this.audit.recordMany(
        SYSTEM_ACTOR,
        returned.map((r) => ({
          action: 'CLAIM_EXPIRED',
          entityType: 'call',
          entityId: r.id,
          establishmentCode: r.establishmentCode,
          details: { claimedBy: r.claimedBy },
        })),
      );
      this.logger.log({ calls: returned.length }, 'Returned expired leases to the queue');
    }
    return returned.length;
  }

  async pending(
    actor: AuthUser,
    q: { establishment?: string; tier?: string; limit: number; offset: number },
  ) {
    if (q.establishment) assertEstablishment(actor, q.establishment);
    const { rows, total } = await this.queue.pending({
      ...q,
      establishments: establishmentScope(actor, q.establishment),
    });
    const contacts = await this.calls.contactsById([
      ...new Set(rows.flatMap((r) => (r.contactId ? [r.contactId] : []))),
    ]);
    await this.audit.recordReads(actor, 'CALL_READ', 'call', rows, 'queue');
    return {
      items: rows.map((r, i) => ({
        position: q.offset + i + 1,
        ...toCallResponse(r, r.contactId ? (contacts.get(r.contactId) ?? null) : null),
      })),
      total,
    };
  }

  /**
   * A listener's own work: the calls they hold now and the prisoners they lead, with how many of
   * their calls wait (in the establishments asked for, else all of the listener's).
   */
  async myWork(actor: AuthUser, establishment?: string) {
    if (establishment) assertEstablishment(actor, establishment);
    const establishments = establishment ? [establishment] : actor.establishments;
    const [held, leadPrisoners] = await Promise.all([
      this.queue.claimsHeldBy(actor.username),
      this.queue.leadPrisonersWaiting(actor.username, establishments),
    ]);
    const contacts = await this.calls.contactsById([
      ...new Set(held.flatMap((r) => (r.contactId ? [r.contactId] : []))),
    ]);
    if (held.length) {
      await this.audit.recordMany(
        actor,
        held.map((r) => ({
          action: 'CALL_READ',
          entityType: 'call',
          entityId: r.id,
          establishmentCode: r.establishmentCode,
          details: { via: 'my-work' },
        })),
      );
    }
    return {
      claims: held.map((r) =>
        toCallResponse(r, r.contactId ? (contacts.get(r.contactId) ?? null) : null),
      ),
      leadPrisoners,
    };
  }

  /** How many calls wait that this listener may take (trainings, languages, no conflict of interest). */
  async waitingFor(actor: AuthUser, establishment?: string): Promise<number> {
    if (establishment) assertEstablishment(actor, establishment);
    const establishments = establishment ? [establishment] : actor.establishments;
    return this.queue.countEligibleFor(actor.username, establishments);
  }

  /** 404 for a call the user cannot see, otherwise 409: the token is not the call's current lease. */
  private async refuseStaleToken(actor: AuthUser, id: string): Promise<never> {
    const call = await this.calls.find(id);
    if (!call) throw new NotFound(`No call ${id}`);
    assertEstablishment(actor, call.establishmentCode);
    throw new Conflict(
      'This claim is no longer yours: the lease expired or was released. Claim the next call.',
    );
  }
}
