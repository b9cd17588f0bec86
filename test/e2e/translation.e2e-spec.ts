import { Clock } from '../../src/common/clock';
import { bearer, startApi, TestApi } from '../support/api';
import { randomMobile, Scenario, Staffer, toE164 } from '../support/scenario';

const HOUR = 3_600_000;
const ALL_TRAININGS = ['PUBLIC_PROTECTION', 'DOMESTIC_ABUSE', 'CHILD_SAFEGUARDING'];
const SUMMARY =
  'Spoke to his sister about a visit next week; asked her to send money. No threats, no concerns.';

interface TranslationRequestBody {
  id: string;
  callId: string;
  establishmentCode: string;
  prisonNumber: string;
  language: string;
  startedAt: string;
  durationSeconds: number;
  tier: string | null;
  dueAt: string | null;
  recordingRef: string | null;
  callStatus: string;
  status: string;
  requestedBy: string;
  sentBy: string | null;
  sentAt: string | null;
  translator: string | null;
  translatedSummary: string | null;
  translatedAt: string | null;
}

interface CallRow {
  id: string;
  status: string;
  tier: string | null;
  language: string;
  originalLanguage: string | null;
  dueAt: Date | null;
  effectiveDueAt: Date | null;
}

describe('translation', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi();
  });

  afterAll(async () => {
    await api.close();
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  const hoursAgo = (h: number) => new Date(Date.now() - h * HOUR).toISOString();

  const callRow = async (id: string): Promise<CallRow> =>
    (
      await api.db.query<CallRow[]>(
        `SELECT id, status, tier, language, original_language AS "originalLanguage", due_at AS "dueAt",
                effective_due_at AS "effectiveDueAt"
         FROM calls WHERE id = $1`,
        [id],
      )
    )[0];

  const requestTranslation = (who: Staffer, callId: string) =>
    api.http.post(`/api/calls/${callId}/translation-requests`).set(bearer(who.token)).send({});
  const markSent = (who: Staffer, id: string) =>
    api.http.post(`/api/translation-requests/${id}/sent`).set(bearer(who.token)).send({});
  const complete = (who: Staffer, id: string, body: Record<string, unknown>) =>
    api.http.post(`/api/translation-requests/${id}/complete`).set(bearer(who.token)).send(body);
  const cancel = (who: Staffer, id: string, reason = 'A Polish-speaking listener has joined') =>
    api.http.post(`/api/translation-requests/${id}/cancel`).set(bearer(who.token)).send({ reason });
  const listRequests = (who: Staffer, query: string) =>
    api.http.get(`/api/translation-requests?${query}`).set(bearer(who.token));
  const backlog = (who: Staffer, establishment: string) =>
    api.http.get(`/api/backlog/translation?establishment=${establishment}`).set(bearer(who.token));

  /** One requester and one approver, reused for every authorisation of a test. */
  const authorisers = async (s: Scenario) => {
    const [requester, approver] = await Promise.all([
      s.staff(['SECURITY_MANAGER']),
      s.staff(['HEAD_OF_OMU']),
    ]);
    return { requester, approver };
  };

  it('holds a Polish call until a Polish speaker joins, then gives it only to them', async () => {
    const s = await Scenario.create(api);
    const prisoner = await s.prisoner({ languages: ['pl'] });
    await s.authorise(prisoner);
    const english = await s.staff(['LISTENER'], { trainings: ALL_TRAININGS });
    await s.ingestAndTriage([s.call(prisoner, { language: 'pl' })]);

    const [row] = await s.callsOf(prisoner);
    expect(row.status).toBe('AWAITING_TRANSLATION');
    await s.claim(english).expect(204);

    // The administrator gives the establishment a Polish-speaking listener (PUT /api/staff).
    const polish = await s.staff(['LISTENER'], { trainings: ALL_TRAININGS, languages: ['pl'] });
    expect((await callRow(row.id)).status).toBe('PENDING');
    await s.claim(english).expect(204);
    const got = await s.claim(polish).expect(200);
    expect(got.body.call).toMatchObject({ id: row.id, language: 'pl', status: 'CLAIMED' });
  });

  it('gives a Polish speaker the Polish call before English calls of the same tier, never before a more urgent tier', async () => {
    const s = await Scenario.create(api);
    // A listener here may hold several calls at once, so that successive claims show the order.
    await s.settings({ maxClaimsPerListener: 10 });
    const people = await authorisers(s);
    const bilingual = await s.staff(['LISTENER'], { trainings: ALL_TRAININGS, languages: ['pl'] });
    const englishOnly = await s.staff(['LISTENER'], { trainings: ALL_TRAININGS });
    const english = await s.prisoner();
    const polish = await s.prisoner({ languages: ['pl'] });
    const level3 = await s.prisoner({ alertCodes: ['P88'] });
    for (const p of [english, polish, level3]) await s.authorise(p, {}, people);
    const twoHoursAgo = hoursAgo(2);
    await s.ingestAndTriage([
      s.call(english, { startedAt: hoursAgo(5) }),
      s.call(english, { startedAt: twoHoursAgo }),
      s.call(polish, { language: 'pl', startedAt: twoHoursAgo }),
      s.call(level3, { startedAt: hoursAgo(1) }),
    ]);
    const [olderEnglish, sameTimeEnglish] = await s.callsOf(english);
    const [polishCall] = await s.callsOf(polish);
    const [urgent] = await s.callsOf(level3);
    const tiers = [olderEnglish, sameTimeEnglish, polishCall].map((c) => c.tier);
    expect(tiers).toEqual(['P3', 'P3', 'P3']);
    expect(urgent.tier).toBe('P1');
    // Equally due: the same start, tier and credits.
    expect((await callRow(polishCall.id)).effectiveDueAt).toEqual(
      (await callRow(sameTimeEnglish.id)).effectiveDueAt,
    );

    // An English-only listener gets the most urgent English call of the tier they reach.
    const colleagues = await s.claim(englishOnly).expect(200);
    expect(colleagues.body.call.id).toBe(urgent.id);

    // The Polish speaker gets the Polish call ahead of both English P3 calls, even the older one.
    const first = await s.claim(bilingual).expect(200);
    expect(first.body.call).toMatchObject({ id: polishCall.id, language: 'pl', tier: 'P3' });
    const second = await s.claim(bilingual).expect(200);
    expect(second.body.call.id).toBe(olderEnglish.id);
    const third = await s.claim(bilingual).expect(200);
    expect(third.body.call.id).toBe(sameTimeEnglish.id);
  });

  it('lets a bilingual listener take a more urgent English call before a Polish one', async () => {
    const s = await Scenario.create(api);
    // A listener here may hold several calls at once, so that successive claims show the order.
    await s.settings({ maxClaimsPerListener: 10 });
    const people = await authorisers(s);
    const bilingual = await s.staff(['LISTENER'], { trainings: ALL_TRAININGS, languages: ['pl'] });
    const polish = await s.prisoner({ languages: ['pl'] });
    const level3 = await s.prisoner({ alertCodes: ['P88'] });
    for (const p of [polish, level3]) await s.authorise(p, {}, people);
    await s.ingestAndTriage([
      s.call(polish, { language: 'pl', startedAt: hoursAgo(50) }),
      s.call(level3, { startedAt: hoursAgo(1) }),
    ]);
    const [urgent] = await s.callsOf(level3);
    const [polishCall] = await s.callsOf(polish);

    expect((await s.claim(bilingual).expect(200)).body.call).toMatchObject({
      id: urgent.id,
      tier: 'P1',
    });
    expect((await s.claim(bilingual).expect(200)).body.call.id).toBe(polishCall.id);
  });

  it('translates a Polish call nobody here speaks: requested, sent, translated, then queued in English with its original due time', async () => {
    const s = await Scenario.create(api);
    const people = await authorisers(s);
    const head = people.approver;
    const prisoner = await s.prisoner({ languages: ['pl'] });
    await s.authorise(prisoner, {}, people);
    const english = await s.staff(['LISTENER'], { trainings: ALL_TRAININGS });
    const startedAt = hoursAgo(30);
    await s.ingestAndTriage([
      s.call(prisoner, { language: 'pl', startedAt, durationSeconds: 611 }),
    ]);
    const [row] = await s.callsOf(prisoner);
    const before = await callRow(row.id);
    expect(before).toMatchObject({ status: 'AWAITING_TRANSLATION', language: 'pl', tier: 'P3' });
    expect(before.dueAt).not.toBeNull();
    const shown = await api.http.get(`/api/calls/${row.id}`).set(bearer(english.token)).expect(200);
    expect(shown.body).toMatchObject({ status: 'AWAITING_TRANSLATION', translation: null });

    // A listener who cannot hear it asks for a translation; a second request is refused.
    const requested = await requestTranslation(english, row.id).expect(201);
    const request = requested.body as TranslationRequestBody;
    expect(request).toMatchObject({
      callId: row.id,
      establishmentCode: s.establishment,
      prisonNumber: prisoner,
      language: 'pl',
      status: 'REQUESTED',
      requestedBy: english.username,
      sentAt: null,
    });
    const again = await requestTranslation(head, row.id).expect(409);
    expect(again.body.message).toContain('REQUESTED');

    // The list to send to the interpreting service.
    const list = await listRequests(
      head,
      `establishment=${s.establishment}&status=REQUESTED`,
    ).expect(200);
    expect(list.body.total).toBe(1);
    expect(list.body.items[0]).toMatchObject({
      id: request.id,
      callId: row.id,
      prisonNumber: prisoner,
      language: 'pl',
      startedAt,
      durationSeconds: 611,
      tier: 'P3',
      dueAt: before.dueAt!.toISOString(),
      recordingRef: 'rec/sample.ogg',
      callStatus: 'AWAITING_TRANSLATION',
      status: 'REQUESTED',
    });
    await listRequests(head, `establishment=${s.establishment}&language=pl`).expect(200);
    expect(
      (await listRequests(head, `establishment=${s.establishment}&language=ur`).expect(200)).body
        .total,
    ).toBe(0);

    const sent = await markSent(head, request.id).expect(200);
    expect(sent.body).toMatchObject({ status: 'SENT', sentBy: head.username });
    expect(sent.body.sentAt).toEqual(expect.any(String));
    await markSent(head, request.id).expect(409);
    // Still waiting: no English-only listener may hear it yet.
    await s.claim(english).expect(204);

    const done = await complete(head, request.id, {
      translator: '  Jan Kowalski (Interpreting Services, ref 4471) ',
      translatedSummary: SUMMARY,
    }).expect(200);
    expect(done.body).toMatchObject({
      status: 'TRANSLATED',
      translator: 'Jan Kowalski (Interpreting Services, ref 4471)',
      translatedSummary: SUMMARY,
      recordingRef: null,
      call: {
        id: row.id,
        status: 'PENDING',
        language: 'en',
        originalLanguage: 'pl',
        tier: 'P3',
        dueAt: before.dueAt!.toISOString(),
      },
    });

    // Queued with exactly the tier and due times it had while it waited.
    const after = await callRow(row.id);
    expect(after).toEqual({
      ...before,
      status: 'PENDING',
      language: 'en',
      originalLanguage: 'pl',
    });
    await complete(head, request.id, { translator: 'Someone', translatedSummary: SUMMARY }).expect(
      409,
    );
    await cancel(head, request.id).expect(409);

    // An English-only listener now hears it, and the call shows the translation.
    const claimed = await s.claim(english).expect(200);
    expect(claimed.body.call).toMatchObject({ id: row.id, language: 'en', status: 'CLAIMED' });
    const call = await api.http.get(`/api/calls/${row.id}`).set(bearer(english.token)).expect(200);
    expect(call.body).toMatchObject({
      language: 'en',
      dueAt: before.dueAt!.toISOString(),
      translation: {
        translator: 'Jan Kowalski (Interpreting Services, ref 4471)',
        summary: SUMMARY,
        translatedAt: done.body.translatedAt,
        originalLanguage: 'pl',
      },
    });

    const audit = await api.db.query<
      { action: string; username: string; details: Record<string, unknown> }[]
    >(
      `SELECT action, username, details FROM audit_events
       WHERE entity_type = 'call' AND entity_id = $1 AND action LIKE 'TRANSLATION_%' ORDER BY id`,
      [row.id],
    );
    expect(audit.map((a) => [a.action, a.username])).toEqual([
      ['TRANSLATION_REQUESTED', english.username],
      ['TRANSLATION_SENT', head.username],
      ['TRANSLATION_COMPLETED', head.username],
    ]);
    expect(audit.every((a) => a.details.translationRequestId === request.id)).toBe(true);
    const reads = await api.db.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM audit_events
       WHERE action = 'CALL_READ' AND $1 = ANY(subject_ids) AND details->>'via' = 'translation-requests'`,
      [row.id],
    );
    expect(reads[0].n).toBe(2);
  });

  it('cancels the translation request of a call that became privileged, and never sends its recording', async () => {
    const s = await Scenario.create(api);
    const people = await authorisers(s);
    const security = people.requester;
    const prisoner = await s.prisoner({ languages: ['pl'] });
    await s.authorise(prisoner, {}, people);
    const number = randomMobile();
    await s.ingestAndTriage([s.call(prisoner, { language: 'pl', dialledNumber: number })]);
    const [row] = await s.callsOf(prisoner);
    const request = (await requestTranslation(security, row.id).expect(201))
      .body as TranslationRequestBody;
    expect(request.recordingRef).toBe('rec/sample.ogg');

    await s.privilegedNumber(toE164(number), security.token, 'Test Solicitors LLP');

    // The request is withdrawn in the same transaction: no interpreter may hear the call.
    const live = await listRequests(security, `establishment=${s.establishment}`).expect(200);
    expect(live.body.total).toBe(0);
    const cancelledList = await listRequests(
      security,
      `establishment=${s.establishment}&status=CANCELLED`,
    ).expect(200);
    expect(cancelledList.body.items).toHaveLength(1);
    expect(cancelledList.body.items[0]).toMatchObject({
      id: request.id,
      status: 'CANCELLED',
      callStatus: 'EXCLUDED_PRIVILEGED',
      recordingRef: null,
    });
    await markSent(security, request.id).expect(409);
    await complete(security, request.id, { translator: 'X', translatedSummary: SUMMARY }).expect(
      409,
    );
    await cancel(security, request.id).expect(409);
    const audit = await api.db.query<{ username: string; details: Record<string, unknown> }[]>(
      `SELECT username, details FROM audit_events WHERE action = 'TRANSLATION_CANCELLED' AND entity_id = $1`,
      [row.id],
    );
    expect(audit).toEqual([
      {
        username: 'system',
        details: {
          translationRequestId: request.id,
          language: 'pl',
          status: 'CANCELLED',
          reason: 'the call is privileged',
        },
      },
    ]);
  });

  it('gives the translation backlog figures for a fixed instant, field by field', async () => {
    const s = await Scenario.create(api);
    const people = await authorisers(s);
    const head = people.approver;
    const FIXED = new Date(Math.floor(Date.now() / 1000) * 1000);
    const at = (hoursBefore: number) => new Date(FIXED.getTime() - hoursBefore * HOUR);
    const polishPrisoner = await s.prisoner({ languages: ['pl'] });
    const urduPrisoner = await s.prisoner({ languages: ['ur'] });
    const englishPrisoner = await s.prisoner();
    for (const p of [polishPrisoner, urduPrisoner, englishPrisoner])
      await s.authorise(p, {}, people);
    const started = {
      breachedSent: at(200),
      requested: at(100),
      cancelled: at(10),
      urdu: at(180),
      translatedA: at(160),
      translatedB: at(60),
      translatedLongAgo: at(11 * 24),
    };
    await s.ingestAndTriage([
      ...Object.entries(started).map(([key, when]) =>
        key === 'urdu'
          ? s.call(urduPrisoner, { language: 'ur', startedAt: when.toISOString() })
          : s.call(polishPrisoner, {
              language: 'pl',
              startedAt: when.toISOString(),
              externalId: `TR-${key}-${s.establishment}-${Date.now()}`,
            }),
      ),
      s.call(englishPrisoner, { startedAt: at(300).toISOString() }),
    ]);
    // Another establishment's Polish call is not counted.
    const other = await Scenario.create(api);
    const elsewhere = await other.prisoner({ languages: ['pl'] });
    await other.authorise(elsewhere);
    await other.ingestAndTriage([other.call(elsewhere, { language: 'pl' })]);

    const ids = new Map<string, string>();
    for (const r of await api.db.query<{ id: string; externalId: string }[]>(
      `SELECT id, external_id AS "externalId" FROM calls WHERE prison_number = $1`,
      [polishPrisoner],
    )) {
      ids.set(r.externalId.split('-')[1], r.id);
    }
    const [urduCall] = await s.callsOf(urduPrisoner);
    expect(urduCall.status).toBe('AWAITING_TRANSLATION');

    const clock = jest.spyOn(api.app.get(Clock), 'now');
    /** Runs a workflow step as if at `hoursBefore` hours before FIXED. */
    const asOf = async <T>(hoursBefore: number, step: () => Promise<T>): Promise<T> => {
      clock.mockReturnValue(at(hoursBefore));
      return step();
    };
    const requestAt = async (key: string, hoursBefore: number) =>
      (await asOf(hoursBefore, () => requestTranslation(head, ids.get(key)!).expect(201)))
        .body as TranslationRequestBody;
    const translate = (id: string, hoursBefore: number) =>
      asOf(hoursBefore, () =>
        complete(head, id, {
          translator: 'Interpreting Services',
          translatedSummary: SUMMARY,
        }).expect(200),
      );

    const sentRequest = await requestAt('breachedSent', 150);
    await asOf(149, () => markSent(head, sentRequest.id).expect(200));
    await requestAt('requested', 90);
    const cancelledRequest = await requestAt('cancelled', 5);
    await asOf(4, () => cancel(head, cancelledRequest.id).expect(200));
    // Translated 130 h and 34 h before: turnarounds of 20 h and 10 h. One translated 8 days ago
    // (turnaround 48 h) is outside the 7-day window.
    const a = await requestAt('translatedA', 150);
    await asOf(145, () => markSent(head, a.id).expect(200));
    await translate(a.id, 130);
    const b = await requestAt('translatedB', 44);
    await translate(b.id, 34);
    const old = await requestAt('translatedLongAgo', 10 * 24);
    await translate(old.id, 8 * 24);

    clock.mockReturnValue(FIXED);
    const res = await backlog(head, s.establishment).expect(200);
    expect(res.body).toEqual({
      establishmentCode: s.establishment,
      generatedAt: FIXED.toISOString(),
      awaiting: {
        total: 4,
        byLanguage: {
          pl: {
            count: 3,
            oldestStartedAt: started.breachedSent.toISOString(),
            breached: 1,
            requested: 1,
            sent: 1,
          },
          ur: {
            count: 1,
            oldestStartedAt: started.urdu.toISOString(),
            breached: 1,
            requested: 0,
            sent: 0,
          },
        },
      },
      translatedLast7Days: 2,
      meanTurnaroundHours: 15,
    });

    // The other establishment: its own Polish call, nothing translated, so no mean to report.
    await backlog(head, other.establishment).expect(403);
    const otherHead = await other.staff(['HEAD_OF_OMU']);
    const otherFigures = await backlog(otherHead, other.establishment).expect(200);
    expect(otherFigures.body).toMatchObject({
      awaiting: { total: 1, byLanguage: { pl: { count: 1, requested: 0, sent: 0, breached: 0 } } },
      translatedLast7Days: 0,
      meanTurnaroundHours: null,
    });
  });

  it('validates input, refuses calls not awaiting translation, and keeps roles and establishments apart', async () => {
    const s = await Scenario.create(api);
    const people = await authorisers(s);
    const { requester: security, approver: head } = people;
    const prisoner = await s.prisoner({ languages: ['pl'] });
    const englishPrisoner = await s.prisoner();
    await s.authorise(prisoner, {}, people);
    await s.authorise(englishPrisoner, {}, people);
    await s.ingestAndTriage([s.call(prisoner, { language: 'pl' }), s.call(englishPrisoner)]);
    const [polishCall] = await s.callsOf(prisoner);
    const [englishCall] = await s.callsOf(englishPrisoner);
    const [listener, pom] = await Promise.all([s.staff(['LISTENER']), s.staff(['POM'])]);
    const other = await Scenario.create(api);
    const [outsiderHead, outsiderListener] = await Promise.all([
      other.staff(['HEAD_OF_OMU']),
      other.staff(['LISTENER']),
    ]);

    // Only a call awaiting translation; unknown calls are not found.
    const notAwaiting = await requestTranslation(head, englishCall.id).expect(409);
    expect(notAwaiting.body.message).toContain('PENDING');
    await requestTranslation(head, '00000000-0000-4000-8000-000000000000').expect(404);

    // Roles and establishments.
    await requestTranslation(pom, polishCall.id).expect(403);
    await requestTranslation(outsiderHead, polishCall.id).expect(403);
    await requestTranslation(outsiderListener, polishCall.id).expect(403);
    const request = (await requestTranslation(listener, polishCall.id).expect(201))
      .body as TranslationRequestBody;
    await listRequests(listener, `establishment=${s.establishment}`).expect(403);
    await listRequests(pom, '').expect(403);
    await listRequests(outsiderHead, `establishment=${s.establishment}`).expect(403);
    expect((await listRequests(outsiderHead, '').expect(200)).body.total).toBe(0);
    expect((await listRequests(security, '').expect(200)).body.items).toEqual([
      expect.objectContaining({ id: request.id }),
    ]);
    await markSent(listener, request.id).expect(403);
    await markSent(outsiderHead, request.id).expect(403);
    await complete(listener, request.id, { translator: 'X', translatedSummary: SUMMARY }).expect(
      403,
    );
    await complete(outsiderHead, request.id, {
      translator: 'X',
      translatedSummary: SUMMARY,
    }).expect(403);
    await cancel(outsiderHead, request.id).expect(403);
    await cancel(listener, request.id).expect(403);
    await backlog(listener, s.establishment).expect(403);
    await backlog(pom, s.establishment).expect(403);
    await backlog(outsiderHead, s.establishment).expect(403);
    await markSent(head, '00000000-0000-4000-8000-000000000000').expect(404);

    // Validation names the field; nothing is written.
    const short = await complete(head, request.id, {
      translator: 'Interpreting Services',
      translatedSummary: 'Talked about a visit.',
    }).expect(400);
    expect(short.body.details).toEqual([
      {
        field: 'translatedSummary',
        message: 'translatedSummary must say what was said (at least 40 characters)',
      },
    ]);
    const noTranslator = await complete(head, request.id, {
      translator: '   ',
      translatedSummary: SUMMARY,
    }).expect(400);
    expect(noTranslator.body.details.map((d: { field: string }) => d.field)).toEqual([
      'translator',
    ]);
    const extra = await complete(head, request.id, {
      translator: 'Interpreting Services',
      translatedSummary: SUMMARY,
      language: 'en',
    }).expect(400);
    expect(extra.body.details.map((d: { field: string }) => d.field)).toEqual(['language']);
    const badStatus = await listRequests(head, 'status=DONE').expect(400);
    expect(badStatus.body.details[0].field).toBe('status');
    const badBacklog = await api.http
      .get('/api/backlog/translation')
      .set(bearer(head.token))
      .expect(400);
    expect(badBacklog.body.details[0].field).toBe('establishment');
    await backlog(head, 'ZZ9').expect(400);
    expect((await callRow(polishCall.id)).status).toBe('AWAITING_TRANSLATION');
    expect(
      (await listRequests(head, `establishment=${s.establishment}`).expect(200)).body.items[0],
    ).toMatchObject({ id: request.id, status: 'REQUESTED', translator: null });
  });
});
