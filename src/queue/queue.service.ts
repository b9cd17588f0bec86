import { Injectable, Logger } from '@nestjs/common';
import { AuditService, SYSTEM_ACTOR } from '../audit/audit.service';
import { assertEstablishment, AuthUser, establishmentScope } from '../auth/auth-user';
import { toCallResponse } from '../calls/calls.mapper';
import { CallsRepository } from '../calls/calls.repository';
import { Conflict, NotFound, ValidationFailed } from '../common/errors';
import { QueueRepository } from './queue.repository';

@Injectable()
export class QueueService {
  private readonly logger = new Logger(QueueService.name);

  constructor(
    private readonly queue: QueueRepository,
    private readonly calls: CallsRepository,
    private readonly audit: AuditService,
  ) {}

  /** Leases the next call this listener may hear, or null when nothing eligible waits. */
  async claim(actor: AuthUser, establishment?: string) {
    if (establishment) assertEstablishment(actor, establishment);
    const establishments = establishment ? [establishment] : actor.establishments;
    if (establishments.length === 0)
      throw ValidationFailed.field('establishment', 'you work at no establishment');
    // The CALL_CLAIMED audit row is written by the claim statement itself.
    const claimed = await this.queue.claimNextEligibleCall(
      actor.username,
      establishments,
      this.audit.identity(actor),
    );
    if (!claimed) return null;
    const { call, claim, contact } = claimed;
    return {
      call: toCallResponse(call, contact),
      claim: { token: claim.token, expiresAt: claim.expiresAt },
    };
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

  async release(actor: AuthUser, id: string, token: string, reason?: string) {
    // The CLAIM_RELEASED audit row is written by the release statement itself.
    const released = await this.queue.release(
      id,
      token,
      actor.username,
      this.audit.identity(actor),
      reason ?? null,
    );
    if (!released) await this.refuseStaleToken(actor, id);
    return { id, status: 'PENDING' as const };
  }

  /** Scheduled sweep: expired leases go back to the queue. */
  async returnExpiredLeases(): Promise<number> {
    const returned = await this.queue.returnExpiredLeases();
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
