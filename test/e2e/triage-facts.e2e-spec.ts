import { PatternsService } from '../../src/patterns/patterns.service';
import { TRIAGE_FACT_NAMES, TriageFact } from '../../src/triage/triage-facts';
import { bearer, startApi, TestApi } from '../support/api';
import { randomMobile, Scenario, Staffer, toE164 } from '../support/scenario';

/**
 * Every fact the priority policy reads (TRIAGE_FACTS) is changed here through the HTTP API, and the
 * prisoner's waiting call is shown re-scored as the policy says: a write that changes a fact without
 * calling the re-score hook fails its case. A fact added to TRIAGE_FACTS without a case fails too.
 */
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ALL_TRAININGS = ['PUBLIC_PROTECTION', 'DOMESTIC_ABUSE', 'CHILD_SAFEGUARDING'];
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

interface CallRow {
  id: string;
  status: string;
  tier: string | null;
  dueAt: Date | null;
  effectiveDueAt: Date | null;
  reasons: string[];
  leadListener: string | null;
}

describe('triage facts: each change re-scores the waiting calls', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi();
  });

  afterAll(async () => {
    await api.close();
  });

  const callRow = async (externalId: string): Promise<CallRow> =>
    (
      await api.db.query<CallRow[]>(
        `SELECT id, status, tier, due_at AS "dueAt", effective_due_at AS "effectiveDueAt",
                priority_reasons AS reasons, lead_listener_username AS "leadListener"
         FROM calls WHERE external_id = $1`,
        [externalId],
      )
    )[0];

  /** A prisoner under monitoring with one call waiting at P3 (to a number not on his list). */
  const waitingCall = async (
    prisonerBody: Record<string, unknown> = {},
    callBody: Record<string, unknown> = {},
    opts: { monitored?: boolean } = {},
  ) => {
    const s = await Scenario.create(api);
    const body = { firstName: 'Test', lastName: 'Facts', establishmentCode: s.establishment };
    const prisoner = await s.prisoner({ ...body, ...prisonerBody });
    if (opts.monitored ?? true) await s.authorise(prisoner);
    const call = s.call(prisoner, callBody);
    await s.ingestAndTriage([call]);
    const externalId = call.externalId as string;
    const dialled = call.dialledNumber as string;
    /** PUT /prisoners/:prisonNumber is a whole record: what the test set first, then the change. */
    const putPrisoner = (change: Record<string, unknown>) =>
      api.http
        .put(`/api/prisoners/${prisoner}`)
        .set(bearer(s.adminToken))
        .send({ ...body, ...prisonerBody, ...change })
        .expect(200);
    return { s, prisoner, externalId, dialled, putPrisoner, row: () => callRow(externalId) };
  };

  const P3_REASON = 'under an active monitoring authorisation';

  const CASES: Record<TriageFact, () => Promise<void>> = {
    ALERT_CODES: async () => {
      const c = await waitingCall();
      expect(await c.row()).toMatchObject({ status: 'PENDING', tier: 'P3' });
      await c.putPrisoner({ alertCodes: ['CC1'] });
      const after = await c.row();
      expect(after.tier).toBe('P2');
      expect(after.reasons).toContain(
        'child-contact prisoner calling a number not on the contact list',
      );
    },

    MAPPA: async () => {
      const c = await waitingCall();
      const before = await c.row();
      expect(before.tier).toBe('P3');
      await c.putPrisoner({ mappaCategory: 1, mappaLevel: 3 });
      const after = await c.row();
      expect(after.tier).toBe('P1');
      expect(after.reasons).toEqual(
        expect.arrayContaining(['MAPPA level 3', 'MAPPA level 3 (+12 h)']),
      );
    },

    ROSH: async () => {
      const c = await waitingCall();
      expect((await c.row()).tier).toBe('P3');
      await c.putPrisoner({ roshLevel: 'HIGH' });
      const after = await c.row();
      expect(after.tier).toBe('P2');
      expect(after.reasons).toEqual(expect.arrayContaining(['RoSH high', 'RoSH high (+6 h)']));
    },

    RELEASE_DATE: async () => {
      const c = await waitingCall({ mappaCategory: 1, mappaLevel: null });
      expect((await c.row()).tier).toBe('P3');
      const inThreeMonths = new Date(Date.now() + 90 * DAY).toISOString().slice(0, 10);
      await c.putPrisoner({ earliestReleaseDate: inThreeMonths });
      const after = await c.row();
      expect(after.tier).toBe('P2');
      expect(after.reasons).toContain('MAPPA level not set within 6 months of release');
    },

    KEY_DATES: async () => {
      const c = await waitingCall();
      const before = await c.row();
      expect(before.tier).toBe('P3');
      // A parole hearing in 30 days: within the 56-day window, and the P2 due time (72 h) is
      // well before it, so nothing is capped.
      const hearing = new Date(Date.now() + 30 * DAY);
      await c.putPrisoner({
        keyDates: [{ type: 'PAROLE_HEARING', date: hearing.toISOString().slice(0, 10) }],
      });
      const after = await c.row();
      expect(after.tier).toBe('P2');
      expect(after.reasons.some((r) => /^parole hearing on .* \(in \d+ days\)$/.test(r))).toBe(
        true,
      );
    },

    LEAD_LISTENER: async () => {
      const c = await waitingCall();
      expect((await c.row()).leadListener).toBeNull();
      const lead = await c.s.staff(['LISTENER'], { trainings: ALL_TRAININGS });
      await c.putPrisoner({ leadListenerUsername: lead.username });
      expect((await c.row()).leadListener).toBe(lead.username);
    },

    CONTACTS: async () => {
      const c = await waitingCall();
      expect((await c.row()).tier).toBe('P3');
      await c.s.contact(c.prisoner, {
        name: 'Jane Doe',
        phoneNumbers: [c.dialled],
        isVictim: true,
      });
      const after = await c.row();
      expect(after.tier).toBe('P1');
      expect(after.reasons).toContain('victim contact');
      expect(after.reasons).not.toContain('number not on contact list (+6 h)');
    },

    PRIVILEGED_NUMBERS: async () => {
      const c = await waitingCall();
      expect((await c.row()).status).toBe('PENDING');
      await c.s.privilegedNumber(toE164(c.dialled));
      expect(await c.row()).toMatchObject({ status: 'EXCLUDED_PRIVILEGED', tier: null });
    },

    AUTHORISATIONS: async () => {
      const c = await waitingCall({}, {}, { monitored: false });
      expect(await c.row()).toMatchObject({ status: 'NOT_MONITORED', tier: null });
      await c.s.authorise(c.prisoner);
      const after = await c.row();
      expect(after).toMatchObject({ status: 'PENDING', tier: 'P3' });
      expect(after.reasons).toContain(P3_REASON);
    },

    LISTENER_LANGUAGES: async () => {
      const c = await waitingCall({ languages: ['pl'] }, { language: 'pl' });
      expect(await c.row()).toMatchObject({ status: 'AWAITING_TRANSLATION', tier: 'P3' });
      await c.s.staff(['LISTENER'], { trainings: ALL_TRAININGS, languages: ['pl'] });
      const after = await c.row();
      expect(after).toMatchObject({ status: 'PENDING', tier: 'P3' });
      expect(after.reasons).not.toContain('language "pl" spoken by no listener here');
    },

    SETTINGS: async () => {
      const c = await waitingCall();
      const before = await c.row();
      expect(before.tier).toBe('P3');
      // A setting the policy does not read re-scores nothing, and the audit row says so.
      await c.s.settings({ maxClaimsPerListener: 3 });
      expect((await c.row()).dueAt).toEqual(before.dueAt);
      await c.s.settings({ slaHours: { P3: 100 } });
      const after = await c.row();
      // The default P3 SLA is 168 hours; now the call is due 68 hours sooner.
      expect(before.dueAt!.getTime() - after.dueAt!.getTime()).toBe(68 * HOUR);
      const audited = await api.db.query<
        { details: { changed: unknown; callsRescored: number } }[]
      >(
        `SELECT details FROM audit_events
         WHERE action = 'SETTINGS_CHANGED' AND entity_type = 'establishment' AND entity_id = $1
         ORDER BY id`,
        [c.s.establishment],
      );
      expect(audited.map((r) => r.details)).toEqual([
        { changed: { maxClaimsPerListener: 3 }, callsRescored: 0 },
        { changed: { slaHours: { P3: 100 } }, callsRescored: 1 },
      ]);
    },

    HIGH_CONCERN: async () => {
      const c = await waitingCall();
      expect((await c.row()).tier).toBe('P3');
      const security = await c.s.staff(['SECURITY_MANAGER']);
      const raised = await api.http
        .post(`/api/prisoners/${c.prisoner}/escalations`)
        .set(bearer(security.token))
        .send({
          target: 'SECURITY',
          reason: 'Intelligence of a planned assault',
          concernLevel: 'HIGH',
        })
        .expect(201);
      let after = await c.row();
      expect(after.tier).toBe('P1');
      expect(after.reasons).toContain('open high-concern escalation on this prisoner');

      // Closing it lets the call fall back to its own tier.
      await api.http
        .post(`/api/escalations/${(raised.body as { id: string }).id}/close`)
        .set(bearer(security.token))
        .send({ outcome: 'NO_FURTHER_ACTION' })
        .expect(200);
      after = await c.row();
      expect(after.tier).toBe('P3');
    },

    PATTERN_ALERTS: async () => {
      const c = await waitingCall();
      const head = await c.s.staff(['HEAD_OF_OMU']);
      // Three weeks on record, then a new number called five times within 48 hours: detected
      // after the batch (the worker's job).
      await c.s.ingestAndTriage([c.s.call(c.prisoner, { startedAt: ago(20 * DAY) })]);
      const number = randomMobile();
      const calls = [10, 8, 6, 4, 2].map((h) =>
        c.s.call(c.prisoner, { dialledNumber: number, startedAt: ago(h * HOUR) }),
      );
      const batch = await c.s.ingestAndTriage(calls);
      const latest = calls[calls.length - 1].externalId as string;
      expect((await callRow(latest)).tier).toBe('P3');
      await api.app.get(PatternsService).detectAfterBatch(batch.batchId);
      let after = await callRow(latest);
      expect(after.tier).toBe('P1');
      expect(after.reasons.some((r) => r.startsWith('pattern alert: new number'))).toBe(true);

      // Dismissed as not a concern (over HTTP): the P1 lift falls away at once.
      const alerts = await api.http
        .get(`/api/pattern-alerts?establishment=${c.s.establishment}`)
        .set(bearer(head.token))
        .expect(200);
      for (const alert of (alerts.body as { items: { id: string }[] }).items) {
        await api.http
          .post(`/api/pattern-alerts/${alert.id}/dismiss`)
          .set(bearer(head.token))
          .send({ reason: 'His new solicitor-approved family number' })
          .expect(200);
      }
      after = await callRow(latest);
      expect(after.tier).toBe('P3');
      expect(after.reasons.some((r) => r.startsWith('pattern alert:'))).toBe(false);
    },

    TRANSCRIPT: async () => {
      const c = await waitingCall();
      const before = await c.row();
      expect(before.tier).toBe('P3');
      await api.http
        .put(`/api/calls/${before.id}/transcript`)
        .set(bearer(c.s.ingestToken))
        .type('text/plain')
        .send("I'm going to kill her when I get out")
        .expect(200);
      const after = await c.row();
      expect(after.tier).toBe('P1');
      expect(after.reasons).toContain('transcript: "going to kill"');
    },

    CALL_LANGUAGE: async () => {
      const c = await waitingCall({ languages: ['pl'] }, { language: 'pl' });
      const before = await c.row();
      expect(before).toMatchObject({ status: 'AWAITING_TRANSLATION', tier: 'P3' });
      expect(before.reasons).toContain('language "pl" spoken by no listener here');
      const head: Staffer = await c.s.staff(['HEAD_OF_OMU']);
      const requested = await api.http
        .post(`/api/calls/${before.id}/translation-requests`)
        .set(bearer(head.token))
        .send({})
        .expect(201);
      await api.http
        .post(`/api/translation-requests/${(requested.body as { id: string }).id}/complete`)
        .set(bearer(head.token))
        .send({
          translator: 'Jan Kowalski (Interpreting Services)',
          translatedSummary: 'Spoke to his sister about a visit; nothing of concern was said.',
        })
        .expect(200);
      const after = await c.row();
      expect(after).toMatchObject({ status: 'PENDING', tier: 'P3' });
      expect(after.reasons).not.toContain('language "pl" spoken by no listener here');
    },
  };

  it('has a case for every fact the policy reads, and none for a fact it does not', () => {
    expect(Object.keys(CASES).sort()).toEqual([...TRIAGE_FACT_NAMES].sort());
  });

  it.each(TRIAGE_FACT_NAMES)(
    '%s: changing it through the API re-scores the waiting call',
    async (fact) => {
      const run = (CASES as Partial<Record<string, () => Promise<void>>>)[fact];
      if (!run) throw new Error(`No case for triage fact ${fact}: add one to CASES`);
      await run();
    },
  );
});
