// Why this file is long: the prisoner record and its contacts are written here, and each write tells
// triage, the audit and the monitoring decisions (prisonerChanged) in its transaction; the contact
// rules, the privileged directory and the prisoner search (parsed in prisoner-search.ts) sit beside
// them. Candidates to split: the privileged directory.
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { DomainEvents } from '../common/domain-events';
import {
  assertEstablishment,
  AuthUser,
  canSeeEstablishment,
  establishmentScope,
  hasRole,
  isNational,
} from '../common/auth-user';
import { FieldError, Forbidden, NotFound, ValidationFailed } from '../common/errors';
import { canonicalPhoneNumber, normalisePhoneNumber } from '../common/phone-numbers';
import { Role } from '../common/vocabulary';
import { Queryable } from '../db/sql';
import { EstablishmentsService } from '../establishments/establishments.service';
import { StaffService } from '../staff/staff.service';
import { TriageFact } from '../common/triage-facts-changed';
import { deriveRiskFromAlertCodes } from './alert-codes';
import { PomChangedHook } from './pom-change';
import { addedMarkers, protectionMarkers } from './protection-markers';
import {
  ComDto,
  ComFieldsDto,
  CreateContactDto,
  CreatePrivilegedNumberDto,
  PatchContactDto,
  PutPrisonerDto,
} from './prisoners.dto';
import { toKeyDatesResponse } from './prisoners.mapper';
import { PRISONER_SEARCH_LIMIT, readPrisonerQuery } from './prisoner-search';
import {
  ComRow,
  ContactRow,
  PrisonerRow,
  PrisonerSearchRow,
  PrisonersRepository,
} from './prisoners.repository';

export type { ComRow, ContactRow, PrisonerRow, PrisonerSearchRow } from './prisoners.repository';

/** Who may open a prisoner's record (GET /api/prisoners/{n}), and so search for one. */
export const PROFILE_READERS: readonly Role[] = [
  'LISTENER',
  'POM',
  'HEAD_OF_OMU',
  'SECURITY_MANAGER',
  'ADMIN',
];
export type { PomChange } from './pom-change';

/** What a prisoner's record holds that the priority policy reads (an upsert may change any). */
const PRISONER_FACTS: readonly TriageFact[] = [
  'ALERT_CODES',
  'MAPPA',
  'ROSH',
  'RELEASE_DATE',
  'KEY_DATES',
  'LEAD_LISTENER',
];

export function toContactResponse(c: ContactRow) {
  return {
    id: c.id,
    prisonNumber: c.prisonNumber,
    name: c.name,
    relationship: c.relationship,
    phoneNumbers: c.phoneNumbers,
    isVictim: c.isVictim,
    isChild: c.isChild,
    restriction: c.restriction,
    source: c.source,
    sourceUsername: c.sourceUsername,
  };
}

export function toPrisonerResponse(p: PrisonerRow) {
  return {
    prisonNumber: p.prisonNumber,
    firstName: p.firstName,
    lastName: p.lastName,
    establishmentCode: p.establishmentCode,
    alertCodes: p.alertCodes,
    mappaCategory: p.mappaCategory,
    mappaLevel: p.mappaLevel,
    roshLevel: p.roshLevel,
    earliestReleaseDate: p.earliestReleaseDate,
    mappaLevelReviewedAt: p.mappaLevelReviewedAt,
    pomUsername: p.pomUsername,
    leadListenerUsername: p.leadListenerUsername,
    languages: p.languages,
    riskMarkers: deriveRiskFromAlertCodes(p.alertCodes).flags,
    com: p.com,
    handoverDate: p.handoverDate,
  };
}

/** The COM as stored: texts trimmed, optional ones null when not given. */
function toComRow(c: ComDto): ComRow {
  return {
    name: c.name.trim(),
    email: c.email.trim(),
    phone: c.phone?.trim() || null,
    probationDeliveryUnit: c.probationDeliveryUnit?.trim() || null,
    allocatedOn: c.allocatedOn ?? null,
  };
}

/** The COM fields' change: undefined leaves each as it is, null clears it. */
function comChange(dto: ComFieldsDto): { com?: ComRow | null; handoverDate?: string | null } {
  return {
    ...(dto.com !== undefined ? { com: dto.com === null ? null : toComRow(dto.com) } : {}),
    ...(dto.handoverDate !== undefined ? { handoverDate: dto.handoverDate } : {}),
  };
}

/** What an audit row says of a COM change (never more than the record holds). */
function comAudit(change: { com?: ComRow | null; handoverDate?: string | null }) {
  return {
    ...(change.com !== undefined ? { com: change.com ? { name: change.com.name } : null } : {}),
    ...(change.handoverDate !== undefined ? { handoverDate: change.handoverDate } : {}),
  };
}

/** Strictly normalises staff-entered contact numbers, naming each bad one by index. */
function normaliseContactNumbers(raw: string[], field = 'phoneNumbers'): string[] {
  const errors: FieldError[] = [];
  const out: string[] = [];
  raw.forEach((n, i) => {
    const parsed = normalisePhoneNumber(n);
    if (parsed.ok) out.push(parsed.e164);
    else errors.push({ field: `${field}[${i}]`, message: parsed.reason });
  });
  if (errors.length) throw new ValidationFailed(`${errors[0].field}: ${errors[0].message}`, errors);
  return [...new Set(out)];
}

@Injectable()
export class PrisonersService {
  private readonly pomChangedHooks: PomChangedHook[] = [];

  constructor(
    private readonly db: DataSource,
    private readonly prisoners: PrisonersRepository,
    private readonly establishments: EstablishmentsService,
    private readonly staff: StaffService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly events: DomainEvents,
  ) {}

  /** Registers what must follow every change of a prisoner's POM (called once, at start-up). */
  onPomChanged(hook: PomChangedHook): void {
    this.pomChangedHooks.push(hook);
  }

  // For other modules, which reach prisoners and contacts through this service, not its repository.
  // No establishment check: the caller has made it. Inside a transaction, pass its manager.

  find(prisonNumber: string, db?: Queryable): Promise<PrisonerRow | null> {
    return this.prisoners.find(prisonNumber, db);
  }

  /** Each prisoner's establishment and first language. */
  lookup(
    prisonNumbers: string[],
  ): Promise<Map<string, { establishmentCode: string; language: string }>> {
    return this.prisoners.lookup(prisonNumbers);
  }

  /** Each prisoner's first and last name, for pages that list prisoners by number. */
  names(prisonNumbers: readonly string[]) {
    return this.prisoners.names(prisonNumbers);
  }

  contacts(prisonNumber: string, db?: Queryable): Promise<ContactRow[]> {
    return this.prisoners.contacts(prisonNumber, db);
  }

  findContact(id: string, db?: Queryable): Promise<ContactRow | null> {
    return this.prisoners.findContact(id, db);
  }

  /** A contact learnt from a log (the caller audits and re-scores). */
  async insertContact(
    m: EntityManager,
    c: Omit<ContactRow, 'id' | 'createdAt' | 'updatedAt'>,
  ): Promise<ContactRow> {
    const hadVictim = await this.hasVictimContact(c.prisonNumber, m);
    const row = await this.prisoners.insertContact(m, c);
    await this.contactsChanged(m, c.prisonNumber, hadVictim);
    return row;
  }

  async updateContact(m: EntityManager, c: ContactRow): Promise<ContactRow> {
    const hadVictim = await this.hasVictimContact(c.prisonNumber, m);
    const row = await this.prisoners.updateContact(m, c);
    await this.contactsChanged(m, c.prisonNumber, hadVictim);
    return row;
  }

  /** A MAPPA level review's result on the profile (the caller audits it and re-scores the calls). */
  recordMappaReview(m: EntityManager, prisonNumber: string, level: number | null, on: string) {
    return this.prisoners.setMappaReview(m, prisonNumber, level, on);
  }

  async put(actor: AuthUser, prisonNumber: string, dto: PutPrisonerDto) {
    const errors: FieldError[] = [];
    if (!(await this.establishments.find(dto.establishmentCode))) {
      errors.push({
        field: 'establishmentCode',
        message: `unknown establishment ${dto.establishmentCode}`,
      });
    }
    // The POM and the lead listener must hold that role at the prisoner's establishment, or the
    // caseload and the continuity credit would silently never apply.
    const assignments = [
      ['pomUsername', 'POM'],
      ['leadListenerUsername', 'LISTENER'],
    ] as const;
    for (const [field, role] of assignments) {
      const username = dto[field];
      if (typeof username !== 'string') continue;
      const person = await this.staff.find(username);
      if (!person) errors.push({ field, message: `unknown staff member ${username}` });
      else if (
        !person.roles.includes(role) ||
        !person.establishments.includes(dto.establishmentCode)
      ) {
        errors.push({ field, message: `${username} is not a ${role} at ${dto.establishmentCode}` });
      }
    }
    if (errors.length)
      throw new ValidationFailed(`${errors[0].field}: ${errors[0].message}`, errors);

    const alertCodes = [...new Set(dto.alertCodes.map((c) => c.toUpperCase()))];
    const derived = deriveRiskFromAlertCodes(alertCodes);
    // Explicit values win over what the alert codes say; an explicit null means "not set".
    const row = {
      prisonNumber,
      firstName: dto.firstName,
      lastName: dto.lastName,
      establishmentCode: dto.establishmentCode,
      alertCodes,
      mappaCategory: dto.mappaCategory !== undefined ? dto.mappaCategory : derived.mappaCategory,
      mappaLevel: dto.mappaLevel !== undefined ? dto.mappaLevel : derived.mappaLevel,
      roshLevel: dto.roshLevel !== undefined ? dto.roshLevel : derived.roshLevel,
      earliestReleaseDate: dto.earliestReleaseDate ?? null,
      mappaLevelReviewedAt: dto.mappaLevelReviewedAt ?? null,
      pomUsername: dto.pomUsername ?? null,
      leadListenerUsername: dto.leadListenerUsername ?? null,
      languages: dto.languages.length ? dto.languages : ['en'],
    };
    const com = comChange(dto);
    const saved = await this.db.transaction(async (m) => {
      const lockedPom = await this.prisoners.lockPom(m, prisonNumber);
      const before = await this.prisoners.find(prisonNumber, m);
      const { created } = await this.prisoners.upsert(m, row);
      await this.prisoners.setCom(m, prisonNumber, com);
      await this.prisoners.replaceKeyDates(m, prisonNumber, dto.keyDates);
      const pom = { from: lockedPom?.pomUsername ?? null, to: row.pomUsername };
      const pomChanged = lockedPom !== undefined && pom.from !== pom.to;
      if (pomChanged) {
        const change = { prisonNumber, establishmentCode: row.establishmentCode, ...pom };
        for (const hook of this.pomChangedHooks) await hook(m, actor, change);
      }
      await this.prisonerChanged(m, before, row);
      await this.events.emit(
        'TRIAGE_FACTS_CHANGED',
        { affected: { prisonNumbers: [prisonNumber] }, facts: PRISONER_FACTS },
        m,
      );
      await this.audit.record(
        actor,
        {
          action: created ? 'PRISONER_CREATED' : 'PRISONER_UPDATED',
          entityType: 'prisoner',
          entityId: prisonNumber,
          establishmentCode: row.establishmentCode,
          details: {
            alertCodes,
            mappaCategory: row.mappaCategory,
            mappaLevel: row.mappaLevel,
            roshLevel: row.roshLevel,
            keyDates: dto.keyDates,
            ...comAudit(com),
            ...(pomChanged ? { pomUsername: pom } : {}),
          },
        },
        m,
      );
      const stored = (await this.prisoners.find(prisonNumber, m))!;
      return { stored, keyDates: await this.prisoners.keyDates(prisonNumber, m) };
    });
    return {
      ...toPrisonerResponse(saved.stored),
      ...toKeyDatesResponse(saved.keyDates, saved.stored.earliestReleaseDate, this.clock.now()),
      unknownAlertCodes: derived.unknownCodes,
    };
  }

  /**
   * Records the prisoner's COM and handover date (the workbench's COM panel; `PUT
   * /api/prisoners/{prisonNumber}/com`): the prisoner's POM or a head of OMU at the prisoner's
   * establishment. Left-out fields stay; null clears. Audited PRISONER_COM_RECORDED.
   */
  async recordCom(actor: AuthUser, prisonNumber: string, dto: ComFieldsDto) {
    const change = comChange(dto);
    return this.db.transaction(async (m) => {
      await this.prisoners.lockPom(m, prisonNumber);
      const prisoner = await this.findVisible(actor, prisonNumber, m);
      if (!this.mayRecordCom(actor, prisoner))
        throw new Forbidden(
          'Only the prisoner’s POM or a head of offender management may record their COM',
        );
      await this.prisoners.setCom(m, prisonNumber, change);
      await this.audit.record(
        actor,
        {
          action: 'PRISONER_COM_RECORDED',
          entityType: 'prisoner',
          entityId: prisonNumber,
          establishmentCode: prisoner.establishmentCode,
          details: comAudit(change),
        },
        m,
      );
      const stored = (await this.prisoners.find(prisonNumber, m))!;
      return { prisonNumber, com: stored.com, handoverDate: stored.handoverDate };
    });
  }

  /** Whether the actor may record this prisoner's COM (the workbench shows the form only then). */
  mayRecordCom(actor: AuthUser, prisoner: Pick<PrisonerRow, 'pomUsername'>): boolean {
    if (hasRole(actor, 'HEAD_OF_OMU')) return true;
    return hasRole(actor, 'POM') && prisoner.pomUsername === actor.username;
  }

  /**
   * The prisoner search: a prison number the actor may see is that prisoner (the caller opens
   * their record, which audits its read); anything else lists the prisoners of the actor's
   * establishments (national roles: all) whose names it matches, at most 50, audited as a read of
   * those shown with the query in the details. Staff who may open a profile may search; an empty
   * or too long query is refused (400, field `q`).
   */
  async search(
    actor: AuthUser,
    raw: string,
  ): Promise<{ prisonNumber: string } | { query: string; items: PrisonerSearchRow[] }> {
    if (!hasRole(actor, ...PROFILE_READERS))
      throw new Forbidden('Only staff who may open a prisoner’s record may search for one');
    const q = readPrisonerQuery(raw);
    if (!q.ok) throw new ValidationFailed(`q: ${q.error.message}`, [q.error]);
    if (q.prisonNumber) {
      const found = await this.prisoners.find(q.prisonNumber);
      if (found && canSeeEstablishment(actor, found.establishmentCode))
        return { prisonNumber: found.prisonNumber };
    }
    const items = await this.prisoners.searchByName(
      q.pairs,
      establishmentScope(actor),
      PRISONER_SEARCH_LIMIT,
    );
    await this.audit.recordReads(
      actor,
      'PRISONER_READ',
      'prisoner',
      items.map((r) => ({ id: r.prisonNumber, establishmentCode: r.establishmentCode })),
      'prisoner-search',
      { query: q.query },
    );
    return { query: q.query, items };
  }

  async findVisible(
    actor: AuthUser,
    prisonNumber: string,
    m?: EntityManager,
  ): Promise<PrisonerRow> {
    const prisoner = await this.prisoners.find(prisonNumber, m);
    if (!prisoner) throw new NotFound(`No prisoner ${prisonNumber}`);
    assertEstablishment(actor, prisoner.establishmentCode);
    return prisoner;
  }

  async addContact(actor: AuthUser, prisonNumber: string, dto: CreateContactDto) {
    const phoneNumbers = normaliseContactNumbers(dto.phoneNumbers);
    return this.db.transaction(async (m) => {
      const prisoner = await this.findVisible(actor, prisonNumber, m);
      const contact = await this.insertContact(m, {
        prisonNumber,
        name: dto.name,
        relationship: dto.relationship,
        phoneNumbers,
        isVictim: dto.isVictim,
        isChild: dto.isChild,
        restriction: dto.restriction,
        source: 'STAFF',
        sourceUsername: actor.username,
      });
      await this.events.emit(
        'TRIAGE_FACTS_CHANGED',
        { affected: { prisonNumbers: [prisonNumber] }, facts: ['CONTACTS'] },
        m,
      );
      await this.audit.record(
        actor,
        {
          action: 'CONTACT_CREATED',
          entityType: 'contact',
          entityId: contact.id,
          establishmentCode: prisoner.establishmentCode,
          details: { prisonNumber, relationship: contact.relationship, isVictim: contact.isVictim },
        },
        m,
      );
      return toContactResponse(contact);
    });
  }

  async patchContact(actor: AuthUser, id: string, dto: PatchContactDto) {
    const phoneNumbers = dto.phoneNumbers ? normaliseContactNumbers(dto.phoneNumbers) : undefined;
    return this.db.transaction(async (m) => {
      const contact = await this.prisoners.findContact(id, m);
      if (!contact) throw new NotFound(`No contact ${id}`);
      const prisoner = await this.findVisible(actor, contact.prisonNumber, m);
      const updated = await this.updateContact(m, {
        ...contact,
        name: dto.name ?? contact.name,
        relationship: dto.relationship ?? contact.relationship,
        phoneNumbers: phoneNumbers ?? contact.phoneNumbers,
        isVictim: dto.isVictim ?? contact.isVictim,
        isChild: dto.isChild ?? contact.isChild,
        restriction: dto.restriction ?? contact.restriction,
      });
      await this.events.emit(
        'TRIAGE_FACTS_CHANGED',
        { affected: { prisonNumbers: [contact.prisonNumber] }, facts: ['CONTACTS'] },
        m,
      );
      await this.audit.record(
        actor,
        {
          action: 'CONTACT_UPDATED',
          entityType: 'contact',
          entityId: id,
          establishmentCode: prisoner.establishmentCode,
          details: { prisonNumber: contact.prisonNumber, changed: Object.keys(dto) },
        },
        m,
      );
      return toContactResponse(updated);
    });
  }

  private async hasVictimContact(prisonNumber: string, m: EntityManager): Promise<boolean> {
    return (await this.prisoners.contacts(prisonNumber, m)).some((c) => c.isVictim);
  }

  /**
   * Tells the modules that act on a prisoner's arrival or new public-protection markers (the
   * monitoring decisions), in this transaction. `before` is the record as it was (null: created).
   */
  private async prisonerChanged(
    m: EntityManager,
    before: PrisonerRow | null,
    after: Omit<PrisonerRow, 'updatedAt' | 'com' | 'handoverDate'>,
  ): Promise<void> {
    const hasVictimContact = await this.hasVictimContact(after.prisonNumber, m);
    const markers = protectionMarkers({ ...after, hasVictimContact });
    const previous = before ? protectionMarkers({ ...before, hasVictimContact }) : null;
    const arrived = !before || before.establishmentCode !== after.establishmentCode;
    await this.events.emit(
      'PRISONER_CHANGED',
      {
        prisonNumber: after.prisonNumber,
        establishmentCode: after.establishmentCode,
        arrivedFrom: arrived ? (before?.establishmentCode ?? null) : undefined,
        markers,
        newMarkers: arrived ? markers : addedMarkers(previous, markers),
      },
      m,
    );
  }

  /** A victim newly among the contacts is a new marker. */
  private async contactsChanged(m: EntityManager, prisonNumber: string, hadVictim: boolean) {
    const prisoner = await this.prisoners.find(prisonNumber, m);
    if (!prisoner) return;
    const hasVictimContact = await this.hasVictimContact(prisonNumber, m);
    const markers = protectionMarkers({ ...prisoner, hasVictimContact });
    await this.events.emit(
      'PRISONER_CHANGED',
      {
        prisonNumber,
        establishmentCode: prisoner.establishmentCode,
        markers,
        newMarkers: hasVictimContact && !hadVictim ? ['VICTIM_CONTACT'] : [],
      },
      m,
    );
  }

  async addPrivilegedNumber(actor: AuthUser, dto: CreatePrivilegedNumberDto) {
    const parsed = canonicalPhoneNumber(dto.phoneNumber);
    if (!parsed.ok) throw ValidationFailed.field('phoneNumber', parsed.reason);
    const establishmentCode = dto.establishmentCode ?? null;
    if (establishmentCode === null && !isNational(actor)) {
      throw new Forbidden(
        'Only an administrator may add a national privileged number; give establishmentCode',
      );
    }
    if (establishmentCode !== null) {
      assertEstablishment(actor, establishmentCode);
      if (!(await this.establishments.find(establishmentCode))) {
        throw ValidationFailed.field(
          'establishmentCode',
          `unknown establishment ${establishmentCode}`,
        );
      }
    }
    return this.db.transaction(async (m) => {
      const row = await this.prisoners.insertPrivilegedNumber(m, {
        phoneNumber: parsed.e164,
        organisation: dto.organisation,
        kind: dto.kind,
        establishmentCode,
        createdBy: actor.username,
      });
      if (!row)
        throw ValidationFailed.field('phoneNumber', `${parsed.e164} is already in the directory`);
      // Calls to this number that wait in the queue must leave it now.
      const rescored = await this.events.emit(
        'TRIAGE_FACTS_CHANGED',
        {
          affected: { dialledNumber: parsed.e164, establishment: establishmentCode },
          facts: ['PRIVILEGED_NUMBERS'],
        },
        m,
      );
      await this.audit.record(
        actor,
        {
          action: 'PRIVILEGED_NUMBER_ADDED',
          entityType: 'privileged_number',
          entityId: String(row.id),
          establishmentCode,
          details: { phoneNumber: parsed.e164, kind: dto.kind, callsRescored: rescored },
        },
        m,
      );
      return row;
    });
  }

  async listPrivilegedNumbers(actor: AuthUser) {
    if (!hasRole(actor, 'ADMIN', 'SECURITY_MANAGER'))
      throw new Forbidden('Only security managers see the directory');
    const items = await this.prisoners.listPrivilegedNumbers(establishmentScope(actor));
    return { items, total: items.length };
  }
}
