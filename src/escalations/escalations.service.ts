/*
 * Why this file is long: the escalation lifecycle (raise from a log, reopen, attach, manual,
 * acknowledge, close, reassign on a POM change, list) shares one repository, audit trail and
 * permission check; the MAPPA review's close and the referral are already apart.
 */
import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { assertEstablishment, AuthUser, establishmentScope, hasRole } from '../common/auth-user';
import { Clock } from '../common/clock';
import { DomainEvents } from '../common/domain-events';
import { Conflict, Forbidden, NotFound, ValidationFailed } from '../common/errors';
import {
  EscalationTarget,
  Imminence,
  isHighConcern,
  POM_ASSIGNED_TARGETS,
  Role,
  ThreatType,
} from '../common/vocabulary';
import { englandAndWalesCalendar } from '../common/working-days';
import { EstablishmentsService } from '../establishments/establishments.service';
import { DEFAULT_SETTINGS } from '../establishments/settings';
import type {
  LogEscalations,
  PrisonerForEscalation,
  RaisedEscalation,
} from '../logs/log-escalations';
import { LogRow, LogsService } from '../logs/logs.service';
import { PomChange, PrisonersService } from '../prisoners/prisoners.service';
import { TriageFact } from '../common/triage-facts-changed';
import {
  CloseEscalationDto,
  EscalationQuery,
  isMappaOutcome,
  ManualEscalationDto,
  ShareWithComDto,
} from './escalations.dto';
import { toEscalationResponse, toShareResponse } from './escalations.mapper';
import { EscalationRow, EscalationShareRow, EscalationsRepository } from './escalations.repository';
import {
  escalationNeeds,
  mergeIntoOpen,
  planEscalations,
  PlannedEscalation,
} from './escalation-rules';
import { MappaReviewService } from './mappa-review.service';

/**
 * Who acts on each target, besides a POM escalation's assigned POM and, on a MAPPA escalation, the
 * prisoner's POM (who knows the case the level review is about). Safer custody is the duty security
 * contact's, like security, with the head of OMU who chairs the case review.
 */
export const TARGET_ROLES: Record<EscalationTarget, Role[]> = {
  POM: ['HEAD_OF_OMU'],
  IRMM: ['HEAD_OF_OMU', 'SECURITY_MANAGER'],
  MAPPA: ['HEAD_OF_OMU'],
  SECURITY: ['SECURITY_MANAGER'],
  SAFER_CUSTODY: ['SECURITY_MANAGER', 'HEAD_OF_OMU'],
  // Assigned to the prisoner's POM, who shares it with the community offender manager.
  COM: ['HEAD_OF_OMU'],
};

/** How far past now a share's `sharedAt` may be: the clocks of the POM's device and ours differ. */
const SHARE_CLOCK_SKEW_MS = 5 * 60_000;

/**
 * A plan merged into an escalation not closed (mergeIntoOpen, reasons added), and whether that
 * changes the row.
 */
function mergeOf(row: EscalationRow, planned: PlannedEscalation) {
  // Rows not closed are OPEN or ACKNOWLEDGED.
  const status = row.status as 'OPEN' | 'ACKNOWLEDGED';
  const merged = mergeIntoOpen(
    { status, dueAt: row.dueAt, concernLevel: row.concernLevel },
    planned,
  );
  const reasons = row.reason.split('; ');
  for (const r of planned.reasons) if (!reasons.includes(r)) reasons.push(r);
  const change = {
    dueAt: merged.dueAt,
    concernLevel: merged.concernLevel,
    reason: reasons.join('; '),
  };
  const changes =
    merged.reopen ||
    change.dueAt?.getTime() !== row.dueAt?.getTime() ||
    change.concernLevel !== row.concernLevel ||
    change.reason !== row.reason;
  return { change, reopen: merged.reopen, changes };
}

@Injectable()
export class EscalationsService implements OnModuleInit, LogEscalations {
  constructor(
    private readonly db: DataSource,
    private readonly escalations: EscalationsRepository,
    private readonly establishments: EstablishmentsService,
    private readonly prisoners: PrisonersService,
    private readonly audit: AuditService,
    private readonly mappaReviews: MappaReviewService,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
    private readonly logs: LogsService,
  ) {}

  onModuleInit(): void {
    // A POM escalation belongs to whoever is the prisoner's POM: it moves with the case.
    this.prisoners.onPomChanged((m, actor, change) => this.reassignPom(m, actor, change));
    // A log raises what the escalation rules call for, in its own transaction.
    this.logs.useEscalations(this);
  }

  /**
   * Applies the escalation rules to a log inside its transaction: one open escalation per prisoner
   * and target, later logs attach to it (bringing its due time forward and raising its concern).
   * Returns what was raised; the caller re-scores the prisoner when a high concern is open.
   */
  async raiseFromLog(
    m: EntityManager,
    actor: AuthUser,
    log: LogRow,
    prisoner: PrisonerForEscalation,
  ): Promise<RaisedEscalation[]> {
    const facts = {
      concernLevel: log.concernLevel,
      themes: log.themeCodes,
      // Stored as the DTO checked them: a type and imminence of the vocabulary.
      threats: log.threats.map((t) => ({
        type: t.type as ThreatType,
        imminence: t.imminence as Imminence,
      })),
      recordingQuality: log.recordingQuality,
    };
    const prisonerFacts = {
      mappaCategory: prisoner.mappaCategory,
      mappaLevel: prisoner.mappaLevel,
      roshLevel: prisoner.roshLevel,
      alertCodes: prisoner.alertCodes,
    };
    const needs = escalationNeeds(facts, prisonerFacts);
    // Most logs raise nothing; the establishment's settings only matter for an IRMM's date.
    if (needs.length === 0) return [];
    const settings = needs.some((n) => n.due.kind === 'nextIrmm')
      ? ((await this.establishments.find(log.establishmentCode, m))?.settings ?? DEFAULT_SETTINGS)
      : DEFAULT_SETTINGS;
    const plan = planEscalations(facts, prisonerFacts, {
      from: this.clock.now(),
      calendar: englandAndWalesCalendar(),
      irmmWeekday: settings.irmmMeetingWeekday,
    });
    const raised: RaisedEscalation[] = [];
    for (const planned of plan) {
      raised.push(
        await this.openOrAttach(
          m,
          actor,
          log.prisonNumber,
          log.establishmentCode,
          planned,
          [log.id],
          prisoner.pomUsername,
        ),
      );
    }
    return raised;
  }

  private async openOrAttach(
    m: EntityManager,
    actor: AuthUser,
    prisonNumber: string,
    establishmentCode: string,
    planned: PlannedEscalation,
    logIds: string[],
    pomUsername: string | null,
  ): Promise<RaisedEscalation> {
    const reason = planned.reasons.join('; ');
    const { row, created, reopened, dueAt } = await this.openOrMerge(m, actor, {
      prisonNumber,
      establishmentCode,
      planned,
      reason,
      assignee: POM_ASSIGNED_TARGETS.includes(planned.target) ? pomUsername : null,
    });
    for (const logId of logIds) await this.escalations.attachLog(m, row.id, logId);
    await this.audit.record(
      actor,
      {
        action: created
          ? 'ESCALATION_CREATED'
          : reopened
            ? 'ESCALATION_REOPENED'
            : 'ESCALATION_LOG_ATTACHED',
        entityType: 'escalation',
        entityId: row.id,
        establishmentCode,
        details: {
          prisonNumber,
          target: planned.target,
          logIds,
          reason,
          ...(reopened
            ? { acknowledgedBy: row.acknowledgedBy, acknowledgedAt: row.acknowledgedAt, dueAt }
            : {}),
        },
      },
      m,
    );
    // The emails this owes go into the outbox in this same transaction: sent once it commits.
    if (created || reopened)
      await this.events.emit(
        'ESCALATION_RAISED',
        {
          escalationId: row.id,
          target: planned.target,
          prisonNumber,
          establishmentCode,
          assignee: row.assignee,
          dueAt,
          reopened,
        },
        m,
      );
    return { id: row.id, target: planned.target, dueAt, assignee: row.assignee, created };
  }

  /**
   * The open escalation this plan goes to: created, or the one not closed with the plan merged in.
   * Whether the plan changes it is decided on a plain read first; only then is the row locked for
   * update. A log that only attaches (most later logs: the earlier due time and the higher concern
   * already stand) takes a share lock, so listeners logging calls of one prisoner do not queue behind
   * each other's commits, while a close or change of the escalation waits for them.
   */
  private async openOrMerge(
    m: EntityManager,
    actor: AuthUser,
    e: {
      prisonNumber: string;
      establishmentCode: string;
      planned: PlannedEscalation;
      reason: string;
      assignee: string | null;
    },
  ): Promise<{ row: EscalationRow; created: boolean; reopened: boolean; dueAt: Date | null }> {
    const { prisonNumber, planned } = e;
    // Closed between the insert and the lock: opened again on the next pass.
    for (let attempt = 0; ; attempt++) {
      const inserted = await this.escalations.insertOpen(m, {
        prisonNumber,
        establishmentCode: e.establishmentCode,
        target: planned.target,
        reason: e.reason,
        concernLevel: planned.concernLevel,
        dueAt: planned.dueAt,
        assignee: e.assignee,
        createdBy: actor.username,
      });
      if (inserted) return { row: inserted, created: true, reopened: false, dueAt: inserted.dueAt };
      const seen = await this.escalations.findOpen(m, prisonNumber, planned.target);
      const mode = seen && !mergeOf(seen, planned).changes ? 'SHARE' : 'UPDATE';
      let row = await this.escalations.lockOpen(m, prisonNumber, planned.target, mode);
      let merged = row && mergeOf(row, planned);
      // Changed by a commit between the read and the lock: taken for update after all.
      if (row && merged?.changes && mode === 'SHARE') {
        row = await this.escalations.lockOpen(m, prisonNumber, planned.target, 'UPDATE');
        merged = row && mergeOf(row, planned);
      }
      if (!row || !merged) {
        if (attempt < 2) continue;
        throw new Conflict('The escalation changed while this was being saved: try again');
      }
      if (merged.reopen) await this.escalations.reopen(m, row.id, merged.change);
      else if (merged.changes) await this.escalations.updateOpen(m, row.id, merged.change);
      return { row, created: false, reopened: merged.reopen, dueAt: merged.change.dueAt };
    }
  }

  /**
   * Whether the prisoner's calls are already lifted by an open high-concern escalation: then a new
   * high-concern log changes no triage fact, and its re-score (every waiting call of the prisoner,
   * 1.2 s for one with 10,000) is skipped. Ask before raising this log's escalations.
   */
  hasOpenHighConcern(m: EntityManager, prisonNumber: string): Promise<boolean> {
    return this.escalations.hasOpenHighConcern(m, prisonNumber);
  }

  /**
   * The prisoner's POM changed (inside the transaction that changed it): their open POM and COM
   * escalations go to the new POM, or to the heads of OMU when no POM is allocated. Audited per
   * escalation.
   */
  async reassignPom(m: EntityManager, actor: AuthUser, change: PomChange): Promise<void> {
    const moved = await this.escalations.reassignOpenPom(m, change.prisonNumber, change.to);
    for (const e of moved) {
      await this.audit.record(
        actor,
        {
          action: 'ESCALATION_REASSIGNED',
          entityType: 'escalation',
          entityId: e.id,
          establishmentCode: e.establishmentCode,
          details: {
            prisonNumber: change.prisonNumber,
            target: e.target,
            from: e.previous,
            to: change.to,
          },
        },
        m,
      );
    }
  }

  async manual(actor: AuthUser, prisonNumber: string, dto: ManualEscalationDto) {
    return this.db.transaction(async (m) => {
      const prisoner = await this.prisoners.findVisible(actor, prisonNumber, m);
      if (dto.logIds.length) {
        const found = await this.escalations.logsOfPrisoner(m, dto.logIds, prisonNumber);
        const missing = dto.logIds.findIndex((id) => !found.has(id));
        if (missing >= 0)
          throw ValidationFailed.field(`logIds[${missing}]`, 'is not a log of this prisoner');
      }
      const raised = await this.openOrAttach(
        m,
        actor,
        prisonNumber,
        prisoner.establishmentCode,
        {
          target: dto.target,
          dueAt: this.clock.now(),
          reasons: [`raised by ${actor.username}: ${dto.reason}`],
          concernLevel: dto.concernLevel,
        },
        dto.logIds,
        prisoner.pomUsername,
      );
      if (isHighConcern(dto.concernLevel))
        await this.events.emit(
          'TRIAGE_FACTS_CHANGED',
          { affected: { prisonNumbers: [prisonNumber] }, facts: ['HIGH_CONCERN'] },
          m,
        );
      return toEscalationResponse((await this.escalations.find(raised.id, m))!);
    });
  }

  async acknowledge(actor: AuthUser, id: string) {
    return this.act(actor, id, async (row, m) => {
      if (row.status === 'CLOSED') throw new Conflict('This escalation is closed');
      if (row.status === 'OPEN') await this.escalations.acknowledge(m, id, actor.username);
      return 'ESCALATION_ACKNOWLEDGED';
    });
  }

  async close(actor: AuthUser, id: string, dto: CloseEscalationDto) {
    return this.act(actor, id, async (row, m) => {
      if (row.status === 'CLOSED') throw new Conflict('This escalation is already closed');
      const note = dto.note?.trim() || null;
      const changed: TriageFact[] = [];
      let details: Record<string, unknown> = { outcome: dto.outcome };
      if (isMappaOutcome(dto.outcome)) {
        const review = await this.mappaReviews.close(m, actor, row, dto, note);
        details = { ...details, ...review };
        if (review.profileChanged) changed.push('MAPPA');
      } else {
        await this.escalations.close(m, id, actor.username, dto.outcome, note);
      }
      // Closing a high concern lets the prisoner's calls fall back to their own tier.
      if (isHighConcern(row.concernLevel)) changed.push('HIGH_CONCERN');
      if (changed.length)
        await this.events.emit(
          'TRIAGE_FACTS_CHANGED',
          { affected: { prisonNumbers: [row.prisonNumber] }, facts: changed },
          m,
        );
      return { action: 'ESCALATION_CLOSED', details };
    });
  }

  /** Closes or carries forward an escalation as part of an IRMM meeting (caller holds the transaction). */
  async closeInTransaction(
    m: EntityManager,
    actor: AuthUser,
    row: EscalationRow,
    outcome: CloseEscalationDto,
  ) {
    await this.escalations.close(
      m,
      row.id,
      actor.username,
      outcome.outcome,
      outcome.note?.trim() || null,
    );
    if (isHighConcern(row.concernLevel))
      await this.events.emit(
        'TRIAGE_FACTS_CHANGED',
        { affected: { prisonNumbers: [row.prisonNumber] }, facts: ['HIGH_CONCERN'] },
        m,
      );
  }

  async get(actor: AuthUser, id: string) {
    const row = await this.escalations.find(id);
    if (!row) throw new NotFound(`No escalation ${id}`);
    assertEstablishment(actor, row.establishmentCode);
    const shares = await this.escalations.shares(id);
    // What was shared with the COM retells intercepted material: reading it is audited.
    if (shares.length)
      await this.audit.record(actor, {
        action: 'ESCALATION_SHARES_READ',
        entityType: 'escalation',
        entityId: id,
        establishmentCode: row.establishmentCode,
        details: { prisonNumber: row.prisonNumber, shareIds: shares.map((sh) => sh.id) },
        subjectIds: [row.prisonNumber],
      });
    return { ...toEscalationResponse(row), shares: shares.map(toShareResponse) };
  }

  /**
   * Records what the prisoner's POM (or a head of OMU) shared with the community offender manager
   * on a COM escalation: how, when, what and the COM's response. Only a COM escalation takes a
   * share (409 otherwise); a closed one still does, since a disclosure made must be on the record
   * whenever it is written down. A share is a disclosure of intercepted material: audited
   * ESCALATION_SHARED with the COM it went to (never what was shared). `sharedAt` may not be in the
   * future (a few minutes of clock difference allowed).
   */
  async share(actor: AuthUser, id: string, dto: ShareWithComDto) {
    const now = this.clock.now();
    if (dto.sharedAt.getTime() > now.getTime() + SHARE_CLOCK_SKEW_MS)
      throw ValidationFailed.field('sharedAt', 'must not be in the future');
    let shared: EscalationShareRow | undefined;
    await this.act(actor, id, async (row, m) => {
      if (row.target !== 'COM')
        throw new Conflict(
          `Only a COM escalation is shared with the community offender manager; this one is ${row.target}`,
        );
      const prisoner = await this.prisoners.find(row.prisonNumber, m);
      shared = await this.escalations.insertShare(m, {
        escalationId: id,
        channel: dto.channel,
        sharedAt: dto.sharedAt,
        summary: dto.summary.trim(),
        response: dto.response?.trim() || null,
        sharedBy: actor.username,
      });
      return {
        action: 'ESCALATION_SHARED',
        details: {
          disclosure: 'INTERCEPTED_MATERIAL',
          shareId: shared.id,
          channel: dto.channel,
          sharedAt: dto.sharedAt.toISOString(),
          to: prisoner?.com ? { name: prisoner.com.name, email: prisoner.com.email } : null,
          logIds: row.logIds,
          withResponse: shared.response !== null,
        },
      };
    });
    return toShareResponse(shared!);
  }

  /** How many escalations not yet closed are the actor's to act on at this establishment (or all). */
  countOpenMine(actor: AuthUser, establishment?: string): Promise<number> {
    if (establishment) assertEstablishment(actor, establishment);
    return this.escalations.countOpenMine({
      establishments: establishmentScope(actor, establishment),
      username: actor.username,
      targets: this.targetsOf(actor),
    });
  }

  async list(actor: AuthUser, q: EscalationQuery) {
    if (q.establishment) assertEstablishment(actor, q.establishment);
    const targets = this.targetsOf(actor);
    const { rows, total } = await this.escalations.list({
      establishments: establishmentScope(actor, q.establishment),
      target: q.target,
      status: q.status,
      prisonNumber: q.prisonNumber,
      overdue: q.overdue,
      mine: q.mine ? { username: actor.username, targets } : undefined,
      limit: q.limit,
      offset: q.offset,
    });
    return { items: rows.map(toEscalationResponse), total };
  }

  /** The targets the actor's roles handle. */
  private targetsOf(actor: AuthUser): EscalationTarget[] {
    return (Object.keys(TARGET_ROLES) as EscalationTarget[]).filter((t) =>
      hasRole(actor, ...TARGET_ROLES[t]),
    );
  }

  /** Locks the escalation, checks the actor is one who acts on it, applies the change, audits it. */
  private async act(
    actor: AuthUser,
    id: string,
    apply: (
      row: EscalationRow,
      m: EntityManager,
    ) => Promise<string | { action: string; details: Record<string, unknown> }>,
  ) {
    return this.db.transaction(async (m) => {
      const row = await this.escalations.lock(m, id);
      if (!row) throw new NotFound(`No escalation ${id}`);
      assertEstablishment(actor, row.establishmentCode);
      if (!this.mayAct(actor, row)) {
        throw new Forbidden(
          POM_ASSIGNED_TARGETS.includes(row.target) || row.target === 'MAPPA'
            ? 'Only the prisoner’s POM or a head of offender management may act on this escalation'
            : `Only ${TARGET_ROLES[row.target].join(' or ')} may act on a ${row.target} escalation`,
        );
      }
      const applied = await apply(row, m);
      const { action, details } =
        typeof applied === 'string' ? { action: applied, details: {} } : applied;
      await this.audit.record(
        actor,
        {
          action,
          entityType: 'escalation',
          entityId: id,
          establishmentCode: row.establishmentCode,
          details: { prisonNumber: row.prisonNumber, target: row.target, ...details },
        },
        m,
      );
      return toEscalationResponse((await this.escalations.find(id, m))!);
    });
  }

  /** Whether the actor may act on this escalation (the workbench shows its forms only then). */
  async mayActOn(actor: AuthUser, id: string): Promise<boolean> {
    const row = await this.escalations.find(id);
    return row !== null && this.mayAct(actor, row);
  }

  mayAct(
    actor: AuthUser,
    row: Pick<EscalationRow, 'target' | 'assignee' | 'prisonerPomUsername'>,
  ): boolean {
    if (POM_ASSIGNED_TARGETS.includes(row.target) && row.assignee === actor.username) return true;
    if (
      row.target === 'MAPPA' &&
      row.prisonerPomUsername === actor.username &&
      hasRole(actor, 'POM')
    )
      return true;
    return hasRole(actor, ...TARGET_ROLES[row.target]);
  }
}
