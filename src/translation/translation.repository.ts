import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { CallStatus, Tier } from '../common/vocabulary';
import { Queryable, queryRows } from '../db/sql';
import { RESCORABLE_STATUSES } from '../common/rescore-statuses';
import { LIVE_TRANSLATION_STATUSES, TranslationStatus } from './translation.dto';

/** The facts of a call a translation request decision needs. */
export interface TranslatableCall {
  id: string;
  establishmentCode: string;
  prisonNumber: string;
  status: CallStatus;
  language: string;
}

/** A translation request joined with the facts of its call that an interpreting service needs. */
export interface TranslationRequestRow {
  id: string;
  callId: string;
  establishmentCode: string;
  language: string;
  status: TranslationStatus;
  requestedBy: string;
  requestedAt: Date;
  sentBy: string | null;
  sentAt: Date | null;
  translator: string | null;
  translatedSummary: string | null;
  translatedAt: Date | null;
  translatedBy: string | null;
  prisonNumber: string;
  callStatus: CallStatus;
  channel: string;
  startedAt: Date;
  durationSeconds: number;
  tier: Tier | null;
  dueAt: Date | null;
  recordingRef: string | null;
  privilegedKind: string | null;
}

/** What a translated call shows with it. */
export interface CallTranslation {
  translator: string;
  summary: string;
  translatedAt: Date;
  originalLanguage: string;
}

export interface TranslationRequestFilter {
  establishments: string[] | null;
  statuses: readonly TranslationStatus[];
  language?: string;
  limit: number;
  offset: number;
}

/** Calls awaiting translation in one language at one establishment, at an instant. */
export interface AwaitingByLanguage {
  language: string;
  count: number;
  oldestStartedAt: Date | null;
  breached: number;
  requested: number;
  sent: number;
}

export interface TranslatedFigures {
  translated: number;
  meanTurnaroundSeconds: number | null;
}

const REQUEST_COLUMNS = `r.id, r.call_id AS "callId", trim(r.establishment_code) AS "establishmentCode",
  r.language, r.status, r.requested_by AS "requestedBy", r.requested_at AS "requestedAt",
  r.sent_by AS "sentBy", r.sent_at AS "sentAt", r.translator, r.translated_summary AS "translatedSummary",
  r.translated_at AS "translatedAt", r.translated_by AS "translatedBy",
  c.prison_number AS "prisonNumber", c.status AS "callStatus", c.channel, c.started_at AS "startedAt",
  c.duration_seconds AS "durationSeconds", c.tier, c.due_at AS "dueAt", c.recording_ref AS "recordingRef",
  c.privileged_kind AS "privilegedKind"`;

/** All SQL of the translation workflow and its backlog figures. */
@Injectable()
export class TranslationRepository {
  constructor(private readonly db: DataSource) {}

  /** The call, locked until the transaction ends: two requests for one call queue behind each other. */
  async lockCall(m: EntityManager, callId: string): Promise<TranslatableCall | null> {
    const rows: TranslatableCall[] = await m.query(
      `SELECT c.id, trim(c.establishment_code) AS "establishmentCode", c.prison_number AS "prisonNumber",
              c.status, c.language
       FROM calls c WHERE c.id = $1 FOR UPDATE`,
      [callId],
    );
    return rows[0] ?? null;
  }

  /**
   * The prisoner's waiting calls, locked in id order: the order a re-score locks them in, so a
   * completion and a re-score of the same prisoner never deadlock. Returns their ids and statuses.
   */
  lockPrisonerWaitingCalls(
    m: EntityManager,
    prisonNumber: string,
  ): Promise<{ id: string; status: CallStatus }[]> {
    return m.query(
      `SELECT id, status FROM calls WHERE prison_number = $1 AND status = ANY($2)
       ORDER BY id FOR UPDATE`,
      [prisonNumber, RESCORABLE_STATUSES],
    );
  }

  async liveRequestFor(
    m: EntityManager,
    callId: string,
  ): Promise<{ id: string; status: TranslationStatus } | null> {
    const rows: { id: string; status: TranslationStatus }[] = await m.query(
      `SELECT id, status FROM translation_requests WHERE call_id = $1 AND status = ANY($2)`,
      [callId, LIVE_TRANSLATION_STATUSES],
    );
    return rows[0] ?? null;
  }

  async insert(
    m: EntityManager,
    r: { callId: string; establishmentCode: string; language: string; by: string; at: Date },
  ): Promise<TranslationRequestRow> {
    const rows: TranslationRequestRow[] = await m.query(
      `WITH r AS (
         INSERT INTO translation_requests (call_id, establishment_code, language, requested_by, requested_at)
         VALUES ($1, $2, $3, $4, $5) RETURNING *
       )
       SELECT ${REQUEST_COLUMNS} FROM r JOIN calls c ON c.id = r.call_id`,
      [r.callId, r.establishmentCode, r.language, r.by, r.at],
    );
    return rows[0];
  }

  async lockRequest(m: EntityManager, id: string): Promise<TranslationRequestRow | null> {
    const rows: TranslationRequestRow[] = await m.query(
      `SELECT ${REQUEST_COLUMNS} FROM translation_requests r JOIN calls c ON c.id = r.call_id
       WHERE r.id = $1 FOR UPDATE OF r`,
      [id],
    );
    return rows[0] ?? null;
  }

  async findRequest(db: Queryable, id: string): Promise<TranslationRequestRow | null> {
    const rows: TranslationRequestRow[] = await db.query(
      `SELECT ${REQUEST_COLUMNS} FROM translation_requests r JOIN calls c ON c.id = r.call_id
       WHERE r.id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  async markSent(m: EntityManager, id: string, by: string, at: Date): Promise<void> {
    await queryRows(
      m,
      `UPDATE translation_requests SET status = 'SENT', sent_by = $2, sent_at = $3
       WHERE id = $1 AND status = 'REQUESTED'`,
      [id, by, at],
    );
  }

  async markTranslated(
    m: EntityManager,
    id: string,
    t: { translator: string; summary: string; by: string; at: Date },
  ): Promise<void> {
    await queryRows(
      m,
      `UPDATE translation_requests SET status = 'TRANSLATED', translator = $2, translated_summary = $3,
         translated_by = $4, translated_at = $5
       WHERE id = $1 AND status = ANY($6)`,
      [id, t.translator, t.summary, t.by, t.at, LIVE_TRANSLATION_STATUSES],
    );
  }

  async markCancelled(m: EntityManager, id: string): Promise<void> {
    await queryRows(
      m,
      `UPDATE translation_requests SET status = 'CANCELLED' WHERE id = $1 AND status = ANY($2)`,
      [id, LIVE_TRANSLATION_STATUSES],
    );
  }

  /**
   * Listeners now hear the call in English: its language becomes 'en' and the language it was made
   * in is kept. Tier and due times are left to the re-score that follows.
   */
  async markCallTranslated(m: EntityManager, callId: string): Promise<void> {
    await queryRows(
      m,
      `UPDATE calls SET original_language = language, language = 'en', updated_at = now()
       WHERE id = $1 AND language <> 'en'`,
      [callId],
    );
  }

  /** Requests with their calls' facts, the most urgent call first (tier, then due time). */
  async list(
    f: TranslationRequestFilter,
  ): Promise<{ rows: TranslationRequestRow[]; total: number }> {
    const where = `r.status = ANY($1) AND ($2::char(3)[] IS NULL OR r.establishment_code = ANY($2))
      AND ($3::text IS NULL OR r.language = $3)`;
    const params = [f.statuses, f.establishments, f.language ?? null];
    const [rows, count] = await Promise.all([
      this.db.query<TranslationRequestRow[]>(
        `SELECT ${REQUEST_COLUMNS} FROM translation_requests r JOIN calls c ON c.id = r.call_id
         WHERE ${where}
         ORDER BY c.tier NULLS LAST, c.due_at NULLS LAST, r.requested_at, r.id LIMIT $4 OFFSET $5`,
        [...params, f.limit, f.offset],
      ),
      this.db.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM translation_requests r WHERE ${where}`,
        params,
      ),
    ]);
    return { rows, total: count[0].n };
  }

  /** The completed translation of each call that has one. */
  async translationsForCalls(
    callIds: string[],
    db: Queryable = this.db,
  ): Promise<Map<string, CallTranslation>> {
    if (callIds.length === 0) return new Map();
    const rows = await db.query<(CallTranslation & { callId: string })[]>(
      `SELECT DISTINCT ON (r.call_id) r.call_id AS "callId", r.translator, r.translated_summary AS summary,
              r.translated_at AS "translatedAt", r.language AS "originalLanguage"
       FROM translation_requests r
       WHERE r.call_id = ANY($1::uuid[]) AND r.status = 'TRANSLATED'
       ORDER BY r.call_id, r.translated_at DESC`,
      [callIds],
    );
    return new Map(rows.map(({ callId, ...t }) => [callId, t]));
  }

  /**
   * Calls awaiting translation at the establishment, per language: how many, the oldest, how many
   * are past their due time at `at`, and how many have a live request REQUESTED or SENT.
   */
  awaitingByLanguage(establishment: string, at: Date): Promise<AwaitingByLanguage[]> {
    return this.db.query<AwaitingByLanguage[]>(
      `SELECT c.language, count(*)::int AS count, min(c.started_at) AS "oldestStartedAt",
              count(*) FILTER (WHERE c.due_at < $2)::int AS breached,
              count(*) FILTER (WHERE r.status = 'REQUESTED')::int AS requested,
              count(*) FILTER (WHERE r.status = 'SENT')::int AS sent
       FROM calls c
       LEFT JOIN translation_requests r ON r.call_id = c.id AND r.status IN ('REQUESTED', 'SENT')
       WHERE c.establishment_code = $1 AND c.status = 'AWAITING_TRANSLATION'
       GROUP BY c.language ORDER BY c.language`,
      [establishment, at],
    );
  }

  /** Translations completed in (from, to]: how many, and their mean time from request to translation. */
  async translatedBetween(establishment: string, from: Date, to: Date): Promise<TranslatedFigures> {
    const rows = await this.db.query<TranslatedFigures[]>(
      `SELECT count(*)::int AS translated,
              avg(extract(epoch FROM translated_at - requested_at))::float8 AS "meanTurnaroundSeconds"
       FROM translation_requests
       WHERE establishment_code = $1 AND status = 'TRANSLATED' AND translated_at > $2 AND translated_at <= $3`,
      [establishment, from, to],
    );
    return rows[0];
  }
}
