import { DomainEvents } from '../common/domain-events';
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService, SYSTEM_ACTOR } from '../audit/audit.service';
import { assertEstablishment, AuthUser, establishmentScope, hasRole } from '../common/auth-user';
import { addDays, Clock } from '../common/clock';
import { Conflict, Forbidden, NotFound, ValidationFailed } from '../common/errors';
import { AUTHORISER_ROLES } from '../common/vocabulary';
import { EstablishmentsService } from '../establishments/establishments.service';
import { DEFAULT_SETTINGS } from '../establishments/settings';
import { PrisonerProfileService } from '../prisoners/prisoner-profile.service';
import { PrisonersService } from '../prisoners/prisoners.service';
import {
  ApproveAuthorisationDto,
  AuthorisationQuery,
  EndAuthorisationDto,
  RequestAuthorisationDto,
  ReviewAuthorisationDto,
} from './monitoring.dto';
import { toAuthorisationResponse } from './monitoring.mapper';
import { AuthorisationRow, MonitoringRepository, ReviewRow } from './monitoring.repository';

declare module '../prisoners/prisoner-profile.service' {
  interface ProfileSections {
    /** The prisoner's active authorisations (read by MonitoringService.activeForPrisoner). */
    monitoring: ReturnType<typeof toAuthorisationResponse>[];
  }
}

/**
 * Monitoring authorisations (Prison Rules 35A-35D): requested by anyone at the establishment,
 * approved by a different person who is a security manager or head of OMU, reviewed, ended or
 * expired. Every change re-scores the prisoner's waiting calls, so listening starts and stops with it.
 */
@Injectable()
export class MonitoringService implements OnModuleInit {
  private readonly logger = new Logger(MonitoringService.name);

  constructor(
    private readonly db: DataSource,
    private readonly monitoring: MonitoringRepository,
    private readonly prisoners: PrisonersService,
    private readonly establishments: EstablishmentsService,
    private readonly events: DomainEvents,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly profiles: PrisonerProfileService,
  ) {}

  onModuleInit(): void {
    this.profiles.addSection('monitoring', (prisonNumber) => this.activeForPrisoner(prisonNumber));
  }

  /**
   * A request for monitoring. `within`: the caller's transaction (a monitoring decision that opens
   * the request with it); otherwise its own.
   */
  async request(
    actor: AuthUser,
    prisonNumber: string,
    dto: RequestAuthorisationDto,
    within?: EntityManager,
  ) {
    const prisoner = await this.prisoners.findVisible(actor, prisonNumber, within);
    const now = this.clock.now();
    const startsAt = dto.startsAt ?? now;
    if (dto.endsAt && dto.endsAt.getTime() <= startsAt.getTime()) {
      throw ValidationFailed.field('endsAt', 'must be after startsAt');
    }
    const settings =
      (await this.establishments.find(prisoner.establishmentCode, within))?.settings ??
      DEFAULT_SETTINGS;
    const reviewDueAt = addDays(startsAt, settings.reviewIntervalDays[dto.type]);
    const write = async (m: EntityManager) => {
      const row = await this.monitoring.insert(m, {
        prisonNumber,
        establishmentCode: prisoner.establishmentCode,
        type: dto.type,
        grounds: dto.grounds,
        channels: dto.channels,
        justification: dto.justification,
        requestedBy: actor.username,
        startsAt,
        endsAt: dto.endsAt ?? null,
        reviewDueAt,
        lookbackDays: dto.lookbackDays,
      });
      await this.recordChange(actor, 'AUTHORISATION_REQUESTED', row, m, {
        type: dto.type,
        grounds: dto.grounds,
      });
      return toAuthorisationResponse(row);
    };
    return within ? write(within) : this.db.transaction(write);
  }

  /** Whether the prisoner has an authorisation ACTIVE now at this establishment (no audit). */
  async isActiveAt(
    prisonNumber: string,
    establishmentCode: string,
    m: EntityManager,
  ): Promise<boolean> {
    return this.monitoring.activeAt(m, prisonNumber, establishmentCode, this.clock.now());
  }

  /**
   * Approval by someone other than the requester. A refused self-approval is audited
   * (AUTHORISATION_APPROVAL_REFUSED).
   */
  async approve(actor: AuthUser, id: string, dto: ApproveAuthorisationDto) {
    const selfApproval: { row?: AuthorisationRow } = {};
    try {
      return await this.change(actor, id, async (row, m) => {
        if (row.requestedBy === actor.username) {
          selfApproval.row = row;
          throw new Forbidden('The person who requested monitoring cannot also authorise it');
        }
        if (row.status !== 'REQUESTED')
          throw new Conflict(`Authorisation is ${row.status}, not REQUESTED`);
        if (row.endsAt && row.endsAt.getTime() <= this.clock.now().getTime()) {
          throw new Conflict(
            'The authorisation has passed its end date and can no longer be approved',
          );
        }
        const updated = await this.monitoring.approve(m, id, actor.username, dto.note ?? null);
        await this.recordChange(actor, 'AUTHORISATION_APPROVED', updated, m, {
          note: dto.note ?? null,
        });
        return updated;
      });
    } catch (err) {
      // The decision's transaction has rolled back; the refusal is audited on its own.
      const { row } = selfApproval;
      if (row && err instanceof Forbidden) {
        await this.audit.record(actor, {
          action: 'AUTHORISATION_APPROVAL_REFUSED',
          entityType: 'authorisation',
          entityId: row.id,
          establishmentCode: row.establishmentCode,
          details: { prisonNumber: row.prisonNumber, status: row.status, reason: err.message },
        });
      }
      throw err;
    }
  }

  async review(actor: AuthUser, id: string, dto: ReviewAuthorisationDto) {
    return this.change(actor, id, async (row, m) => {
      if (row.status !== 'ACTIVE')
        throw new Conflict(`Only an ACTIVE authorisation can be reviewed; this is ${row.status}`);
      const now = this.clock.now();
      if (dto.nextReviewDueAt && dto.nextReviewDueAt.getTime() <= now.getTime()) {
        throw ValidationFailed.field('nextReviewDueAt', 'must be in the future');
      }
      const settings =
        (await this.establishments.find(row.establishmentCode, m))?.settings ?? DEFAULT_SETTINGS;
      const nextReviewDueAt =
        dto.decision === 'CONTINUE'
          ? (dto.nextReviewDueAt ?? addDays(now, settings.reviewIntervalDays[row.type]))
          : null;
      await this.monitoring.insertReview(m, {
        authorisationId: id,
        decision: dto.decision,
        rationale: dto.rationale,
        reviewedBy: actor.username,
        nextReviewDueAt,
      });
      let updated: AuthorisationRow;
      if (nextReviewDueAt) {
        await this.monitoring.setReviewDue(m, id, nextReviewDueAt);
        updated = { ...row, reviewDueAt: nextReviewDueAt };
      } else {
        updated = await this.monitoring.end(
          m,
          id,
          'ENDED',
          actor.username,
          `Review: ${dto.rationale}`,
        );
      }
      await this.recordChange(actor, 'AUTHORISATION_REVIEWED', updated, m, {
        decision: dto.decision,
      });
      return updated;
    });
  }

  async end(actor: AuthUser, id: string, dto: EndAuthorisationDto) {
    return this.change(actor, id, async (row, m) => {
      if (row.status === 'ENDED' || row.status === 'EXPIRED')
        throw new Conflict(`Authorisation is already ${row.status}`);
      const updated = await this.monitoring.end(m, id, 'ENDED', actor.username, dto.reason);
      await this.recordChange(actor, 'AUTHORISATION_ENDED', updated, m, { reason: dto.reason });
      return updated;
    });
  }

  /** Worker job: ACTIVE authorisations past their end date become EXPIRED and listening stops. */
  async expireDue(): Promise<number> {
    return this.db.transaction(async (m) => {
      const due = await this.monitoring.lockExpired(m, this.clock.now());
      for (const row of due) {
        const updated = await this.monitoring.end(
          m,
          row.id,
          'EXPIRED',
          SYSTEM_ACTOR.username,
          'end date reached',
        );
        await this.recordChange(SYSTEM_ACTOR, 'AUTHORISATION_EXPIRED', updated, m, {});
      }
      await this.events.emit(
        'TRIAGE_FACTS_CHANGED',
        { affected: { prisonNumbers: due.map((r) => r.prisonNumber) }, facts: ['AUTHORISATIONS'] },
        m,
      );
      if (due.length) this.logger.log({ expired: due.length }, 'Expired monitoring authorisations');
      return due.length;
    });
  }

  async get(actor: AuthUser, id: string) {
    const row = await this.monitoring.find(id);
    if (!row) throw new NotFound(`No monitoring authorisation ${id}`);
    assertEstablishment(actor, row.establishmentCode);
    const reviews = await this.monitoring.reviews([id]);
    await this.audit.record(actor, {
      action: 'AUTHORISATION_READ',
      entityType: 'authorisation',
      entityId: id,
      establishmentCode: row.establishmentCode,
    });
    return toAuthorisationResponse(row, reviews);
  }

  /**
   * A prisoner's authorisations in force, earliest first, for their profile: no establishment check
   * or audit, the caller makes them.
   */
  async activeForPrisoner(prisonNumber: string) {
    return (await this.monitoring.activeForPrisoner(prisonNumber)).map((a) =>
      toAuthorisationResponse(a),
    );
  }

  /**
   * A prisoner's authorisations (at most 500) and every review of them, for another module's
   * document (the MAPPA referral): no establishment check or audit, the caller makes them.
   */
  async historyOf(
    prisonNumber: string,
  ): Promise<{ authorisations: AuthorisationRow[]; reviews: ReviewRow[] }> {
    const { rows } = await this.monitoring.list({
      establishments: null,
      prisonNumber,
      limit: 500,
      offset: 0,
    });
    return { authorisations: rows, reviews: await this.monitoring.reviews(rows.map((a) => a.id)) };
  }

  async list(actor: AuthUser, q: AuthorisationQuery) {
    if (q.establishment) assertEstablishment(actor, q.establishment);
    const { rows, total } = await this.monitoring.list({
      establishments: establishmentScope(actor, q.establishment),
      prisonNumber: q.prisonNumber,
      status: q.status,
      reviewOverdue: q.reviewOverdue,
      limit: q.limit,
      offset: q.offset,
    });
    await this.audit.recordReads(actor, 'AUTHORISATION_READ', 'authorisation', rows, 'list');
    return { items: rows.map((r) => toAuthorisationResponse(r)), total };
  }

  /** Locks the authorisation, checks the actor may decide on it, applies the change and re-scores. */
  private async change(
    actor: AuthUser,
    id: string,
    apply: (row: AuthorisationRow, m: EntityManager) => Promise<AuthorisationRow>,
  ) {
    if (!hasRole(actor, ...AUTHORISER_ROLES)) {
      throw new Forbidden(
        'Only a security manager or head of offender management may decide on monitoring',
      );
    }
    return this.db.transaction(async (m) => {
      const row = await this.monitoring.lock(m, id);
      if (!row) throw new NotFound(`No monitoring authorisation ${id}`);
      assertEstablishment(actor, row.establishmentCode);
      const updated = await apply(row, m);
      await this.events.emit(
        'TRIAGE_FACTS_CHANGED',
        { affected: { prisonNumbers: [row.prisonNumber] }, facts: ['AUTHORISATIONS'] },
        m,
      );
      return toAuthorisationResponse(updated);
    });
  }

  private recordChange(
    actor: AuthUser,
    action: string,
    row: AuthorisationRow,
    m: EntityManager,
    details: Record<string, unknown>,
  ) {
    return this.audit.record(
      actor,
      {
        action,
        entityType: 'authorisation',
        entityId: row.id,
        establishmentCode: row.establishmentCode,
        details: { prisonNumber: row.prisonNumber, status: row.status, ...details },
      },
      m,
    );
  }
}
