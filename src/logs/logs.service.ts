/*
 * Why this file is long: a log's whole life (submit under the lease, amend as a new version, read
 * and count as read, identification tasks) shares one transaction pattern, audit and feedback of
 * what the listener learnt to the contact list; the SQL is in logs.repository.ts.
 */
import { DomainEvents } from '../common/domain-events';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { assertEstablishment, AuthUser, establishmentScope, hasRole } from '../common/auth-user';
import { Conflict, Forbidden, NotFound, ValidationFailed } from '../common/errors';
import { isHighConcern, Theme } from '../common/vocabulary';
import { Queryable } from '../db/sql';
import { ContactRow, PrisonerRow, PrisonersService } from '../prisoners/prisoners.service';
import { TriageFact } from '../common/triage-facts-changed';
import { checkLogRules } from './log-rules';
import { AmendLogDto, LogContentDto, SubmitLogDto } from './logs.dto';
import { toLogResponse } from './logs.mapper';
import { LogEscalations } from './log-escalations';
import { CallForLog, LogRow, LogsRepository } from './logs.repository';

export type { LogRow } from './logs.repository';

@Injectable()
export class LogsService {
  private escalationsOfLogs: LogEscalations | null = null;

  constructor(
    private readonly db: DataSource,
    private readonly logs: LogsRepository,
    private readonly prisoners: PrisonersService,
    private readonly events: DomainEvents,
    private readonly audit: AuditService,
  ) {}

  /** The escalations module, given at its module init (see LogEscalations). */
  useEscalations(escalations: LogEscalations): void {
    this.escalationsOfLogs = escalations;
  }

  /** A log written without its escalations would leave a concern unraised: that is an error. */
  private get escalations(): LogEscalations {
    if (!this.escalationsOfLogs) {
      throw new Error(
        'No escalations module: a log cannot be written without its escalation rules',
      );
    }
    return this.escalationsOfLogs;
  }

  /**
   * Records what the listener heard, only under the call's live lease. In one transaction: the log,
   * the call LOGGED, what the listener learnt about the number fed back to the contact list, the
   * escalations the rules demand, and a re-score of the prisoner's waiting calls.
   */
  async submit(actor: AuthUser, callId: string, dto: SubmitLogDto) {
    assertRules(dto);
    return this.db.transaction(async (m) => {
      const call = await this.logs.lockCall(m, callId, dto.token, actor.username);
      if (!call) throw new NotFound(`No call ${callId}`);
      assertEstablishment(actor, call.establishmentCode);
      if (!call.holdsLease) {
        throw new Conflict(
          'This claim is no longer yours: the lease expired or was released. Nothing was saved.',
        );
      }
      const known = await this.knownContact(m, dto, call);
      const { contactId, changedNumbers } = await this.feedBackIdentification(
        m,
        actor,
        dto,
        call,
        known,
      );
      // The log, and the call LOGGED with the log's contact, in one statement.
      const log = await this.logs.insert(
        m,
        {
          ...this.logContent(dto, call, known),
          callId,
          version: 1,
          supersedesId: null,
          amendmentReason: null,
          prisonNumber: call.prisonNumber,
          establishmentCode: call.establishmentCode,
          authorUsername: actor.username,
          contactId,
          claimedAt: call.claimedAt,
          handlingSeconds: call.heldSeconds,
        },
        { markLogged: true },
      );
      if (dto.contact.confidence === 'UNIDENTIFIED') {
        await this.logs.openIdentificationTask(m, {
          prisonNumber: call.prisonNumber,
          establishmentCode: call.establishmentCode,
          dialledNumber: call.dialledNumber,
          callId,
          logId: log.id,
        });
      }
      const liftsCalls = await this.liftsCalls(m, log);
      const raised = await this.escalations.raiseFromLog(m, actor, log, call);
      // What the listener learnt of a number may make it privileged; a concern only moves tiers.
      // A concern lifts all the prisoner's calls; what was learnt of a contact concerns only the
      // calls to its numbers (the busy hour's prisoner with 10,000 waiting calls had every one of
      // them locked and re-scored by each log that named a new number of his).
      if (liftsCalls) {
        const changed: TriageFact[] = changedNumbers
          ? ['CONTACTS', 'HIGH_CONCERN']
          : ['HIGH_CONCERN'];
        await this.events.emit(
          'TRIAGE_FACTS_CHANGED',
          { affected: { prisonNumbers: [call.prisonNumber] }, facts: changed },
          m,
        );
      } else if (changedNumbers) {
        await this.events.emit(
          'TRIAGE_FACTS_CHANGED',
          {
            affected: { prisonNumber: call.prisonNumber, dialledNumbers: changedNumbers },
            facts: ['CONTACTS'],
          },
          m,
        );
      }
      await this.audit.record(
        actor,
        {
          action: 'LOG_CREATED',
          entityType: 'log',
          entityId: log.id,
          establishmentCode: call.establishmentCode,
          details: {
            callId,
            prisonNumber: call.prisonNumber,
            concernLevel: log.concernLevel,
            themes: log.themeCodes,
          },
        },
        m,
      );
      return {
        log: toLogResponse(log),
        escalations: raised,
      };
    });
  }

  /** A log is never edited: an amendment is a new version, with its reason; both are kept. */
  async amend(actor: AuthUser, logId: string, dto: AmendLogDto) {
    assertRules(dto);
    return this.db.transaction(async (m) => {
      const original = await this.logs.find(logId, m);
      if (!original) throw new NotFound(`No log ${logId}`);
      assertEstablishment(actor, original.establishmentCode);
      if (original.authorUsername !== actor.username && !hasRole(actor, 'SECURITY_MANAGER')) {
        throw new Forbidden('Only the author or a security manager may amend a log');
      }
      // Locked first, so that two amendments of one log queue up on its call.
      const call = (await this.logs.lockCallForAmendment(m, original.callId))!;
      const versions = await this.logs.versions(original.callId, m);
      const latest = versions[versions.length - 1];
      if (latest.id !== logId)
        throw new Conflict(`Amend the latest version (${latest.id}), not an earlier one`);
      const known = await this.knownContact(m, dto, call);
      const amended = await this.logs.insert(m, {
        ...this.logContent(dto, call, known),
        callId: original.callId,
        version: latest.version + 1,
        supersedesId: latest.id,
        amendmentReason: dto.reason,
        prisonNumber: original.prisonNumber,
        establishmentCode: original.establishmentCode,
        authorUsername: actor.username,
        contactId: known?.id ?? null,
        claimedAt: original.claimedAt,
        handlingSeconds: original.handlingSeconds,
      });
      const prisoner = (await this.prisoners.find(original.prisonNumber, m))!;
      const liftsCalls = await this.liftsCalls(m, amended);
      const raised = await this.escalations.raiseFromLog(m, actor, amended, prisoner);
      if (liftsCalls) {
        await this.events.emit(
          'TRIAGE_FACTS_CHANGED',
          { affected: { prisonNumbers: [original.prisonNumber] }, facts: ['HIGH_CONCERN'] },
          m,
        );
      }
      await this.audit.record(
        actor,
        {
          action: 'LOG_AMENDED',
          entityType: 'log',
          entityId: amended.id,
          establishmentCode: original.establishmentCode,
          details: { supersedes: latest.id, version: amended.version, reason: dto.reason },
        },
        m,
      );
      return {
        log: toLogResponse(amended),
        escalations: raised,
      };
    });
  }

  /**
   * Whether this log's high concern changes the prisoner's triage facts: not when an open
   * high-concern escalation already lifts their calls. In the busy-hour benchmark every listener of
   * an establishment took calls of the one prisoner whose 10,000 waiting calls were at P1, and each
   * HIGH log re-scored all of them (1.2 s) while the next waited on its escalation: log p99 0.6 s.
   */
  private async liftsCalls(m: EntityManager, log: LogRow): Promise<boolean> {
    if (!isHighConcern(log.concernLevel)) return false;
    return !(await this.escalations.hasOpenHighConcern(m, log.prisonNumber));
  }

  /** Opening a log: audited, and it counts as read when the prisoner's POM opens it. */
  async get(actor: AuthUser, logId: string) {
    const log = await this.logs.find(logId);
    if (!log) throw new NotFound(`No log ${logId}`);
    assertEstablishment(actor, log.establishmentCode);
    const prisoner = await this.prisoners.find(log.prisonNumber);
    const readByPom = prisoner?.pomUsername === actor.username;
    if (readByPom) await this.logs.markRead(logId, actor.username);
    await this.audit.record(actor, {
      action: 'LOG_READ',
      entityType: 'log',
      entityId: logId,
      establishmentCode: log.establishmentCode,
      details: { prisonNumber: log.prisonNumber, markedRead: readByPom },
    });
    const versions = await this.logs.versions(log.callId);
    return { ...toLogResponse(log), versions: versions.map((v) => toLogResponse(v)) };
  }

  async forPrisoner(
    actor: AuthUser,
    prisonNumber: string,
    q: { from?: Date; to?: Date; theme?: Theme; limit: number; offset: number },
  ) {
    const prisoner = await this.prisoners.findVisible(actor, prisonNumber);
    const { rows, total } = await this.logs.forPrisoner({ prisonNumber, ...q });
    await this.auditReads(actor, rows, prisoner, 'prisoner-logs');
    const read = await this.logs.readBy(
      rows.map((r) => r.id),
      actor.username,
    );
    return { items: rows.map((r) => toLogResponse(r, { read: read.has(r.id) })), total };
  }

  /**
   * Current logs of each prisoner since that prisoner's time (null: all), by prisoner, each in call
   * order: one query however many prisoners. Not audited: the caller audits what it shows.
   */
  async currentSince(
    since: { prisonNumber: string; since: Date | null }[],
  ): Promise<Map<string, LogRow[]>> {
    const byPrisoner = new Map<string, LogRow[]>(since.map((s) => [s.prisonNumber, []]));
    if (since.length === 0) return byPrisoner;
    for (const log of await this.logs.sinceForEach(since))
      byPrisoner.get(log.prisonNumber)?.push(log);
    return byPrisoner;
  }

  /** How many calls the user logged since `since`, anywhere: a count of their own work, not audited. */
  countLoggedBy(actor: AuthUser, since: Date): Promise<number> {
    return this.logs.countLoggedBy(actor.username, since);
  }

  // Reads for other modules (no establishment check or audit: the caller makes them).

  currentForCalls(callIds: string[]): Promise<Map<string, LogRow>> {
    return this.logs.currentForCalls(callIds);
  }

  byIds(ids: string[], db?: Queryable): Promise<LogRow[]> {
    return this.logs.byIds(ids, db);
  }

  /** Every version of a call's log, oldest first. */
  versions(callId: string, db?: Queryable): Promise<LogRow[]> {
    return this.logs.versions(callId, db);
  }

  /** The logs a page or document showed: one LOG_READ row naming them and their prisoners. */
  async auditReads(
    actor: AuthUser,
    rows: LogRow[],
    prisoner: Pick<PrisonerRow, 'establishmentCode'>,
    via: string,
  ) {
    await this.audit.recordReads(
      actor,
      'LOG_READ',
      'log',
      rows.map((r) => ({
        id: r.id,
        establishmentCode: prisoner.establishmentCode,
        prisonNumber: r.prisonNumber,
      })),
      via,
    );
  }

  identificationTasks(
    actor: AuthUser,
    establishment: string | undefined,
    status: 'OPEN' | 'RESOLVED',
  ) {
    if (establishment) assertEstablishment(actor, establishment);
    return this.logs
      .identificationTasks(establishmentScope(actor, establishment), status)
      .then((items) => ({ items, total: items.length }));
  }

  async resolveIdentificationTask(actor: AuthUser, id: string, note: string) {
    const code = await this.logs.identificationTaskEstablishment(id);
    if (!code) throw new NotFound(`No identification task ${id}`);
    assertEstablishment(actor, code);
    const resolved = await this.logs.resolveIdentificationTask(id, actor.username, note);
    if (!resolved) throw new Conflict('This task is already resolved');
    await this.audit.record(actor, {
      action: 'IDENTIFICATION_TASK_RESOLVED',
      entityType: 'identification_task',
      entityId: id,
      establishmentCode: code,
      details: { note },
    });
    return { id, status: 'RESOLVED' as const };
  }

  private async knownContact(
    m: EntityManager,
    dto: LogContentDto,
    call: CallForLog,
  ): Promise<ContactRow | null> {
    const id = dto.contact.contactId;
    if (!id) return null;
    const contact = await this.prisoners.findContact(id, m);
    if (!contact || contact.prisonNumber !== call.prisonNumber) {
      throw ValidationFailed.field('contact.contactId', 'is not one of this prisoner’s contacts');
    }
    return contact;
  }

  /**
   * What the listener learnt goes back to the contact list: a number with no contact gets one (the
   * listener as its source); a confirmed relationship corrects the contact. The prisoner's waiting
   * calls are then re-scored, so the next call to this number is prioritised for who it really is.
   */
  private async feedBackIdentification(
    m: EntityManager,
    actor: AuthUser,
    dto: LogContentDto,
    call: CallForLog,
    known: ContactRow | null,
  ): Promise<{ contactId: string | null; changedNumbers: string[] | null }> {
    const { relationship, confidence, isChild, name } = dto.contact;
    if (known) {
      const correct =
        confidence === 'CONFIRMED' &&
        ((relationship && relationship !== known.relationship) ||
          (isChild !== undefined && isChild !== known.isChild));
      if (!correct) return { contactId: known.id, changedNumbers: null };
      const phoneNumbers = known.phoneNumbers.includes(call.dialledNumber)
        ? known.phoneNumbers
        : [...known.phoneNumbers, call.dialledNumber];
      // Relationship and child only: the contact's name and protection are not the listener's to
      // change, so the change concerns the calls to its numbers alone.
      await this.prisoners.updateContact(m, {
        ...known,
        relationship: relationship ?? known.relationship,
        isChild: isChild ?? known.isChild,
        phoneNumbers,
      });
      await this.auditContact(m, actor, 'CONTACT_UPDATED', known.id, call);
      return { contactId: known.id, changedNumbers: phoneNumbers };
    }
    if (
      call.contactId ||
      confidence === 'UNIDENTIFIED' ||
      !relationship ||
      relationship === 'UNKNOWN'
    ) {
      return { contactId: null, changedNumbers: null };
    }
    const created = await this.prisoners.insertContact(m, {
      prisonNumber: call.prisonNumber,
      name:
        name?.trim() ||
        `Unnamed ${relationship.toLowerCase().replace(/_/g, ' ')} (identified from a call)`,
      relationship,
      phoneNumbers: [call.dialledNumber],
      isVictim: false,
      isChild: isChild ?? relationship === 'CHILD',
      restriction: 'NONE',
      source: 'LISTENER',
      sourceUsername: actor.username,
    });
    await this.auditContact(m, actor, 'CONTACT_CREATED', created.id, call);
    // Not protected (no victim, no restriction): it concerns only the calls to this number.
    return { contactId: created.id, changedNumbers: [call.dialledNumber] };
  }

  private auditContact(
    m: EntityManager,
    actor: AuthUser,
    action: string,
    contactId: string,
    call: CallForLog,
  ) {
    return this.audit.record(
      actor,
      {
        action,
        entityType: 'contact',
        entityId: contactId,
        establishmentCode: call.establishmentCode,
        details: { prisonNumber: call.prisonNumber, source: 'LISTENER', callId: call.id },
      },
      m,
    );
  }

  private logContent(dto: LogContentDto, call: CallForLog, known: ContactRow | null) {
    return {
      relationship: dto.contact.relationship ?? known?.relationship ?? 'UNKNOWN',
      confidence: dto.contact.confidence,
      contactIsChild: dto.contact.isChild ?? known?.isChild ?? dto.contact.relationship === 'CHILD',
      themes: dto.themes.map((t) => ({ code: t.code, ...(t.note ? { note: t.note } : {}) })),
      threats: dto.threats.map((t) => ({
        target: t.target.trim(),
        type: t.type,
        imminence: t.imminence,
        ...(t.quote ? { quote: t.quote } : {}),
      })),
      concernLevel: dto.concernLevel,
      summary: dto.summary.trim(),
      recordingQuality: dto.recordingQuality,
      language: dto.language ?? call.language,
    };
  }
}

function assertRules(dto: LogContentDto): void {
  const errors = checkLogRules(dto);
  if (errors.length) throw new ValidationFailed(`${errors[0].field}: ${errors[0].message}`, errors);
}
