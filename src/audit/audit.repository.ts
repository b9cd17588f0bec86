import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { insertAuditRowsSql, rolesFromParam } from './audit-sql';

/** Many audit rows in one statement, one array parameter a column. */
const INSERT_EVENTS = insertAuditRowsSql(
  {
    username: 'u',
    roles: rolesFromParam('r'),
    action: 'a',
    entityType: 'et',
    entityId: 'ei',
    establishmentCode: 'ec',
    clientAddress: 'ca',
    correlationId: 'ci',
    details: 'd',
    subjectIds: 'ARRAY(SELECT jsonb_array_elements_text(s))',
  },
  `unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
          $8::text[], $9::jsonb[], $10::jsonb[]) AS t(u, r, a, et, ei, ec, ca, ci, d, s)`,
);

export interface AuditInsert {
  username: string;
  roles: string[];
  action: string;
  entityType: string;
  entityId: string | null;
  establishmentCode: string | null;
  clientAddress: string | null;
  correlationId: string | null;
  details: Record<string, unknown>;
  /** The records a read of many showed (their ids and their prisoners'); empty for a row about one. */
  subjectIds: string[];
}

export interface AuditFilter {
  entityType?: string;
  entityId?: string;
  username?: string;
  from?: Date;
  to?: Date;
  establishments: string[] | null;
  limit: number;
  offset: number;
}

@Injectable()
export class AuditRepository {
  constructor(private readonly db: DataSource) {}

  async insert(events: AuditInsert[], manager?: EntityManager): Promise<void> {
    if (events.length === 0) return;
    await (manager ?? this.db).query(INSERT_EVENTS, [
      events.map((e) => e.username),
      events.map((e) => e.roles.join(',')),
      events.map((e) => e.action),
      events.map((e) => e.entityType),
      events.map((e) => e.entityId),
      events.map((e) => e.establishmentCode),
      events.map((e) => e.clientAddress),
      events.map((e) => e.correlationId),
      events.map((e) => JSON.stringify(e.details)),
      events.map((e) => JSON.stringify(e.subjectIds)),
    ]);
  }

  /**
   * The trail, newest first. A user of some establishments (not national) sees their rows, and of the
   * rows that belong to no establishment only those about them: the national privileged directory,
   * staff accounts of their establishments and searches of the trail that covered one of them; not
   * the national feed's batches.
   *
   * `entityId` finds the rows about that record: those whose one record it is (of `entityType`, when
   * given), and those of a read of many that name it among their subjects, whatever their type (a
   * list of calls names the calls, their logs and their prisoners).
   */
  async search(filter: AuditFilter) {
    const where = `CASE WHEN $2::text IS NULL THEN ($1::text IS NULL OR entity_type = $1)
        ELSE (entity_id = $2 AND ($1::text IS NULL OR entity_type = $1))
             OR (subject_ids <> '{}' AND subject_ids @> ARRAY[$2::text]) END
      AND ($3::text IS NULL OR username = $3) AND ($4::timestamptz IS NULL OR at >= $4)
      AND ($5::timestamptz IS NULL OR at < $5)
      AND ($6::text[] IS NULL OR establishment_code = ANY($6::char(3)[])
           OR (establishment_code IS NULL AND (entity_type = 'privileged_number'
               OR (entity_type IN ('staff', 'audit') AND (details->'establishments') ?| $6::text[]))))`;
    const params = [
      filter.entityType ?? null,
      filter.entityId ?? null,
      filter.username ?? null,
      filter.from ?? null,
      filter.to ?? null,
      filter.establishments,
    ];
    const [rows, count] = await Promise.all([
      this.db.query<Record<string, unknown>[]>(
        `SELECT id::text, at, username, roles, action, entity_type AS "entityType", entity_id AS "entityId",
                establishment_code AS "establishmentCode", client_address AS "clientAddress",
                correlation_id AS "correlationId", details, subject_ids AS "subjectIds"
         FROM audit_events WHERE ${where} ORDER BY at DESC, id DESC LIMIT $7 OFFSET $8`,
        [...params, filter.limit, filter.offset],
      ),
      this.db.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM audit_events WHERE ${where}`,
        params,
      ),
    ]);
    return { rows, total: count[0].n };
  }
}
