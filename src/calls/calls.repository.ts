import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Clock, sqlNow } from '../common/clock';
import { CallStatus } from '../common/vocabulary';
import { CallRecord } from './call-record';
import { CALL_COLUMNS, CallRow } from './call-row';

export type { CallRow } from './call-row';

export interface CallFilter {
  establishments: string[] | null;
  prisonNumber?: string;
  status?: CallStatus;
  from?: Date;
  to?: Date;
  limit: number;
  offset: number;
}

@Injectable()
export class CallsRepository {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  /**
   * Stores a batch in one set-based statement. A repeated externalId (in this batch, an earlier one
   * or a concurrent one) is skipped by the unique constraint; returns how many rows were new.
   */
  async insertBatch(
    batchId: string,
    records: CallRecord[],
    languages: string[],
    m: EntityManager,
  ): Promise<number> {
    if (records.length === 0) return 0;
    const rows: unknown[] = await m.query(
      `INSERT INTO calls (external_id, batch_id, prison_number, establishment_code, dialled_number, started_at,
                          duration_seconds, channel, recording_ref, language, transcript, received_at)
       SELECT t.external_id, $1::uuid, t.prison_number, t.establishment_code, t.dialled_number, t.started_at,
              t.duration_seconds, t.channel, t.recording_ref, t.language, t.transcript, ${sqlNow('$12')}
       FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::int[], $8::text[],
                   $9::text[], $10::text[], $11::jsonb[])
         AS t(external_id, prison_number, establishment_code, dialled_number, started_at, duration_seconds, channel,
              recording_ref, language, transcript)
       ON CONFLICT (external_id) DO NOTHING
       RETURNING 1`,
      [
        batchId,
        records.map((r) => r.externalId),
        records.map((r) => r.prisonNumber),
        records.map((r) => r.establishmentCode),
        records.map((r) => r.dialledNumber),
        records.map((r) => r.startedAt.toISOString()),
        records.map((r) => r.durationSeconds),
        records.map((r) => r.channel),
        records.map((r) => r.recordingRef),
        languages,
        records.map((r) => (r.transcript ? JSON.stringify(r.transcript) : null)),
        this.clock.pinned(),
      ],
    );
    return rows.length;
  }

  async find(id: string): Promise<CallRow | null> {
    const rows: CallRow[] = await this.db.query(
      `SELECT ${CALL_COLUMNS} FROM calls c WHERE c.id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  async list(f: CallFilter): Promise<{ rows: CallRow[]; total: number }> {
    const where = `($1::char(3)[] IS NULL OR c.establishment_code = ANY($1)) AND ($2::text IS NULL OR c.prison_number = $2)
      AND ($3::text IS NULL OR c.status = $3) AND ($4::timestamptz IS NULL OR c.started_at >= $4)
      AND ($5::timestamptz IS NULL OR c.started_at < $5)`;
    const params = [
      f.establishments,
      f.prisonNumber ?? null,
      f.status ?? null,
      f.from ?? null,
      f.to ?? null,
    ];
    const [rows, count] = await Promise.all([
      this.db.query<CallRow[]>(
        `SELECT ${CALL_COLUMNS} FROM calls c WHERE ${where} ORDER BY c.started_at DESC, c.id LIMIT $6 OFFSET $7`,
        [...params, f.limit, f.offset],
      ),
      this.db.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM calls c WHERE ${where}`,
        params,
      ),
    ]);
    return { rows, total: count[0].n };
  }

  async contactsById(ids: string[]): Promise<
    Map<
      string,
      {
        id: string;
        name: string;
        relationship: string;
        isVictim: boolean;
        isChild: boolean;
        restriction: string;
      }
    >
  > {
    if (ids.length === 0) return new Map();
    const rows: {
      id: string;
      name: string;
      relationship: string;
      isVictim: boolean;
      isChild: boolean;
      restriction: string;
    }[] = await this.db.query(
      `SELECT id, name, relationship, is_victim AS "isVictim", is_child AS "isChild", restriction
         FROM contacts WHERE id = ANY($1)`,
      [ids],
    );
    return new Map(rows.map((r) => [r.id, r]));
  }

  /** Batches with calls still RECEIVED after the grace period: their triage job was lost or failed. */
  async staleReceivedBatches(olderThanSeconds: number, limit = 1000): Promise<string[]> {
    const rows: { batchId: string }[] = await this.db.query(
      `SELECT DISTINCT batch_id AS "batchId" FROM calls
       WHERE status = 'RECEIVED' AND received_at < now() - make_interval(secs => $1) LIMIT $2`,
      [olderThanSeconds, limit],
    );
    return rows.map((r) => r.batchId);
  }
}
