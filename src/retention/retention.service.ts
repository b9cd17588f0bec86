import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService, SYSTEM_ACTOR } from '../audit/audit.service';
import { assertEstablishment, AuthUser, establishmentScope, hasRole } from '../common/auth-user';
import { addDays, Clock } from '../common/clock';
import { Conflict, Forbidden, NotFound, ValidationFailed } from '../common/errors';
import { requestContext } from '../common/request-context';
import { WorkingCalendar } from '../common/working-days';
import { EstablishmentsService } from '../establishments/establishments.service';
import { HoldsQuery, PlaceHoldDto, ReleaseHoldDto } from './retention.dto';
import { toHoldListItem, toHoldResponse, toReleasedHoldResponse } from './retention.mapper';
import { RetentionRepository } from './retention.repository';
import { effectiveRetentionDays } from '../establishments/settings';

// Where the rule lives now (establishment settings); kept here for the callers that import it from here.
export { effectiveRetentionDays, MAX_RETENTION_DAYS } from '../establishments/settings';

/** Calls purged per statement (and per transaction): row locks stay few and short. */
export const PURGE_BATCH_SIZE = 5000;

export interface SweepOptions {
  /** Only these establishments (default: every establishment). */
  establishments?: string[];
  /** Calls per batch, 1 to PURGE_BATCH_SIZE (default PURGE_BATCH_SIZE). */
  batchSize?: number;
}

/**
 * Retention (Prison Rule 35D): calls past their establishment's retention period lose their recording
 * reference and leave the queue (status PURGED, metadata kept for reconciliation, monitoring logs
 * kept as the prison's record) unless a hold with a justification and review date keeps them.
 * A security manager places and releases holds; every step is audited.
 */
@Injectable()
export class RetentionService {
  private readonly logger = new Logger(RetentionService.name);

  constructor(
    private readonly db: DataSource,
    private readonly retention: RetentionRepository,
    private readonly establishments: EstablishmentsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /**
   * Worker job: purges, per establishment, every call that started before now − retentionDays, is
   * not PURGED and has no active hold, in set-based batches. Idempotent: a second run purges nothing
   * more. Audits one CALL_PURGED per call (written by the purge statement itself) and one
   * RETENTION_SWEEP summary per establishment.
   */
  async sweep(options: SweepOptions = {}): Promise<{ purged: number }> {
    const now = this.clock.now();
    const batchSize = Math.min(
      PURGE_BATCH_SIZE,
      Math.max(1, Math.floor(options.batchSize ?? PURGE_BATCH_SIZE)),
    );
    const ctx = requestContext.current();
    const context = {
      clientAddress: ctx?.clientAddress ?? null,
      correlationId: ctx?.correlationId ?? null,
    };
    const establishments = await this.establishments.list(options.establishments ?? null);
    let total = 0;
    for (const establishment of establishments) {
      const retentionDays = effectiveRetentionDays(establishment.settings.retentionDays);
      const cutoff = addDays(now, -retentionDays);
      let purged = 0;
      for (;;) {
        const batch = await this.db.transaction(async (m) => {
          const candidates = await this.retention.lockPurgeCandidates(
            m,
            establishment.code,
            cutoff,
            batchSize,
          );
          const n = await this.retention.purge(m, candidates, now, cutoff, SYSTEM_ACTOR, context);
          return { locked: candidates.length, purged: n };
        });
        purged += batch.purged;
        if (batch.locked < batchSize) break;
      }
      await this.audit.record(SYSTEM_ACTOR, {
        action: 'RETENTION_SWEEP',
        entityType: 'establishment',
        entityId: establishment.code,
        establishmentCode: establishment.code,
        details: { purged, cutoff: cutoff.toISOString(), retentionDays },
      });
      if (purged)
        this.logger.log(
          { establishment: establishment.code, purged, cutoff },
          'Purged calls past retention',
        );
      total += purged;
    }
    return { purged: total };
  }

  /** Keeps a call beyond retention until the hold is released. */
  async placeHold(actor: AuthUser, callId: string, dto: PlaceHoldDto) {
    this.requireSecurityManager(actor);
    if (dto.reviewAt <= this.today())
      throw ValidationFailed.field('reviewAt', 'must be a date in the future');
    return this.db.transaction(async (m) => {
      const call = await this.retention.lockCallForHold(m, callId);
      if (!call) throw new NotFound(`No call ${callId}`);
      assertEstablishment(actor, call.establishmentCode);
      if (call.status === 'PURGED') {
        throw new Conflict(
          'The call has been purged under the retention rule: its recording and content are gone',
        );
      }
      const hold = await this.retention.insertHold(m, {
        callId,
        justification: dto.justification,
        reviewAt: dto.reviewAt,
        createdBy: actor.username,
      });
      await this.audit.record(
        actor,
        {
          action: 'CALL_HOLD_PLACED',
          entityType: 'call',
          entityId: callId,
          establishmentCode: call.establishmentCode,
          details: {
            holdId: hold.id,
            justification: hold.justification,
            reviewAt: hold.reviewAt,
            callStatus: call.status,
          },
        },
        m,
      );
      return toHoldResponse(hold);
    });
  }

  /** A released hold no longer keeps the call: the next sweep purges it if it is past retention. */
  async releaseHold(actor: AuthUser, holdId: string, dto: ReleaseHoldDto) {
    this.requireSecurityManager(actor);
    return this.db.transaction(async (m) => {
      const hold = await this.retention.lockHold(m, holdId);
      if (!hold) throw new NotFound(`No hold ${holdId}`);
      assertEstablishment(actor, hold.establishmentCode);
      if (hold.releasedAt)
        throw new Conflict(`The hold was already released by ${hold.releasedBy}`);
      const released = (await this.retention.releaseHold(m, holdId, actor.username, dto.reason))!;
      await this.audit.record(
        actor,
        {
          action: 'CALL_HOLD_RELEASED',
          entityType: 'call',
          entityId: hold.callId,
          establishmentCode: hold.establishmentCode,
          details: { holdId, reason: dto.reason, reviewAt: hold.reviewAt },
        },
        m,
      );
      return toReleasedHoldResponse(released);
    });
  }

  /** Active holds with the facts of their calls; a hold past its review date still keeps its call. */
  async listHolds(actor: AuthUser, q: HoldsQuery) {
    if (q.establishment) assertEstablishment(actor, q.establishment);
    const { rows, total } = await this.retention.listActive({
      establishments: establishmentScope(actor, q.establishment),
      reviewOverdue: q.reviewOverdue,
      today: this.today(),
      limit: q.limit,
      offset: q.offset,
    });
    await this.audit.recordReads(
      actor,
      'CALL_READ',
      'call',
      rows.map((r) => ({
        id: r.callId,
        establishmentCode: r.establishmentCode,
        prisonNumber: r.prisonNumber,
        alsoShown: [r.id],
      })),
      'holds',
    );
    return { items: rows.map((r) => toHoldListItem(r, r.reviewOverdue)), total };
  }

  /** Today's date in the prison's calendar (London). */
  private today(): string {
    return WorkingCalendar.londonDate(this.clock.now());
  }

  private requireSecurityManager(actor: AuthUser): void {
    if (!hasRole(actor, 'SECURITY_MANAGER'))
      throw new Forbidden('Only a security manager may place or release a retention hold');
  }
}
