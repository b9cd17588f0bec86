import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { queryRows } from '../db/sql';
import { Channel, RoshLevel } from '../common/vocabulary';
import { EstablishmentSettings, resolveSettings } from '../establishments/settings';
import { AuthorisationFacts, ContactFacts, PrisonerFacts, TriageDecision } from './priority-policy';

export interface CallToTriage {
  id: string;
  status: string;
  prisonNumber: string;
  establishmentCode: string;
  dialledNumber: string;
  startedAt: Date;
  channel: Channel;
  language: string;
  transcript: { segments: { at?: number; text: string }[] } | null;
  /** The listener holding the call, when it is CLAIMED. */
  claimedBy: string | null;
}

export interface TriageContextRows {
  prisoners: Map<string, PrisonerFacts>;
  contacts: Map<string, ContactFacts[]>;
  privileged: Map<string, { kind: string; establishmentCode: string | null }[]>;
  authorisations: Map<string, AuthorisationFacts[]>;
  listenerLanguages: Map<string, Set<string>>;
  settings: Map<string, EstablishmentSettings>;
  openHighConcernPrisoners: Set<string>;
  /** Reasons of live pattern alerts, keyed by `${prisonNumber}|${dialledNumber}`. */
  patternAlerts: Map<string, string>;
  /** Kind of privileged correspondent of intercepted mail (Rule 39), by call id. */
  mailPrivileged: Map<string, string>;
}

export const patternKey = (prisonNumber: string, dialledNumber: string) =>
  `${prisonNumber}|${dialledNumber}`;

/** Mail correspondents whose letters are privileged (Prison Rule 39) and never read. */
export const RULE_39_KINDS = [
  'LEGAL_ADVISER',
  'COURT',
  'MP',
  'OMBUDSMAN',
  'CCRC',
  'OTHER_PRIVILEGED',
];

/** Statuses a re-score may move a call between: never one that is claimed, logged or purged. */
export const RESCORABLE_STATUSES = ['PENDING', 'NOT_MONITORED', 'AWAITING_TRANSLATION'] as const;

/**
 * A claimed call is re-scored only to take it from its listener when it may no longer be heard
 * (authorisation ended or expired, number now privileged): listening stops at once.
 */
export const REVOCABLE_STATUSES = ['CLAIMED'] as const;

const CALL_COLUMNS = `id, status, prison_number AS "prisonNumber", establishment_code AS "establishmentCode",
  dialled_number AS "dialledNumber", started_at AS "startedAt", channel, language, transcript,
  claimed_by AS "claimedBy"`;

const SEP = '\u001f';

/** All SQL of triage and re-scoring: set-based reads of the context and one UPDATE per chunk. */
@Injectable()
export class TriageRepository {
  /** Locks the next chunk of a batch's untriaged calls; blocks (not skips) on rows another worker holds. */
  lockReceivedChunk(m: EntityManager, batchId: string, limit: number): Promise<CallToTriage[]> {
    return m.query(
      `SELECT ${CALL_COLUMNS} FROM calls WHERE batch_id = $1 AND status = 'RECEIVED'
       ORDER BY id LIMIT $2 FOR UPDATE`,
      [batchId, limit],
    );
  }

  /**
   * The prisoners' waiting calls, then their claimed ones (which a re-score may only revoke). Claimed
   * rows another transaction holds (a log being written, a release) are skipped rather than waited
   * for, so two listeners logging calls of one prisoner never deadlock on each other's call.
   */
  async lockRescorableCalls(m: EntityManager, prisonNumbers: string[]): Promise<CallToTriage[]> {
    const waiting: CallToTriage[] = await m.query(
      `SELECT ${CALL_COLUMNS} FROM calls WHERE prison_number = ANY($1) AND status = ANY($2)
       ORDER BY id FOR UPDATE`,
      [prisonNumbers, RESCORABLE_STATUSES],
    );
    const claimed: CallToTriage[] = await m.query(
      `SELECT ${CALL_COLUMNS} FROM calls WHERE prison_number = ANY($1) AND status = ANY($2)
       ORDER BY id FOR UPDATE SKIP LOCKED`,
      [prisonNumbers, REVOCABLE_STATUSES],
    );
    return [...waiting, ...claimed];
  }

  /** Prisoners with waiting (or claimed) calls at an establishment. */
  async prisonersWaitingAt(m: EntityManager, establishment: string): Promise<string[]> {
    const rows = await m.query<{ prisonNumber: string }[]>(
      `SELECT DISTINCT prison_number AS "prisonNumber" FROM calls
       WHERE establishment_code = $1 AND status IN ('PENDING', 'AWAITING_TRANSLATION', 'CLAIMED')`,
      [establishment],
    );
    return rows.map((r) => r.prisonNumber);
  }

  /** Prisoners with waiting calls in a language other than English at these establishments. */
  async prisonersWaitingInOtherLanguages(
    m: EntityManager,
    establishments: string[],
  ): Promise<string[]> {
    const rows = await m.query<{ prisonNumber: string }[]>(
      `SELECT DISTINCT prison_number AS "prisonNumber" FROM calls
       WHERE establishment_code = ANY($1) AND status IN ('PENDING', 'AWAITING_TRANSLATION') AND language <> 'en'`,
      [establishments],
    );
    return rows.map((r) => r.prisonNumber);
  }

  async prisonersWithPendingCallsTo(
    m: EntityManager,
    dialledNumber: string,
    establishment: string | null,
  ) {
    const rows: { prisonNumber: string }[] = await m.query(
      `SELECT DISTINCT prison_number AS "prisonNumber" FROM calls
       WHERE dialled_number = $1 AND status = ANY($2) AND ($3::text IS NULL OR establishment_code = $3)`,
      [dialledNumber, [...RESCORABLE_STATUSES, ...REVOCABLE_STATUSES], establishment],
    );
    return rows.map((r) => r.prisonNumber);
  }

  async loadContext(m: EntityManager, calls: CallToTriage[]): Promise<TriageContextRows> {
    const prisonNumbers = [...new Set(calls.map((c) => c.prisonNumber))];
    const numbers = [...new Set(calls.map((c) => c.dialledNumber))];
    const establishments = [...new Set(calls.map((c) => c.establishmentCode))];

    // One connection (the transaction's): the reads run one after another.
    const prisoners = await m.query<
      (Omit<PrisonerFacts, 'earliestReleaseDate'> & {
        prisonNumber: string;
        earliestReleaseDate: string | null;
        roshLevel: RoshLevel | null;
      })[]
    >(
      `SELECT prison_number AS "prisonNumber", alert_codes AS "alertCodes", mappa_category AS "mappaCategory",
                mappa_level AS "mappaLevel", rosh_level AS "roshLevel",
                earliest_release_date::text AS "earliestReleaseDate", lead_listener_username AS "leadListenerUsername"
         FROM prisoners WHERE prison_number = ANY($1)`,
      [prisonNumbers],
    );
    const contacts = await m.query<(ContactFacts & { prisonNumber: string })[]>(
      `SELECT id, prison_number AS "prisonNumber", name, relationship, phone_numbers AS "phoneNumbers",
                is_victim AS "isVictim", is_child AS "isChild", restriction
         FROM contacts WHERE prison_number = ANY($1) ORDER BY created_at, id`,
      [prisonNumbers],
    );
    const privileged = await m.query<
      { phoneNumber: string; kind: string; establishmentCode: string | null }[]
    >(
      `SELECT phone_number AS "phoneNumber", kind, establishment_code AS "establishmentCode"
         FROM privileged_numbers WHERE phone_number = ANY($1)`,
      [numbers],
    );
    const authorisations = await m.query<(AuthorisationFacts & { prisonNumber: string })[]>(
      `SELECT prison_number AS "prisonNumber", type, channels, starts_at AS "startsAt", ends_at AS "endsAt",
                lookback_days AS "lookbackDays"
         FROM monitoring_authorisations WHERE prison_number = ANY($1) AND status = 'ACTIVE'`,
      [prisonNumbers],
    );
    const languages = await m.query<{ code: string; languages: string[] }[]>(
      `SELECT e.code, coalesce(array_agg(DISTINCT l) FILTER (WHERE l IS NOT NULL), '{}') AS languages
         FROM unnest($1::text[]) AS e(code)
         LEFT JOIN staff s ON e.code = ANY(s.establishments) AND 'LISTENER' = ANY(s.roles)
         LEFT JOIN LATERAL unnest(s.languages) AS l ON true
         GROUP BY e.code`,
      [establishments],
    );
    const settings = await m.query<{ code: string; settings: unknown }[]>(
      `SELECT code, settings FROM establishments WHERE code = ANY($1)`,
      [establishments],
    );
    const escalations = await this.openHighConcernPrisoners(m, prisonNumbers);
    const alerts = await m.query<{ prisonNumber: string; dialledNumber: string; reason: string }[]>(
      `SELECT prison_number AS "prisonNumber", dialled_number AS "dialledNumber",
              string_agg(reason, '; ' ORDER BY created_at) AS reason
       FROM pattern_alerts WHERE prison_number = ANY($1) AND dialled_number = ANY($2) AND status <> 'DISMISSED'
       GROUP BY prison_number, dialled_number`,
      [prisonNumbers, numbers],
    );
    const mailCalls = calls.filter((c) => c.channel === 'MAIL').map((c) => c.id);
    const mail = mailCalls.length
      ? await m.query<{ callId: string; kind: string }[]>(
          `SELECT call_id AS "callId", correspondent_kind AS kind FROM mail_items
           WHERE call_id = ANY($1) AND correspondent_kind = ANY($2)`,
          [mailCalls, RULE_39_KINDS],
        )
      : [];

    return {
      prisoners: new Map(
        prisoners.map((p) => [
          p.prisonNumber,
          {
            ...p,
            earliestReleaseDate: p.earliestReleaseDate
              ? new Date(`${p.earliestReleaseDate}T00:00:00Z`)
              : null,
          },
        ]),
      ),
      contacts: groupBy(contacts, (c) => c.prisonNumber),
      privileged: groupBy(privileged, (p) => p.phoneNumber),
      authorisations: groupBy(authorisations, (a) => a.prisonNumber),
      listenerLanguages: new Map(
        languages.map((r) => [r.code.trim(), new Set(['en', ...r.languages])]),
      ),
      settings: new Map(settings.map((s) => [s.code.trim(), resolveSettings(s.settings)])),
      openHighConcernPrisoners: escalations,
      patternAlerts: new Map(
        alerts.map((a) => [patternKey(a.prisonNumber, a.dialledNumber), a.reason]),
      ),
      mailPrivileged: new Map(mail.map((r) => [r.callId, r.kind])),
    };
  }

  /** Prisoners with an open HIGH or IMMEDIATE escalation (their calls are lifted to P1). */
  private async openHighConcernPrisoners(
    m: EntityManager,
    prisonNumbers: string[],
  ): Promise<Set<string>> {
    const rows: { prisonNumber: string }[] = await m.query(
      `SELECT DISTINCT prison_number AS "prisonNumber" FROM escalations
       WHERE prison_number = ANY($1) AND status <> 'CLOSED' AND concern_level IN ('HIGH','IMMEDIATE')`,
      [prisonNumbers],
    );
    return new Set(rows.map((r) => r.prisonNumber));
  }

  /**
   * Writes every decision in one statement; rows no longer in an expected status are left alone.
   * No decision is CLAIMED, so any claim on a row written here is dropped with it.
   *
   * Each row is found by id (calls_pkey) and its status checked there: the check is written
   * `(…) IS TRUE` so that it cannot select a partial index. As a plain `status = ANY(…)`, statistics
   * taken before a large ingest (RECEIVED looked rare) led the planner to read every untriaged call
   * through calls_received_idx and hash-join them to the chunk: 1.3 s a chunk at a million calls.
   */
  async applyDecisions(
    m: EntityManager,
    decisions: { id: string; decision: TriageDecision }[],
    expectedStatuses: readonly string[],
  ): Promise<number> {
    if (decisions.length === 0) return 0;
    const col = <T>(f: (d: TriageDecision) => T) => decisions.map(({ decision }) => f(decision));
    const queued = (d: TriageDecision) =>
      d.status === 'PENDING' || d.status === 'AWAITING_TRANSLATION' ? d : null;
    const rows = await queryRows<{ id: string }>(
      m,
      `UPDATE calls c SET
         status = t.status, contact_id = t.contact_id, tier = t.tier, due_at = t.due_at,
         effective_due_at = t.effective_due_at,
         priority_reasons = string_to_array(t.reasons, E'\\x1f'),
         required_trainings = string_to_array(t.trainings, ','),
         lead_listener_username = t.lead, privileged_kind = t.privileged_kind,
         transcript = CASE WHEN t.status = 'EXCLUDED_PRIVILEGED' THEN NULL ELSE c.transcript END,
         claimed_by = NULL, claim_token = NULL, claimed_at = NULL, claim_expires_at = NULL,
         triaged_at = coalesce(c.triaged_at, now()), updated_at = now()
       FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::timestamptz[], $6::timestamptz[],
                   $7::text[], $8::text[], $9::text[], $10::text[])
         AS t(id, status, contact_id, tier, due_at, effective_due_at, reasons, trainings, lead, privileged_kind)
       WHERE c.id = t.id AND (c.status = ANY($11)) IS TRUE
       RETURNING c.id`,
      [
        decisions.map((d) => d.id),
        col((d) => d.status),
        col((d) => d.contactId),
        col((d) => queued(d)?.tier ?? null),
        col((d) => queued(d)?.dueAt ?? null),
        col((d) => queued(d)?.effectiveDueAt ?? null),
        col((d) => d.reasons.join(SEP)),
        col((d) => queued(d)?.requiredTrainings.join(',') ?? ''),
        col((d) => queued(d)?.leadListenerUsername ?? null),
        col((d) => (d.status === 'EXCLUDED_PRIVILEGED' ? d.privilegedKind : null)),
        expectedStatuses,
      ],
    );
    return rows.length;
  }

  /**
   * Cancels the live translation requests of these calls (they became privileged: no interpreter may
   * hear them). Returns what was cancelled, for the audit.
   */
  async cancelLiveTranslations(
    m: EntityManager,
    callIds: string[],
  ): Promise<{ id: string; callId: string; establishmentCode: string; language: string }[]> {
    if (callIds.length === 0) return [];
    return queryRows(
      m,
      `UPDATE translation_requests SET status = 'CANCELLED'
       WHERE call_id = ANY($1::uuid[]) AND status IN ('REQUESTED', 'SENT')
       RETURNING id, call_id AS "callId", trim(establishment_code) AS "establishmentCode", language`,
      [callIds],
    );
  }

  async recordRun(m: EntityManager, batchId: string, callsTriaged: number): Promise<void> {
    await m.query(`INSERT INTO triage_runs (batch_id, calls_triaged) VALUES ($1, $2)`, [
      batchId,
      callsTriaged,
    ]);
  }
}

function groupBy<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}
