/* Why this file is long: every read of the triage facts is in loadTriageFacts and its helpers, so that the facts the policy decides on are loaded in one place (README "How to change the policy"). */
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { queryRows } from '../db/sql';
import { Channel, HIGH_CONCERN_LEVELS } from '../common/vocabulary';
import { DEFAULT_SETTINGS, resolveSettings } from '../establishments/settings';
import { AGEING_TIERS, PRIVILEGED_RELATIONSHIP, TriageDecision } from './priority-policy';
import {
  AuthorisationFacts,
  CallsToNumberFacts,
  ContactFacts,
  KeyDateFacts,
  policySettings,
  PrisonerFacts,
  PrivilegedEntryFacts,
  TriageFacts,
} from './triage-facts';

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

/** The one row loadTriageFacts reads: each kind of fact as a JSON list. */
interface FactRows {
  prisoners: (Omit<PrisonerFacts, 'earliestReleaseDate' | 'keyDates'> & {
    prisonNumber: string;
    earliestReleaseDate: string | null;
  })[];
  keyDates: { prisonNumber: string; type: KeyDateFacts['type']; date: string }[];
  contacts: (ContactFacts & { prisonNumber: string })[];
  privileged: (PrivilegedEntryFacts & { phoneNumber: string })[];
  authorisations: (Omit<AuthorisationFacts, 'startsAt' | 'endsAt'> & {
    prisonNumber: string;
    startsAt: string;
    endsAt: string | null;
  })[];
  languages: { code: string; languages: string[] }[];
  settings: { code: string; settings: unknown }[];
  escalated: string[];
  alerts: { prisonNumber: string; dialledNumber: string; reason: string }[];
  mail: { callId: string; kind: string }[];
}

/** Builds the facts of one of the calls the facts were loaded for. */
export type TriageFactsOf = (call: CallToTriage) => TriageFacts;

const patternKey = (prisonNumber: string, dialledNumber: string) =>
  `${prisonNumber}|${dialledNumber}`;

import {
  HEARD_STATUSES,
  RESCORABLE_STATUSES,
  RescoreScope,
  REVOCABLE_STATUSES,
} from '../common/rescore-statuses';

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
   * With `numbers`, only the calls to those numbers (through calls_prisoner_number_idx).
   */
  async lockRescorableCalls(
    m: EntityManager,
    prisonNumbers: string[],
    scope: RescoreScope = 'ALL',
    numbers: readonly string[] | null = null,
  ): Promise<CallToTriage[]> {
    const toNumbers = numbers ? `AND c.dialled_number = ANY($3)` : '';
    const params = (...p: unknown[]) => (numbers ? [...p, numbers] : p);
    const waiting: CallToTriage[] = await m.query(
      `SELECT ${CALL_COLUMNS} FROM calls c WHERE c.prison_number = ANY($1) AND c.status = ANY($2)
       ${toNumbers} ORDER BY c.id FOR UPDATE`,
      params(prisonNumbers, RESCORABLE_STATUSES),
    );
    if (scope === 'WAITING') return waiting;
    const claimed: CallToTriage[] = await m.query(
      `SELECT ${CALL_COLUMNS} FROM calls c WHERE c.prison_number = ANY($1) AND c.status = ANY($2)
       ${toNumbers} ORDER BY c.id FOR UPDATE SKIP LOCKED`,
      params(prisonNumbers, REVOCABLE_STATUSES),
    );
    // Only heard calls that could be privileged now: the history of a prisoner is long.
    const heard: CallToTriage[] = await m.query(
      `WITH privileged AS (
         SELECT phone_number AS n FROM privileged_numbers
         UNION SELECT unnest(phone_numbers) FROM contacts
         WHERE prison_number = ANY($1) AND relationship = $${numbers ? 4 : 3}
       )
       SELECT ${CALL_COLUMNS} FROM calls c
       WHERE c.prison_number = ANY($1) AND c.dialled_number IN (SELECT n FROM privileged)
         AND c.status = ANY($2) ${toNumbers}
       ORDER BY c.id FOR UPDATE OF c SKIP LOCKED`,
      numbers
        ? [prisonNumbers, HEARD_STATUSES, numbers, PRIVILEGED_RELATIONSHIP]
        : [prisonNumbers, HEARD_STATUSES, PRIVILEGED_RELATIONSHIP],
    );
    return [...waiting, ...claimed, ...heard];
  }

  /**
   * Prisoners with waiting calls of a tier that may age whose wait has reached twice what their due
   * time allowed (`now` ≥ due + (due − start)): the calls the ageing rule may lift. The policy
   * decides; a call not yet due to climb again is re-scored to the same decision and not written.
   */
  async prisonersWithAgedCalls(m: EntityManager, now: Date): Promise<string[]> {
    const rows = await m.query<{ prisonNumber: string }[]>(
      `SELECT DISTINCT prison_number AS "prisonNumber" FROM calls
       WHERE status = ANY($1) AND tier = ANY($2) AND due_at + (due_at - started_at) <= $3`,
      [['PENDING', 'AWAITING_TRANSLATION'], AGEING_TIERS, now],
    );
    return rows.map((r) => r.prisonNumber);
  }

  /**
   * The next prisoners (by prison number, after `after`) with calls a re-score may move, at these
   * establishments (every one for null).
   */
  async prisonersWithWaitingCalls(
    m: EntityManager,
    after: string,
    limit: number,
    establishments: string[] | null,
  ): Promise<string[]> {
    const rows = await m.query<{ prisonNumber: string }[]>(
      `SELECT DISTINCT prison_number AS "prisonNumber" FROM calls
       WHERE status = ANY($1) AND prison_number > $2
         AND ($4::char(3)[] IS NULL OR establishment_code = ANY($4))
       ORDER BY prison_number LIMIT $3`,
      [[...RESCORABLE_STATUSES, ...REVOCABLE_STATUSES], after, limit, establishments],
    );
    return rows.map((r) => r.prisonNumber);
  }

  /** Whether every waiting call has been re-scored under this version of the policy. */
  async policyRescored(m: EntityManager, version: number): Promise<boolean> {
    const rows = await m.query<unknown[]>(
      `SELECT 1 FROM policy_rescores WHERE policy_version = $1`,
      [version],
    );
    return rows.length > 0;
  }

  async markPolicyRescored(
    m: EntityManager,
    version: number,
    prisoners: number,
    callsWritten: number,
  ): Promise<void> {
    await m.query(
      `INSERT INTO policy_rescores (policy_version, prisoners, calls_written) VALUES ($1, $2, $3)
       ON CONFLICT (policy_version) DO NOTHING`,
      [version, prisoners, callsWritten],
    );
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
       WHERE dialled_number = $1 AND status = ANY($2) AND ($3::char(3) IS NULL OR establishment_code = $3)`,
      [
        dialledNumber,
        [...RESCORABLE_STATUSES, ...REVOCABLE_STATUSES, ...HEARD_STATUSES],
        establishment,
      ],
    );
    return rows.map((r) => r.prisonNumber);
  }

  /**
   * The establishment's calls made in [from, to) that were queued to be heard (waiting, held, heard,
   * awaiting translation, or purged after being queued), with their durations: the history the
   * policy simulator replays. Through calls_establishment_started_idx.
   */
  callsMadeBetween(
    m: EntityManager,
    establishment: string,
    from: Date,
    to: Date,
  ): Promise<(CallToTriage & { durationSeconds: number })[]> {
    return m.query(
      `SELECT ${CALL_COLUMNS}, duration_seconds AS "durationSeconds" FROM calls
       WHERE establishment_code = $1 AND started_at >= $2 AND started_at < $3
         AND status IN ('PENDING', 'CLAIMED', 'LOGGED', 'AWAITING_TRANSLATION', 'PURGED')
         AND tier IS NOT NULL
       ORDER BY started_at, id`,
      [establishment, from, to],
    );
  }

  /**
   * Loads, in one set-based read (and a second when a pattern alert names one of the calls' numbers),
   * everything the policy decides the calls on, and returns how to build one call's TriageFacts. It only looks facts up: every rule applied to them is the policy's.
   */
  async loadTriageFacts(m: EntityManager, calls: CallToTriage[]): Promise<TriageFactsOf> {
    const prisonNumbers = [...new Set(calls.map((c) => c.prisonNumber))];
    const numbers = [...new Set(calls.map((c) => c.dialledNumber))];
    const establishments = [...new Set(calls.map((c) => c.establishmentCode))];

    // Every fact in one statement: a re-score inside a log's transaction made nine round trips
    // here, each parsed, planned and answered on its own (a third of such a log's statements).
    // Each list comes back as JSON; timestamps are revived below.
    const mailCalls = calls.filter((c) => c.channel === 'MAIL').map((c) => c.id);
    const [facts] = await m.query<FactRows[]>(
      `SELECT
         (SELECT coalesce(json_agg(json_build_object(
                   'prisonNumber', prison_number, 'alertCodes', alert_codes,
                   'mappaCategory', mappa_category, 'mappaLevel', mappa_level, 'roshLevel', rosh_level,
                   'earliestReleaseDate', earliest_release_date::text,
                   'leadListenerUsername', lead_listener_username)), '[]')
            FROM prisoners WHERE prison_number = ANY($1)) AS prisoners,
         (SELECT coalesce(json_agg(json_build_object(
                   'prisonNumber', prison_number, 'type', type, 'date', date::text) ORDER BY date, type), '[]')
            FROM prisoner_key_dates WHERE prison_number = ANY($1)) AS "keyDates",
         (SELECT coalesce(json_agg(json_build_object(
                   'id', id, 'prisonNumber', prison_number, 'name', name, 'relationship', relationship,
                   'phoneNumbers', phone_numbers, 'isVictim', is_victim, 'isChild', is_child,
                   'restriction', restriction) ORDER BY created_at, id), '[]')
            FROM contacts WHERE prison_number = ANY($1)) AS contacts,
         (SELECT coalesce(json_agg(json_build_object(
                   'phoneNumber', phone_number, 'kind', kind, 'establishmentCode', establishment_code)), '[]')
            FROM privileged_numbers WHERE phone_number = ANY($2)) AS privileged,
         (SELECT coalesce(json_agg(json_build_object(
                   'prisonNumber', prison_number, 'type', type, 'channels', channels,
                   'startsAt', starts_at, 'endsAt', ends_at, 'lookbackDays', lookback_days)), '[]')
            FROM monitoring_authorisations WHERE prison_number = ANY($1) AND status = 'ACTIVE') AS authorisations,
         (SELECT coalesce(json_agg(json_build_object('code', code, 'languages', languages)), '[]') FROM (
            SELECT e.code, coalesce(array_agg(DISTINCT l) FILTER (WHERE l IS NOT NULL), '{}') AS languages
              FROM unnest($3::text[]) AS e(code)
              LEFT JOIN staff s ON e.code = ANY(s.establishments) AND 'LISTENER' = ANY(s.roles)
              LEFT JOIN LATERAL unnest(s.languages) AS l ON true
             GROUP BY e.code) spoken) AS languages,
         (SELECT coalesce(json_agg(json_build_object('code', code, 'settings', settings)), '[]')
            FROM establishments WHERE code = ANY($3)) AS settings,
         (SELECT coalesce(json_agg(DISTINCT prison_number), '[]') FROM escalations
           WHERE prison_number = ANY($1) AND status <> 'CLOSED' AND concern_level = ANY($4)) AS escalated,
         (SELECT coalesce(json_agg(a), '[]') FROM (
            SELECT prison_number AS "prisonNumber", dialled_number AS "dialledNumber",
                   string_agg(reason, '; ' ORDER BY created_at) AS reason
              FROM pattern_alerts
             WHERE prison_number = ANY($1) AND dialled_number = ANY($2) AND status <> 'DISMISSED'
             GROUP BY prison_number, dialled_number) a) AS alerts,
         (SELECT coalesce(json_agg(json_build_object('callId', call_id, 'kind', correspondent_kind)), '[]')
            FROM mail_items WHERE call_id = ANY($5::uuid[])) AS mail`,
      [prisonNumbers, numbers, establishments, HIGH_CONCERN_LEVELS, mailCalls],
    );
    const { prisoners, keyDates, contacts, privileged, languages, settings, alerts, mail } = facts;
    const authorisations = facts.authorisations.map((a) => ({
      ...a,
      startsAt: new Date(a.startsAt),
      endsAt: a.endsAt === null ? null : new Date(a.endsAt),
    }));
    const escalations = new Set(facts.escalated);
    const alerted = new Set(alerts.map((a) => patternKey(a.prisonNumber, a.dialledNumber)));
    const callsToNumber = await this.callsToAlertedNumbers(
      m,
      calls.filter((c) => alerted.has(patternKey(c.prisonNumber, c.dialledNumber))),
    );

    const keyDatesOf = groupBy(keyDates, (k) => k.prisonNumber);
    const prisonerOf = new Map<string, PrisonerFacts>(
      prisoners.map(({ prisonNumber, ...p }) => [
        prisonNumber,
        {
          ...p,
          earliestReleaseDate: p.earliestReleaseDate ? utcDay(p.earliestReleaseDate) : null,
          keyDates: (keyDatesOf.get(prisonNumber) ?? []).map((k) => ({
            type: k.type,
            date: utcDay(k.date),
          })),
        },
      ]),
    );
    const contactsOf = groupBy(contacts, (c) => c.prisonNumber);
    const directoryOf = groupBy(privileged, (p) => p.phoneNumber);
    const authorisationsOf = groupBy(authorisations, (a) => a.prisonNumber);
    const languagesAt = new Map(languages.map((r) => [r.code.trim(), new Set(r.languages)]));
    const settingsAt = new Map(
      settings.map((s) => [s.code.trim(), policySettings(resolveSettings(s.settings))]),
    );
    const alertReasons = new Map(
      alerts.map((a) => [patternKey(a.prisonNumber, a.dialledNumber), a.reason]),
    );
    const mailKindOf = new Map(mail.map((r) => [r.callId, r.kind]));
    const noLanguages: ReadonlySet<string> = new Set();

    return (call) => ({
      call: {
        dialledNumber: call.dialledNumber,
        startedAt: call.startedAt,
        channel: call.channel,
        language: call.language,
        establishmentCode: call.establishmentCode,
        transcript: call.transcript,
      },
      prisoner: prisonerOf.get(call.prisonNumber) ?? null,
      contacts: contactsOf.get(call.prisonNumber) ?? [],
      privilegedDirectory: directoryOf.get(call.dialledNumber) ?? [],
      mailCorrespondentKind: mailKindOf.get(call.id) ?? null,
      authorisations: authorisationsOf.get(call.prisonNumber) ?? [],
      // An establishment without stored settings has the defaults.
      settings: settingsAt.get(call.establishmentCode) ?? policySettings(DEFAULT_SETTINGS),
      listenerLanguages: languagesAt.get(call.establishmentCode) ?? noLanguages,
      hasOpenHighConcernEscalation: escalations.has(call.prisonNumber),
      openPatternAlertReason:
        alertReasons.get(patternKey(call.prisonNumber, call.dialledNumber)) ?? null,
      callsToNumber: callsToNumber.get(call.id) ?? null,
    });
  }

  /**
   * Each call's place among all its prisoner's calls to the same number (any status): how many
   * were made after it, and when the newest was. One scan of the pairs through
   * calls_prisoner_number_idx; the callers pass only calls whose pair has a live pattern alert.
   */
  private async callsToAlertedNumbers(
    m: EntityManager,
    calls: CallToTriage[],
  ): Promise<Map<string, CallsToNumberFacts>> {
    if (calls.length === 0) return new Map();
    const pairs = [...new Set(calls.map((c) => patternKey(c.prisonNumber, c.dialledNumber)))].map(
      (k) => k.split('|'),
    );
    const rows = await m.query<{ id: string; newerCalls: number; newestStartedAt: Date }[]>(
      `SELECT id, "newerCalls", "newestStartedAt" FROM (
         SELECT c.id,
                (row_number() OVER (PARTITION BY c.prison_number, c.dialled_number
                                    ORDER BY c.started_at DESC, c.id DESC) - 1)::int AS "newerCalls",
                max(c.started_at) OVER (PARTITION BY c.prison_number, c.dialled_number) AS "newestStartedAt"
         FROM calls c
         JOIN unnest($1::text[], $2::text[]) AS p(prison_number, dialled_number)
           ON c.prison_number = p.prison_number AND c.dialled_number = p.dialled_number
       ) ranked
       WHERE id = ANY($3::uuid[])`,
      [pairs.map((p) => p[0]), pairs.map((p) => p[1]), calls.map((c) => c.id)],
    );
    return new Map(
      rows.map((r) => [r.id, { newerCalls: r.newerCalls, newestStartedAt: r.newestStartedAt }]),
    );
  }

  /**
   * Writes every decision in one statement; rows no longer in an expected status are left alone,
   * and so are rows the decision would not change (a re-score that moves nothing writes nothing:
   * a second HIGH log of a prisoner whose calls are already P1 rewrote every one of them, each a
   * new row version in all of the table's indexes). Returns the rows written.
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
         AND (c.status, c.contact_id, c.tier, c.due_at, c.effective_due_at, c.priority_reasons,
              c.required_trainings, c.lead_listener_username, c.privileged_kind, c.claimed_by)
           IS DISTINCT FROM
             (t.status, t.contact_id, t.tier, t.due_at, t.effective_due_at,
              string_to_array(t.reasons, E'\\x1f'), string_to_array(t.trainings, ','), t.lead,
              t.privileged_kind, NULL::text)
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
   * A claimed call that stays to be heard keeps its listener, but takes the re-score's tier, due
   * time and reasons: otherwise, released or its lease expired, it went back to the queue with the
   * tier it had before the change (a prisoner raised to MAPPA level 3 while one of his calls was
   * claimed had that call back at P3). Rows no longer claimed, or that would not change, are left
   * alone; the claim itself is untouched. Returns the rows written.
   */
  async refreshClaimedPriorities(
    m: EntityManager,
    decisions: { id: string; decision: TriageDecision & { status: 'PENDING' } }[],
  ): Promise<number> {
    if (decisions.length === 0) return 0;
    const col = <T>(f: (d: TriageDecision & { status: 'PENDING' }) => T) =>
      decisions.map(({ decision }) => f(decision));
    const rows = await queryRows<{ id: string }>(
      m,
      `UPDATE calls c SET
         contact_id = t.contact_id, tier = t.tier, due_at = t.due_at,
         effective_due_at = t.effective_due_at,
         priority_reasons = string_to_array(t.reasons, E'\\x1f'),
         required_trainings = string_to_array(t.trainings, ','),
         lead_listener_username = t.lead, updated_at = now()
       FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::timestamptz[], $5::timestamptz[],
                   $6::text[], $7::text[], $8::text[])
         AS t(id, contact_id, tier, due_at, effective_due_at, reasons, trainings, lead)
       WHERE c.id = t.id AND (c.status = 'CLAIMED') IS TRUE
         AND (c.contact_id, c.tier, c.due_at, c.effective_due_at, c.priority_reasons,
              c.required_trainings, c.lead_listener_username)
           IS DISTINCT FROM
             (t.contact_id, t.tier, t.due_at, t.effective_due_at,
              string_to_array(t.reasons, E'\\x1f'), string_to_array(t.trainings, ','), t.lead)
       RETURNING c.id`,
      [
        decisions.map((d) => d.id),
        col((d) => d.contactId),
        col((d) => d.tier),
        col((d) => d.dueAt),
        col((d) => d.effectiveDueAt),
        col((d) => d.reasons.join(SEP)),
        col((d) => d.requiredTrainings.join(',')),
        col((d) => d.leadListenerUsername),
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

/** A stored calendar day (`YYYY-MM-DD`) as midnight UTC, how the policy reads dates. */
function utcDay(date: string): Date {
  return new Date(`${date}T00:00:00Z`);
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
