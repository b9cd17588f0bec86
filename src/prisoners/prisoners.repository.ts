import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Relationship, Restriction, RoshLevel } from '../common/vocabulary';
import { KeyDateType } from './key-dates';

/** A key date as stored: its type and day (`YYYY-MM-DD`). */
export interface KeyDateRow {
  type: KeyDateType;
  date: string;
}

/** The prisoner's community offender manager (COM), the probation officer who manages them outside. */
export interface ComRow {
  name: string;
  email: string;
  phone: string | null;
  probationDeliveryUnit: string | null;
  /** A calendar day, `YYYY-MM-DD`. */
  allocatedOn: string | null;
}

export interface PrisonerRow {
  prisonNumber: string;
  firstName: string;
  lastName: string;
  establishmentCode: string;
  alertCodes: string[];
  mappaCategory: number | null;
  mappaLevel: number | null;
  roshLevel: RoshLevel | null;
  earliestReleaseDate: string | null;
  mappaLevelReviewedAt: string | null;
  pomUsername: string | null;
  leadListenerUsername: string | null;
  languages: string[];
  /** Null: no COM recorded. */
  com: ComRow | null;
  /** The day the COM takes over responsibility (`YYYY-MM-DD`), when known. */
  handoverDate: string | null;
  updatedAt: Date;
}

/** A prisoner as the search lists them. */
export interface PrisonerSearchRow {
  prisonNumber: string;
  firstName: string;
  lastName: string;
  establishmentCode: string;
  establishmentName: string;
  /** ACTIVE: monitored now; REQUESTED: an authorisation asked for; NONE: neither. */
  monitoringStatus: 'ACTIVE' | 'REQUESTED' | 'NONE';
}

export interface ContactRow {
  id: string;
  prisonNumber: string;
  name: string;
  relationship: Relationship;
  phoneNumbers: string[];
  isVictim: boolean;
  isChild: boolean;
  restriction: Restriction;
  source: string;
  sourceUsername: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const PRISONER_COLUMNS = `prison_number AS "prisonNumber", first_name AS "firstName", last_name AS "lastName",
  trim(establishment_code) AS "establishmentCode", alert_codes AS "alertCodes", mappa_category AS "mappaCategory",
  mappa_level AS "mappaLevel", rosh_level AS "roshLevel", earliest_release_date::text AS "earliestReleaseDate",
  mappa_level_reviewed_at::text AS "mappaLevelReviewedAt", pom_username AS "pomUsername", lead_listener_username AS "leadListenerUsername", languages,
  CASE WHEN com_name IS NULL THEN NULL ELSE jsonb_build_object('name', com_name, 'email', com_email,
    'phone', com_phone, 'probationDeliveryUnit', com_probation_delivery_unit,
    'allocatedOn', com_allocated_on::text) END AS com,
  handover_date::text AS "handoverDate", updated_at AS "updatedAt"`;

const CONTACT_COLUMNS = `id, prison_number AS "prisonNumber", name, relationship, phone_numbers AS "phoneNumbers",
  is_victim AS "isVictim", is_child AS "isChild", restriction, source, source_username AS "sourceUsername",
  created_at AS "createdAt", updated_at AS "updatedAt"`;

@Injectable()
export class PrisonersRepository {
  constructor(private readonly db: DataSource) {}

  async find(
    prisonNumber: string,
    m: EntityManager | DataSource = this.db,
  ): Promise<PrisonerRow | null> {
    const rows: PrisonerRow[] = await m.query(
      `SELECT ${PRISONER_COLUMNS} FROM prisoners WHERE prison_number = $1`,
      [prisonNumber],
    );
    return rows[0] ?? null;
  }

  /** Creates or replaces the prisoner; the COM and handover date are set apart (`setCom`). */
  async upsert(
    m: EntityManager,
    p: Omit<PrisonerRow, 'updatedAt' | 'com' | 'handoverDate'>,
  ): Promise<{ created: boolean }> {
    const rows: { created: boolean }[] = await m.query(
      `INSERT INTO prisoners (prison_number, first_name, last_name, establishment_code, alert_codes, mappa_category,
                              mappa_level, rosh_level, earliest_release_date, pom_username, lead_listener_username,
                              languages, mappa_level_reviewed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
       ON CONFLICT (prison_number) DO UPDATE SET
         first_name = EXCLUDED.first_name, last_name = EXCLUDED.last_name,
         establishment_code = EXCLUDED.establishment_code, alert_codes = EXCLUDED.alert_codes,
         mappa_category = EXCLUDED.mappa_category, mappa_level = EXCLUDED.mappa_level,
         rosh_level = EXCLUDED.rosh_level, earliest_release_date = EXCLUDED.earliest_release_date,
         pom_username = EXCLUDED.pom_username, lead_listener_username = EXCLUDED.lead_listener_username,
         languages = EXCLUDED.languages, mappa_level_reviewed_at = EXCLUDED.mappa_level_reviewed_at,
         updated_at = now()
       RETURNING (xmax = 0) AS created`,
      [
        p.prisonNumber,
        p.firstName,
        p.lastName,
        p.establishmentCode,
        p.alertCodes,
        p.mappaCategory,
        p.mappaLevel,
        p.roshLevel,
        p.earliestReleaseDate,
        p.pomUsername,
        p.leadListenerUsername,
        p.languages,
        p.mappaLevelReviewedAt,
      ],
    );
    return rows[0];
  }

  /** Records (or, with null, clears) the prisoner's COM; undefined leaves it as it is. */
  async setCom(
    m: EntityManager,
    prisonNumber: string,
    change: { com?: ComRow | null; handoverDate?: string | null },
  ): Promise<void> {
    if (change.com !== undefined) {
      const c = change.com;
      await m.query(
        `UPDATE prisoners SET com_name = $2, com_email = $3, com_phone = $4, com_probation_delivery_unit = $5,
           com_allocated_on = $6::date, updated_at = now()
         WHERE prison_number = $1`,
        [
          prisonNumber,
          c?.name ?? null,
          c?.email ?? null,
          c?.phone ?? null,
          c?.probationDeliveryUnit ?? null,
          c?.allocatedOn ?? null,
        ],
      );
    }
    if (change.handoverDate !== undefined) {
      await m.query(
        `UPDATE prisoners SET handover_date = $2::date, updated_at = now() WHERE prison_number = $1`,
        [prisonNumber, change.handoverDate],
      );
    }
  }

  /** Locks an existing prisoner's row and reads their POM (undefined: no such prisoner yet). */
  async lockPom(
    m: EntityManager,
    prisonNumber: string,
  ): Promise<{ pomUsername: string | null } | undefined> {
    const rows: { pomUsername: string | null }[] = await m.query(
      `SELECT pom_username AS "pomUsername" FROM prisoners WHERE prison_number = $1 FOR UPDATE`,
      [prisonNumber],
    );
    return rows[0];
  }

  /** The outcome of a MAPPA level review: the level in force, and the day it was reviewed. */
  async setMappaReview(
    m: EntityManager,
    prisonNumber: string,
    mappaLevel: number | null,
    reviewedOn: string,
  ): Promise<void> {
    await m.query(
      `UPDATE prisoners SET mappa_level = $2, mappa_level_reviewed_at = $3::date, updated_at = now()
       WHERE prison_number = $1`,
      [prisonNumber, mappaLevel, reviewedOn],
    );
  }

  /** The prisoner's key dates, soonest first. */
  keyDates(prisonNumber: string, m: EntityManager | DataSource = this.db): Promise<KeyDateRow[]> {
    return m.query(
      `SELECT type, date::text AS date FROM prisoner_key_dates WHERE prison_number = $1
       ORDER BY date, type`,
      [prisonNumber],
    );
  }

  /** Replaces the prisoner's key dates with these (a repeated type and day is kept once). */
  async replaceKeyDates(m: EntityManager, prisonNumber: string, keyDates: KeyDateRow[]) {
    await m.query(`DELETE FROM prisoner_key_dates WHERE prison_number = $1`, [prisonNumber]);
    if (keyDates.length === 0) return;
    await m.query(
      `INSERT INTO prisoner_key_dates (prison_number, type, date)
       SELECT $1, t.type, t.date FROM unnest($2::text[], $3::date[]) AS t(type, date)
       ON CONFLICT DO NOTHING`,
      [prisonNumber, keyDates.map((k) => k.type), keyDates.map((k) => k.date)],
    );
  }

  /** Prison number → names for those that exist, in one query. */
  async names(
    prisonNumbers: readonly string[],
  ): Promise<Map<string, { firstName: string; lastName: string }>> {
    if (prisonNumbers.length === 0) return new Map();
    const rows: { prisonNumber: string; firstName: string; lastName: string }[] =
      await this.db.query(
        `SELECT prison_number AS "prisonNumber", first_name AS "firstName", last_name AS "lastName"
       FROM prisoners WHERE prison_number = ANY($1)`,
        [prisonNumbers],
      );
    return new Map(
      rows.map((r) => [r.prisonNumber, { firstName: r.firstName, lastName: r.lastName }]),
    );
  }

  /** Prison number → { establishment, first language } for those that exist. */
  async lookup(
    prisonNumbers: string[],
  ): Promise<Map<string, { establishmentCode: string; language: string }>> {
    const rows: { prisonNumber: string; establishmentCode: string; language: string | null }[] =
      await this.db.query(
        `SELECT prison_number AS "prisonNumber", trim(establishment_code) AS "establishmentCode",
              languages[1] AS language
       FROM prisoners WHERE prison_number = ANY($1)`,
        [prisonNumbers],
      );
    return new Map(
      rows.map((r) => [
        r.prisonNumber,
        { establishmentCode: r.establishmentCode, language: r.language ?? 'en' },
      ]),
    );
  }

  /**
   * Prisoners whose names match one of the pairs (a prefix of the first name and of the last; a
   * null side matches any), in the establishments given (null: all), by last name then first, at
   * most `limit`. The names are compared by `prisoner_name_key` (no case, no accents) on both
   * sides, with a LIKE prefix its indexes serve; the pairs' `%` and `_` are taken literally.
   */
  async searchByName(
    pairs: readonly { first: string | null; last: string | null }[],
    establishments: string[] | null,
    limit: number,
  ): Promise<PrisonerSearchRow[]> {
    if (pairs.length === 0) return [];
    const params: unknown[] = [establishments, limit];
    const like = (column: string, prefix: string) => {
      params.push(prefix.replace(/[\\%_]/g, '\\$&'));
      return `prisoner_name_key(p.${column}) LIKE prisoner_name_key($${params.length}) || '%'`;
    };
    const branches = pairs.map((pair) => {
      const sides = [
        ...(pair.first !== null ? [like('first_name', pair.first)] : []),
        ...(pair.last !== null ? [like('last_name', pair.last)] : []),
      ];
      return `(${sides.join(' AND ')})`;
    });
    return this.db.query<PrisonerSearchRow[]>(
      `SELECT p.prison_number AS "prisonNumber", p.first_name AS "firstName", p.last_name AS "lastName",
              trim(p.establishment_code) AS "establishmentCode", e.name AS "establishmentName",
              CASE WHEN EXISTS (SELECT 1 FROM monitoring_authorisations a WHERE a.prison_number = p.prison_number
                                  AND a.status = 'ACTIVE') THEN 'ACTIVE'
                   WHEN EXISTS (SELECT 1 FROM monitoring_authorisations a WHERE a.prison_number = p.prison_number
                                  AND a.status = 'REQUESTED') THEN 'REQUESTED'
                   ELSE 'NONE' END AS "monitoringStatus"
       FROM prisoners p JOIN establishments e ON e.code = p.establishment_code
       WHERE ($1::char(3)[] IS NULL OR p.establishment_code = ANY($1))
         AND (${branches.join(' OR ')})
       ORDER BY p.last_name, p.first_name, p.prison_number
       LIMIT $2`,
      params,
    );
  }

  contacts(prisonNumber: string, m: EntityManager | DataSource = this.db): Promise<ContactRow[]> {
    return m.query(
      `SELECT ${CONTACT_COLUMNS} FROM contacts WHERE prison_number = $1 ORDER BY created_at, id`,
      [prisonNumber],
    );
  }

  async findContact(
    id: string,
    m: EntityManager | DataSource = this.db,
  ): Promise<ContactRow | null> {
    const rows: ContactRow[] = await m.query(
      `SELECT ${CONTACT_COLUMNS} FROM contacts WHERE id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  async insertContact(
    m: EntityManager,
    c: Omit<ContactRow, 'id' | 'createdAt' | 'updatedAt'>,
  ): Promise<ContactRow> {
    const rows: ContactRow[] = await m.query(
      `INSERT INTO contacts (prison_number, name, relationship, phone_numbers, is_victim, is_child, restriction,
                             source, source_username)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${CONTACT_COLUMNS}`,
      [
        c.prisonNumber,
        c.name,
        c.relationship,
        c.phoneNumbers,
        c.isVictim,
        c.isChild,
        c.restriction,
        c.source,
        c.sourceUsername,
      ],
    );
    return rows[0];
  }

  async updateContact(m: EntityManager, c: ContactRow): Promise<ContactRow> {
    const rows: ContactRow[] = await m.query(
      `UPDATE contacts SET name = $2, relationship = $3, phone_numbers = $4, is_victim = $5, is_child = $6,
         restriction = $7, updated_at = now()
       WHERE id = $1 RETURNING ${CONTACT_COLUMNS}`,
      [c.id, c.name, c.relationship, c.phoneNumbers, c.isVictim, c.isChild, c.restriction],
    );
    return rows[0];
  }

  async insertPrivilegedNumber(
    m: EntityManager,
    p: {
      phoneNumber: string;
      organisation: string;
      kind: string;
      establishmentCode: string | null;
      createdBy: string;
    },
  ) {
    const rows: Record<string, unknown>[] = await m.query(
      `INSERT INTO privileged_numbers (phone_number, organisation, kind, establishment_code, created_by)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (phone_number, coalesce(establishment_code, '*')) DO NOTHING
       RETURNING id, phone_number AS "phoneNumber", organisation, kind,
                 trim(establishment_code) AS "establishmentCode", created_at AS "createdAt"`,
      [p.phoneNumber, p.organisation, p.kind, p.establishmentCode, p.createdBy],
    );
    return rows[0] ?? null;
  }

  listPrivilegedNumbers(establishments: string[] | null) {
    return this.db.query<Record<string, unknown>[]>(
      `SELECT id, phone_number AS "phoneNumber", organisation, kind, trim(establishment_code) AS "establishmentCode",
              created_at AS "createdAt"
       FROM privileged_numbers
       WHERE establishment_code IS NULL OR $1::char(3)[] IS NULL OR establishment_code = ANY($1)
       ORDER BY organisation, phone_number`,
      [establishments],
    );
  }
}
