import { TriageService } from '../../src/triage/triage.service';
import { bearer, ErrorBody, startApi, TestApi } from '../support/api';
import { randomMobile, randomPrisonNumber, Scenario, toE164 } from '../support/scenario';

interface IngestBody {
  batchId: string;
  accepted: number;
  duplicates: number;
  rejected: { index: number; externalId: string | null; errors: string[] }[];
}

describe('POST /api/calls/batch', () => {
  let api: TestApi;
  const runPrefix = process.env.QUEUE_PREFIX;

  beforeAll(async () => {
    // Triage jobs of this suite go to a queue of their own, so that a worker another suite runs on
    // the shared queue cannot triage these batches before the assertions look at them.
    process.env.QUEUE_PREFIX = `${process.env.QUEUE_PREFIX}:ingest-spec`;
    api = await startApi();
  });

  afterAll(async () => {
    await api.close();
    process.env.QUEUE_PREFIX = runPrefix;
  });

  const storedCount = async (externalIds: string[]): Promise<number> => {
    const rows: { n: number }[] = await api.db.query(
      `SELECT count(*)::int AS n FROM calls WHERE external_id = ANY($1)`,
      [externalIds],
    );
    return rows[0].n;
  };

  it('stores one row per externalId when the same batch of 200 is posted three times at once', async () => {
    const s = await Scenario.create(api);
    const prisoners = await Promise.all([s.prisoner(), s.prisoner()]);
    const calls = Array.from({ length: 200 }, (_, i) => s.call(prisoners[i % 2]));
    const ids = calls.map((c) => c.externalId as string);

    const responses = await Promise.all(
      Array.from({ length: 3 }, () =>
        api.http.post('/api/calls/batch').set(bearer(s.ingestToken)).send({ calls }),
      ),
    );

    expect(responses.map((r) => r.status)).toEqual([202, 202, 202]);
    const bodies = responses.map((r) => r.body as IngestBody);
    expect(bodies.reduce((n, b) => n + b.accepted, 0)).toBe(200);
    expect(bodies.reduce((n, b) => n + b.duplicates, 0)).toBe(400);
    for (const b of bodies) {
      expect(b.accepted + b.duplicates).toBe(200);
      expect(b.rejected).toEqual([]);
    }
    const rows: { externalId: string; n: number }[] = await api.db.query(
      `SELECT external_id AS "externalId", count(*)::int AS n FROM calls
        WHERE external_id = ANY($1) GROUP BY external_id`,
      [ids],
    );
    expect(rows).toHaveLength(200);
    expect(rows.every((r) => r.n === 1)).toBe(true);
    expect(new Set(rows.map((r) => r.externalId))).toEqual(new Set(ids));

    // A repeat (within one batch, or of a stored call with other content) is a duplicate and
    // changes nothing.
    const fresh = s.call(prisoners[0]);
    const durationOf = async (externalId: unknown) =>
      (
        await api.db.query<{ d: number }[]>(
          `SELECT duration_seconds AS d FROM calls WHERE external_id = $1`,
          [externalId],
        )
      ).map((r) => r.d);
    const before = await durationOf(calls[0].externalId);
    const again = await s.ingest([
      fresh,
      fresh,
      { ...calls[0], durationSeconds: (calls[0].durationSeconds as number) + 1 },
    ]);
    expect(again).toMatchObject({ accepted: 1, duplicates: 2, rejected: [] });
    expect(await durationOf(calls[0].externalId)).toEqual(before);
    expect(await storedCount([...ids, fresh.externalId as string])).toBe(201);
  });

  it('stores the valid records of a batch and reports each invalid one by index, naming the field', async () => {
    const s = await Scenario.create(api);
    const prisoner = await s.prisoner();
    const unknownPrisoner = randomPrisonNumber();
    const withoutStartedAt = s.call(prisoner);
    delete withoutStartedAt.startedAt;
    const batch: { record: Record<string, unknown>; field: RegExp | null }[] = [
      { record: s.call(prisoner), field: null },
      // Rejected only after the prisoner lookup, so it must still be reported in index order.
      {
        record: s.call(unknownPrisoner),
        field: new RegExp(`prisoner.*${unknownPrisoner}`, 'i'),
      },
      { record: s.call(prisoner, { prisonNumber: 'A12BC' }), field: /^prisonNumber: / },
      { record: withoutStartedAt, field: /^startedAt: / },
      {
        record: s.call(prisoner, { startedAt: new Date(Date.now() + 86_400_000).toISOString() }),
        field: /^startedAt: .*future/,
      },
      { record: s.call(prisoner, { durationSeconds: -5 }), field: /^durationSeconds: / },
      { record: s.call(prisoner, { colour: 'blue' }), field: /^colour: .*not an allowed/ },
      { record: s.call(prisoner, { channel: 'FAX' }), field: /^channel: / },
      { record: s.call(prisoner, { dialledNumber: 'hello' }), field: /^dialledNumber: / },
      { record: s.call(prisoner), field: null },
    ];
    const calls = batch.map((b) => b.record);

    const body = await s.ingest(calls);

    const validIds = batch.filter((b) => !b.field).map((b) => b.record.externalId as string);
    const invalid = batch
      .map((b, index) => ({ ...b, index }))
      .filter((b): b is typeof b & { field: RegExp } => b.field !== null);
    expect(body.accepted).toBe(validIds.length);
    expect(body.duplicates).toBe(0);
    expect(body.rejected.map((r) => (r as { index: number }).index)).toEqual(
      invalid.map((b) => b.index),
    );
    const rejected = body.rejected as IngestBody['rejected'];
    for (const [i, expected] of invalid.entries()) {
      expect(rejected[i].externalId).toBe(expected.record.externalId);
      expect(rejected[i].errors).toHaveLength(1);
      expect(rejected[i].errors[0]).toMatch(expected.field);
    }
    const stored: { externalId: string; status: string }[] = await api.db.query(
      `SELECT external_id AS "externalId", status FROM calls WHERE external_id = ANY($1) ORDER BY external_id`,
      [calls.map((c) => c.externalId)],
    );
    expect(stored.map((r) => r.externalId)).toEqual([...validIds].sort());
    expect(stored.every((r) => r.status === 'RECEIVED')).toBe(true);
  });

  it('rejects a body that is not a batch with 400, naming the field, and stores nothing', async () => {
    const s = await Scenario.create(api);
    const prisoner = await s.prisoner();
    const tooMany = Array.from({ length: 5001 }, () => s.call(prisoner));
    const single = s.call(prisoner);
    const cases: { what: string; body: unknown; field: string }[] = [
      { what: 'not an object', body: [single], field: 'calls' },
      { what: 'calls not an array', body: { calls: single }, field: 'calls' },
      { what: 'calls empty', body: { calls: [] }, field: 'calls' },
      { what: 'more than 5,000 calls', body: { calls: tooMany }, field: 'calls' },
      { what: 'an extra top-level property', body: { calls: [single], extra: 1 }, field: 'extra' },
    ];

    for (const c of cases) {
      const res = await api.http
        .post('/api/calls/batch')
        .set(bearer(s.ingestToken))
        .set('x-correlation-id', `malformed-${cases.indexOf(c)}`)
        .send(c.body as object);
      expect({ what: c.what, status: res.status }).toEqual({ what: c.what, status: 400 });
      const body = res.body as ErrorBody;
      expect(body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message: expect.any(String),
        details: expect.arrayContaining([{ field: c.field, message: expect.any(String) }]),
        correlationId: `malformed-${cases.indexOf(c)}`,
      });
    }

    const raw = await api.http
      .post('/api/calls/batch')
      .set(bearer(s.ingestToken))
      .set('Content-Type', 'application/json')
      .send(`{"calls": [${JSON.stringify(single)},`);
    expect(raw.status).toBe(400);
    expect(raw.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: expect.stringMatching(/JSON/),
      details: [{ field: 'body', message: expect.stringMatching(/JSON/) }],
      correlationId: raw.headers['x-correlation-id'],
    });

    expect(await storedCount([single, ...tooMany].map((c) => c.externalId as string))).toBe(0);
  });

  it('stores dialled numbers given in national and international form in E.164', async () => {
    const s = await Scenario.create(api);
    const prisoner = await s.prisoner();
    const national = randomMobile();
    const spaced = `${national.slice(0, 5)} ${national.slice(5)}`;
    const international = randomMobile();
    const intlSpaced = `+44 ${international.slice(1, 5)} ${international.slice(5)}`;
    const zeroZero = randomMobile();
    const calls = [
      s.call(prisoner, { dialledNumber: spaced }),
      s.call(prisoner, { dialledNumber: intlSpaced }),
      s.call(prisoner, { dialledNumber: `0044${zeroZero.slice(1)}` }),
    ];
    const expected = [toE164(national), toE164(international), toE164(zeroZero)];

    const result = await s.ingest(calls);
    expect(result.accepted).toBe(3);

    const rows = await s.callsOf(prisoner);
    const byExternalId = new Map(rows.map((r) => [r.externalId, r.id]));
    for (const [i, call] of calls.entries()) {
      const res = await api.http
        .get(`/api/calls/${byExternalId.get(call.externalId as string)}`)
        .set(bearer(s.adminToken))
        .expect(200);
      expect(res.body.dialledNumber).toBe(expected[i]);
      expect(res.body.dialledNumber).toMatch(/^\+447911\d{6}$/);
    }
  });

  it('lets INGEST and ADMIN post; a LISTENER gets 403 and no token 401', async () => {
    const s = await Scenario.create(api);
    const prisoner = await s.prisoner();
    const listener = await s.staff(['LISTENER']);
    const byIngest = s.call(prisoner);
    const byAdmin = s.call(prisoner);
    const byListener = s.call(prisoner);
    const anonymous = s.call(prisoner);

    const ingest = await api.http
      .post('/api/calls/batch')
      .set(bearer(s.ingestToken))
      .send({ calls: [byIngest] });
    const admin = await api.http
      .post('/api/calls/batch')
      .set(bearer(s.adminToken))
      .send({ calls: [byAdmin] });
    const forbidden = await api.http
      .post('/api/calls/batch')
      .set(bearer(listener.token))
      .send({ calls: [byListener] });
    const unauthenticated = await api.http.post('/api/calls/batch').send({ calls: [anonymous] });

    expect(ingest.status).toBe(202);
    expect(ingest.body.accepted).toBe(1);
    expect(admin.status).toBe(202);
    expect(admin.body.accepted).toBe(1);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.statusCode).toBe(403);
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.body.statusCode).toBe(401);
    expect(await storedCount([byIngest.externalId as string, byAdmin.externalId as string])).toBe(
      2,
    );
    expect(
      await storedCount([byListener.externalId as string, anonymous.externalId as string]),
    ).toBe(0);
  });

  it('stores calls as RECEIVED; triage moves them once and a second run changes nothing', async () => {
    const s = await Scenario.create(api);
    const monitored = await s.prisoner();
    const unmonitored = await s.prisoner();
    await s.authorise(monitored);
    const calls = [
      s.call(monitored),
      s.call(monitored),
      s.call(monitored),
      s.call(unmonitored),
      s.call(unmonitored),
    ];
    const { batchId, accepted } = await s.ingest(calls);
    expect(accepted).toBe(calls.length);

    const snapshot = (): Promise<Record<string, unknown>[]> =>
      api.db.query(`SELECT * FROM calls WHERE batch_id = $1 ORDER BY id`, [batchId]);
    const received = await snapshot();
    expect(received).toHaveLength(calls.length);
    expect(received.every((r) => r.status === 'RECEIVED')).toBe(true);

    const triage = api.app.get(TriageService);
    await triage.triageBatch(batchId);
    const once = await snapshot();
    const statuses = new Map(once.map((r) => [r.external_id, r.status]));
    for (const c of calls) {
      expect(statuses.get(c.externalId)).toBe(
        c.prisonNumber === monitored ? 'PENDING' : 'NOT_MONITORED',
      );
    }

    expect(await triage.triageBatch(batchId)).toBe(0);
    expect(await snapshot()).toEqual(once);
    const runs: { n: number }[] = await api.db.query(
      `SELECT coalesce(sum(calls_triaged), 0)::int AS n FROM triage_runs WHERE batch_id = $1`,
      [batchId],
    );
    expect(runs[0].n).toBe(calls.length);
  });
});
