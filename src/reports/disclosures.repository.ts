import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import {
  ContactHeardRow,
  DisclosureKind,
  IdentificationTaskRow,
  IdentifiedContactRow,
  PreReleaseDigest,
} from './pre-release-digest';
import { Period } from './reports.repository';

export interface DisclosureRow {
  id: string;
  establishmentCode: string;
  prisonNumber: string;
  prisonerName: string;
  kind: DisclosureKind;
  to: string;
  analysis: string;
  sentAt: Date;
  sentBy: string;
  /** The sender's display name (null if they are no longer on the staff list). */
  sentByName: string | null;
  periodFrom: Date;
  periodTo: Date;
  contentSha256: string;
  recordedAt: Date;
}

export type NewDisclosure = Omit<
  DisclosureRow,
  'id' | 'recordedAt' | 'prisonerName' | 'sentByName'
> & {
  snapshot: PreReleaseDigest;
};

/** The register's rows with the prisoner's name and the sender's display name. */
const DISCLOSURE_FROM = `disclosures d JOIN prisoners p ON p.prison_number = d.prison_number
  LEFT JOIN staff s ON s.username = d.sent_by`;

const DISCLOSURE_COLUMNS = `d.id, trim(d.establishment_code) AS "establishmentCode",
  d.prison_number AS "prisonNumber", p.first_name || ' ' || p.last_name AS "prisonerName",
  d.kind, d.recipient AS "to", d.analysis, d.sent_at AS "sentAt", d.sent_by AS "sentBy",
  s.display_name AS "sentByName",
  d.period_from AS "periodFrom", d.period_to AS "periodTo", d.content_sha256 AS "contentSha256",
  d.recorded_at AS "recordedAt"`;

/**
 * The register of disclosures of intercepted material (the pre-release digests sent to COMs), the
 * digest's own reads beyond the monitoring summary's, and the handover job's "digest due" marks.
 */
@Injectable()
export class DisclosuresRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * The prisoner's calls of the period by who was called: a contact (matched when the call was
   * triaged), or a number on no contact list. Privileged calls, and contacts who are legal
   * advisers, never appear: they are not monitored and not disclosed. Most heard first.
   */
  contactsHeard(m: EntityManager, prisonNumber: string, p: Period): Promise<ContactHeardRow[]> {
    return m.query<ContactHeardRow[]>(
      `SELECT ct.id AS "contactId", ct.name, ct.relationship,
              CASE WHEN ct.id IS NULL THEN c.dialled_number END AS "dialledNumber",
              count(*)::int AS calls, count(c.logged_at)::int AS heard
       FROM calls c LEFT JOIN contacts ct ON ct.id = c.contact_id
       WHERE c.prison_number = $1 AND c.started_at >= $2 AND c.started_at < $3
         AND c.status <> 'EXCLUDED_PRIVILEGED'
         AND ct.relationship IS DISTINCT FROM 'LEGAL_ADVISER'
       GROUP BY ct.id, ct.name, ct.relationship, CASE WHEN ct.id IS NULL THEN c.dialled_number END
       ORDER BY heard DESC, calls DESC, ct.name NULLS LAST, "dialledNumber"`,
      [prisonNumber, p.from, p.to],
    );
  }

  /** Contacts listeners added from a call in the period: numbers they identified as someone. */
  identifiedContacts(
    m: EntityManager,
    prisonNumber: string,
    p: Period,
  ): Promise<IdentifiedContactRow[]> {
    return m.query<IdentifiedContactRow[]>(
      `SELECT name, relationship, phone_numbers AS "phoneNumbers",
              source_username AS "identifiedBy", created_at AS "identifiedAt"
       FROM contacts
       WHERE prison_number = $1 AND source = 'LISTENER' AND created_at >= $2 AND created_at < $3
         AND relationship <> 'LEGAL_ADVISER'
       ORDER BY created_at, id`,
      [prisonNumber, p.from, p.to],
    );
  }

  /** Tasks raised in the period to identify a number a listener could not place. */
  identificationTasks(
    m: EntityManager,
    prisonNumber: string,
    p: Period,
  ): Promise<IdentificationTaskRow[]> {
    return m.query<IdentificationTaskRow[]>(
      `SELECT dialled_number AS "dialledNumber", status, created_at AS "raisedAt",
              resolved_at AS "resolvedAt", resolved_by AS "resolvedBy",
              resolution_note AS "resolutionNote"
       FROM identification_tasks
       WHERE prison_number = $1 AND created_at >= $2 AND created_at < $3
       ORDER BY created_at, id`,
      [prisonNumber, p.from, p.to],
    );
  }

  async insert(m: EntityManager, d: NewDisclosure): Promise<string> {
    const rows = await m.query<{ id: string }[]>(
      `INSERT INTO disclosures (establishment_code, prison_number, kind, recipient, analysis,
                                sent_at, sent_by, period_from, period_to, content_sha256, snapshot)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb) RETURNING id`,
      [
        d.establishmentCode,
        d.prisonNumber,
        d.kind,
        d.to,
        d.analysis,
        d.sentAt,
        d.sentBy,
        d.periodFrom,
        d.periodTo,
        d.contentSha256,
        JSON.stringify(d.snapshot),
      ],
    );
    return rows[0].id;
  }

  async find(
    id: string,
    m: EntityManager | DataSource = this.db,
  ): Promise<(DisclosureRow & { snapshot: PreReleaseDigest }) | null> {
    const rows = await m.query<(DisclosureRow & { snapshot: PreReleaseDigest })[]>(
      `SELECT ${DISCLOSURE_COLUMNS}, d.snapshot
       FROM ${DISCLOSURE_FROM} WHERE d.id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** The register of the establishments given (null: all), newest sent first. */
  async list(q: {
    establishments: string[] | null;
    prisonNumber?: string;
    limit: number;
    offset: number;
  }): Promise<{ rows: DisclosureRow[]; total: number }> {
    const where = `($1::char(3)[] IS NULL OR d.establishment_code = ANY($1))
                   AND ($2::text IS NULL OR d.prison_number = $2)`;
    const params = [q.establishments, q.prisonNumber ?? null];
    const [rows, count] = await Promise.all([
      this.db.query<DisclosureRow[]>(
        `SELECT ${DISCLOSURE_COLUMNS}
         FROM ${DISCLOSURE_FROM}
         WHERE ${where} ORDER BY d.sent_at DESC, d.id LIMIT $3 OFFSET $4`,
        [...params, q.limit, q.offset],
      ),
      this.db.query<{ total: number }[]>(
        `SELECT count(*)::int AS total FROM disclosures d WHERE ${where}`,
        params,
      ),
    ]);
    return { rows, total: count[0].total };
  }

  /** Closes the prisoner's open "digest due" marks with the disclosure that answered them. */
  async closeDue(m: EntityManager, prisonNumber: string, disclosureId: string): Promise<number> {
    const rows = await m.query<[unknown[], number]>(
      `UPDATE pre_release_digests_due SET disclosure_id = $2
       WHERE prison_number = $1 AND disclosure_id IS NULL`,
      [prisonNumber, disclosureId],
    );
    return rows[1];
  }

  /**
   * Marks a digest due for every prisoner whose handover date is `today` or has passed, once per
   * prisoner and handover date (running it again adds nothing). Returns the marks it added.
   */
  markDue(today: string): Promise<{ prisonNumber: string; establishmentCode: string }[]> {
    return this.db.query<{ prisonNumber: string; establishmentCode: string }[]>(
      `INSERT INTO pre_release_digests_due (prison_number, handover_date, establishment_code, pom_username)
       SELECT p.prison_number, p.handover_date, p.establishment_code, p.pom_username
       FROM prisoners p
       WHERE p.handover_date IS NOT NULL AND p.handover_date <= $1::date
       ON CONFLICT (prison_number, handover_date) DO NOTHING
       RETURNING prison_number AS "prisonNumber", trim(establishment_code) AS "establishmentCode"`,
      [today],
    );
  }

  /** Of these prisoners, those with a digest due and not yet sent, with the handover date. */
  async due(prisonNumbers: string[]): Promise<Map<string, string>> {
    if (prisonNumbers.length === 0) return new Map();
    const rows = await this.db.query<{ prisonNumber: string; handoverDate: string }[]>(
      `SELECT prison_number AS "prisonNumber", max(handover_date)::text AS "handoverDate"
       FROM pre_release_digests_due
       WHERE prison_number = ANY($1::text[]) AND disclosure_id IS NULL
       GROUP BY prison_number`,
      [prisonNumbers],
    );
    return new Map(rows.map((r) => [r.prisonNumber, r.handoverDate]));
  }
}
