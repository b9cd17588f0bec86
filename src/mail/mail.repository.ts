import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { CallStatus, Tier } from '../common/vocabulary';
import { CorrespondentKind, MailDirection } from './mail.dto';

/** A mail item: its call row (status, tier, queue) joined to its mail facts. */
export interface MailItemRow {
  id: string;
  externalId: string;
  prisonNumber: string;
  establishmentCode: string;
  correspondentKey: string;
  language: string;
  status: CallStatus;
  tier: Tier | null;
  dueAt: Date | null;
  priorityReasons: string[];
  privilegedKind: string | null;
  /** The call's recording reference: removed by the retention sweep, so read from the call. */
  scanRef: string | null;
  direction: MailDirection;
  correspondent: string;
  correspondentKind: CorrespondentKind;
  receivedAt: Date;
  createdBy: string;
  createdAt: Date;
}

export interface NewMailItem {
  externalId: string;
  batchId: string;
  prisonNumber: string;
  establishmentCode: string;
  correspondentKey: string;
  receivedAt: Date;
  scanRef: string | null;
  language: string;
  direction: MailDirection;
  correspondent: string;
  correspondentKind: CorrespondentKind;
  createdBy: string;
}

const COLUMNS = `c.id, c.external_id AS "externalId", c.prison_number AS "prisonNumber",
  trim(c.establishment_code) AS "establishmentCode", c.dialled_number AS "correspondentKey", c.language,
  c.status, c.tier, c.due_at AS "dueAt", c.priority_reasons AS "priorityReasons",
  c.privileged_kind AS "privilegedKind", c.recording_ref AS "scanRef", m.direction, m.correspondent,
  m.correspondent_kind AS "correspondentKind", m.received_at AS "receivedAt", m.created_by AS "createdBy",
  m.created_at AS "createdAt"`;

@Injectable()
export class MailRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * Stores the item as a RECEIVED communication (channel MAIL) and its mail facts, in the caller's
   * transaction. Triage then decides it like any call of its batch. Returns the call id.
   */
  async insert(m: EntityManager, item: NewMailItem): Promise<string> {
    const calls: { id: string }[] = await m.query(
      `INSERT INTO calls (external_id, batch_id, prison_number, establishment_code, dialled_number, started_at,
                          duration_seconds, channel, recording_ref, language)
       VALUES ($1, $2, $3, $4, $5, $6, 0, 'MAIL', $7, $8)
       RETURNING id`,
      [
        item.externalId,
        item.batchId,
        item.prisonNumber,
        item.establishmentCode,
        item.correspondentKey,
        item.receivedAt,
        item.scanRef,
        item.language,
      ],
    );
    const id = calls[0].id;
    await m.query(
      `INSERT INTO mail_items (call_id, direction, correspondent, correspondent_kind, received_at, scan_ref,
                               created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        id,
        item.direction,
        item.correspondent,
        item.correspondentKind,
        item.receivedAt,
        item.scanRef,
        item.createdBy,
      ],
    );
    return id;
  }

  async find(id: string): Promise<MailItemRow | null> {
    const rows: MailItemRow[] = await this.db.query(
      `SELECT ${COLUMNS} FROM calls c JOIN mail_items m ON m.call_id = c.id WHERE c.id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** A prisoner's mail items at these establishments (null: all), newest first. */
  async listForPrisoner(
    prisonNumber: string,
    establishments: string[] | null,
    limit: number,
    offset: number,
  ): Promise<{ rows: MailItemRow[]; total: number }> {
    const where = `c.prison_number = $1 AND c.channel = 'MAIL'
      AND ($2::char(3)[] IS NULL OR c.establishment_code = ANY($2))`;
    const [rows, count] = await Promise.all([
      this.db.query<MailItemRow[]>(
        `SELECT ${COLUMNS} FROM calls c JOIN mail_items m ON m.call_id = c.id
         WHERE ${where} ORDER BY m.received_at DESC, c.id LIMIT $3 OFFSET $4`,
        [prisonNumber, establishments, limit, offset],
      ),
      this.db.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM calls c JOIN mail_items m ON m.call_id = c.id WHERE ${where}`,
        [prisonNumber, establishments],
      ),
    ]);
    return { rows, total: count[0].n };
  }
}
