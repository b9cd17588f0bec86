import { Client } from 'pg';
import { randomUUID } from 'node:crypto';
import { addDays, Clock } from '../../src/common/clock';
import { WorkingCalendar } from '../../src/common/working-days';
import { RetentionService } from '../../src/retention/retention.service';
import { bearer, startApi, TestApi } from '../support/api';
import { Scenario, Staffer } from '../support/scenario';

const ALL_TRAININGS = ['PUBLIC_PROTECTION', 'DOMESTIC_ABUSE', 'CHILD_SAFEGUARDING'];
/** The fixed "now" of every test here (whole seconds, so timestamps compare exactly). */
const FIXED = new Date(Math.floor(Date.now() / 1000) * 1000);
const daysBefore = (days: number, from = FIXED) => addDays(from, -days).toISOString();

interface Hold {
  id: string;
  callId: string;
  justification: string;
  reviewAt: string;
  createdBy: string;
  createdAt: string;
}

interface HoldListItem extends Hold {
  establishmentCode: string;
  prisonNumber: string;
  startedAt: string;
  reviewOverdue: boolean;
}

interface AuditItem {
  username: string;
  action: string;
  entityType: string;
  entityId: string;
  establishmentCode: string | null;
  details: Record<string, unknown>;
}

interface ErrorBody {
  statusCode: number;
  details: { field: string; message: string }[];
}

type CallRow = Record<string, unknown> & { id: string };

/** A database session of the test's own, outside the api's pool. */
async function ownSession(): Promise<Client> {
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  return client;
}

describe('retention', () => {
  let api: TestApi;
  let now = FIXED;

  beforeAll(async () => {
    api = await startApi();
  });

  beforeEach(() => {
    now = FIXED;
    jest.spyOn(api.app.get(Clock), 'now').mockImplementation(() => new Date(now.getTime()));
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  afterAll(async () => {
    await api.close();
  });

  const justification = 'Evidence for the open escalation about threats to a former partner.';
  /** A calendar date (London) some days after the current test clock. */
  const dateIn = (days: number) => WorkingCalendar.londonDate(addDays(now, days));

  /**
   * Sweeps this test's establishments only: other spec files share the database, and their calls
   * must not be purged (or counted) by this one.
   */
  const sweep = (establishments: string[], batchSize?: number) =>
    api.app.get(RetentionService).sweep({ establishments, batchSize });

  const placeHold = (who: Staffer, callId: string, body: Record<string, unknown> = {}) =>
    api.http
      .post(`/api/calls/${callId}/holds`)
      .set(bearer(who.token))
      .send({ justification, reviewAt: dateIn(30), ...body });

  const releaseHold = (
    who: Staffer,
    holdId: string,
    reason = 'Escalation closed; no longer needed',
  ) => api.http.post(`/api/holds/${holdId}/release`).set(bearer(who.token)).send({ reason });

  const rows = async (ids: string[]): Promise<Map<string, CallRow>> => {
    const found: CallRow[] = await api.db.query(`SELECT * FROM calls WHERE id = ANY($1)`, [ids]);
    return new Map(found.map((r) => [r.id, r]));
  };

  const idOf = async (s: Scenario, prisoner: string, externalId: unknown) =>
    (await s.callsOf(prisoner)).find((c) => c.externalId === externalId)!.id;

  const auditOf = async (auditor: Staffer, entityType: string, entityId: string) =>
    (
      await api.http
        .get('/api/audit')
        .query({ entityType, entityId, limit: 500 })
        .set(bearer(auditor.token))
        .expect(200)
    ).body.items as AuditItem[];

  const holds = async (who: Staffer, query: Record<string, unknown>) =>
    (await api.http.get('/api/holds').query(query).set(bearer(who.token)).expect(200)).body as {
      items: HoldListItem[];
      total: number;
    };

  it('a held call survives the retention sweep and an unheld one is purged', async () => {
    const s = await Scenario.create(api);
    // The listener holds two calls at once here, as the sweep must leave both alone.
    await s.settings({ maxClaimsPerListener: 10 });
    const [security, listener] = await Promise.all([
      s.staff(['SECURITY_MANAGER']),
      s.staff(['LISTENER'], { trainings: ALL_TRAININGS }),
    ]);
    const monitored = await s.prisoner();
    const unmonitored = await s.prisoner();
    await s.authorise(monitored, { startsAt: daysBefore(200) });

    const records = {
      held: s.call(monitored, { startedAt: daysBefore(100) }),
      loggedOld: s.call(monitored, { startedAt: daysBefore(99) }),
      claimedOld: s.call(monitored, { startedAt: daysBefore(97) }),
      pendingOld: s.call(monitored, {
        startedAt: daysBefore(95),
        transcript: 'See you Saturday, bring the forms.',
      }),
      unmonitoredOld: s.call(unmonitored, { startedAt: daysBefore(95) }),
      recent: s.call(monitored, { startedAt: daysBefore(10) }),
    };
    await s.ingestAndTriage(Object.values(records));
    const id = Object.fromEntries(
      await Promise.all(
        Object.entries(records).map(async ([name, r]) => [
          name,
          await idOf(s, name === 'unmonitoredOld' ? unmonitored : monitored, r.externalId),
        ]),
      ),
    ) as Record<keyof typeof records, string>;
    const statusesBefore = await rows(Object.values(id));
    expect(
      Object.fromEntries(Object.entries(id).map(([k, v]) => [k, statusesBefore.get(v)!.status])),
    ).toEqual({
      held: 'PENDING',
      loggedOld: 'PENDING',
      claimedOld: 'PENDING',
      pendingOld: 'PENDING',
      unmonitoredOld: 'NOT_MONITORED',
      recent: 'PENDING',
    });

    // A security manager holds the oldest call as evidence.
    const placed = await placeHold(security, id.held).expect(201);
    const hold = placed.body as Hold;
    expect(hold).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      callId: id.held,
      justification,
      reviewAt: dateIn(30),
      createdBy: security.username,
      createdAt: expect.any(String),
    });

    // Listening goes on meanwhile: the held call is claimed, one old call is logged, another claimed.
    const claim = async () =>
      (await s.claim(listener).expect(200)).body as {
        call: { id: string };
        claim: { token: string };
      };
    const first = await claim();
    expect(first.call.id).toBe(id.held);
    const second = await claim();
    expect(second.call.id).toBe(id.loggedOld);
    const logged = await api.http
      .post(`/api/calls/${id.loggedOld}/log`)
      .set(bearer(listener.token))
      .send({
        token: second.claim.token,
        contact: { relationship: 'FRIEND', confidence: 'PROBABLE' },
        themes: [{ code: 'RELEASE_PLANNING' }],
        concernLevel: 'LOW',
        summary: 'Talked with a friend about housing on release and a visit next month.',
        recordingQuality: 'GOOD',
      })
      .expect(201);
    const logId = (logged.body as { log: { id: string } }).log.id;
    const third = await claim();
    expect(third.call.id).toBe(id.claimedOld);

    const transcriptOf = async (callId: string) =>
      (
        await api.db.query<{ transcript: unknown }[]>(
          `SELECT transcript FROM calls WHERE id = $1`,
          [callId],
        )
      )[0].transcript;
    expect(await transcriptOf(id.pendingOld)).not.toBeNull();
    const before = await rows(Object.values(id));
    expect(await sweep([s.establishment])).toEqual({ purged: 4 });
    // Content goes with the recording: the transcript of a purged call is removed too.
    expect(await transcriptOf(id.pendingOld)).toBeNull();
    const after = await rows(Object.values(id));

    // The held call and the recent one are untouched, column by column (the claim on the held call too).
    expect(after.get(id.held)).toEqual(before.get(id.held));
    expect(after.get(id.held)).toMatchObject({
      status: 'CLAIMED',
      recording_ref: 'rec/sample.ogg',
      claimed_by: listener.username,
      purged_at: null,
    });
    expect(after.get(id.recent)).toEqual(before.get(id.recent));
    expect(after.get(id.recent)).toMatchObject({
      status: 'PENDING',
      recording_ref: 'rec/sample.ogg',
    });

    // The others are purged: recording reference and claim gone, metadata kept for reconciliation.
    for (const name of ['loggedOld', 'claimedOld', 'pendingOld', 'unmonitoredOld'] as const) {
      const was = before.get(id[name])!;
      expect(was.recording_ref).toBe('rec/sample.ogg');
      expect(after.get(id[name])).toEqual({
        ...was,
        status: 'PURGED',
        recording_ref: null,
        transcript: null,
        purged_at: FIXED,
        claimed_by: null,
        claim_token: null,
        claimed_at: null,
        claim_expires_at: null,
        updated_at: expect.any(Date),
      });
    }
    const pendingOld = after.get(id.pendingOld)!;
    expect(pendingOld).toMatchObject({
      prison_number: monitored,
      dialled_number: before.get(id.pendingOld)!.dialled_number,
      started_at: new Date(daysBefore(95)),
      duration_seconds: 420,
      // Made 95 days ago, it waited past twice the P3 SLA and climbed to P2 (ageing).
      tier: 'P2',
    });
    expect(pendingOld.due_at).toBeInstanceOf(Date);
    expect((pendingOld.priority_reasons as string[]).length).toBeGreaterThan(0);

    // Through the API: PURGED, no recording, and the recording is refused.
    const call = await api.http
      .get(`/api/calls/${id.pendingOld}`)
      .set(bearer(security.token))
      .expect(200);
    expect(call.body).toMatchObject({
      id: id.pendingOld,
      status: 'PURGED',
      hasRecording: false,
      claim: null,
      tier: 'P2',
      prisonNumber: monitored,
    });
    await api.http
      .get(`/api/calls/${id.pendingOld}/recording`)
      .set(bearer(security.token))
      .expect(403);
    await api.http.get(`/api/calls/${id.held}/recording`).set(bearer(security.token)).expect(200);

    // The monitoring log of a purged call is the prison's record: it stays.
    const logs: { id: string }[] = await api.db.query(
      `SELECT id FROM monitoring_logs WHERE call_id = $1`,
      [id.loggedOld],
    );
    expect(logs.map((l) => l.id)).toEqual([logId]);
    const loggedCall = await api.http
      .get(`/api/calls/${id.loggedOld}`)
      .set(bearer(security.token))
      .expect(200);
    expect(loggedCall.body).toMatchObject({
      status: 'PURGED',
      hasRecording: false,
      log: { id: logId },
    });

    // The purged claim is gone from under its listener; the queue holds only the recent call.
    await api.http
      .post(`/api/calls/${id.claimedOld}/claim/extend`)
      .set(bearer(listener.token))
      .send({ token: third.claim.token })
      .expect(409);
    const queue = await api.http
      .get('/api/queue')
      .query({ establishment: s.establishment })
      .set(bearer(security.token))
      .expect(200);
    expect((queue.body as { items: { id: string }[] }).items.map((c) => c.id)).toEqual([id.recent]);
    expect((await claim()).call.id).toBe(id.recent);
    await s.claim(listener).expect(204);

    // Audited: the hold, each purge (by the system) and a summary for the establishment.
    expect(await auditOf(security, 'call', id.held)).toContainEqual(
      expect.objectContaining({
        username: security.username,
        action: 'CALL_HOLD_PLACED',
        establishmentCode: s.establishment,
        details: expect.objectContaining({ holdId: hold.id, justification, reviewAt: dateIn(30) }),
      }),
    );
    expect((await auditOf(security, 'call', id.held)).map((a) => a.action)).not.toContain(
      'CALL_PURGED',
    );
    const previous = {
      loggedOld: 'LOGGED',
      claimedOld: 'CLAIMED',
      pendingOld: 'PENDING',
      unmonitoredOld: 'NOT_MONITORED',
    } as const;
    for (const [name, status] of Object.entries(previous)) {
      const purges = (await auditOf(security, 'call', id[name as keyof typeof previous])).filter(
        (a) => a.action === 'CALL_PURGED',
      );
      expect(purges).toEqual([
        expect.objectContaining({
          username: 'system',
          entityType: 'call',
          establishmentCode: s.establishment,
          details: expect.objectContaining({
            previousStatus: status,
            hadRecording: true,
            cutoff: expect.any(String),
          }),
        }),
      ]);
    }
    const summaries = (await auditOf(security, 'establishment', s.establishment)).filter(
      (a) => a.action === 'RETENTION_SWEEP',
    );
    expect(summaries).toEqual([
      expect.objectContaining({
        username: 'system',
        details: { purged: 4, cutoff: daysBefore(90), retentionDays: 90 },
      }),
    ]);

    // Idempotent: a second sweep purges nothing more and changes nothing.
    const settled = await rows(Object.values(id));
    expect(await sweep([s.establishment])).toEqual({ purged: 0 });
    expect(await rows(Object.values(id))).toEqual(settled);

    // Releasing the hold lets the next sweep purge the call, claim and all.
    const released = await releaseHold(security, hold.id).expect(200);
    expect(released.body).toMatchObject({
      id: hold.id,
      callId: id.held,
      releasedBy: security.username,
      releaseReason: 'Escalation closed; no longer needed',
      releasedAt: expect.any(String),
    });
    expect(await auditOf(security, 'call', id.held)).toContainEqual(
      expect.objectContaining({
        username: security.username,
        action: 'CALL_HOLD_RELEASED',
        details: expect.objectContaining({ holdId: hold.id }),
      }),
    );
    expect(await sweep([s.establishment])).toEqual({ purged: 1 });
    expect((await rows([id.held])).get(id.held)).toMatchObject({
      status: 'PURGED',
      recording_ref: null,
      claimed_by: null,
      claim_token: null,
      purged_at: FIXED,
    });
    expect((await rows([id.recent])).get(id.recent)).toMatchObject({
      recording_ref: 'rec/sample.ogg',
    });
    // Content once purged cannot be held.
    await placeHold(security, id.held).expect(409);
  });

  it('any active hold keeps a call, even past its review date, where it shows as overdue', async () => {
    const s = await Scenario.create(api);
    const [security, head] = await Promise.all([
      s.staff(['SECURITY_MANAGER']),
      s.staff(['HEAD_OF_OMU']),
    ]);
    const prisoner = await s.prisoner();
    const record = s.call(prisoner, { startedAt: daysBefore(60) });
    await s.ingestAndTriage([record]);
    const callId = await idOf(s, prisoner, record.externalId);

    const soon = (await placeHold(security, callId, { reviewAt: dateIn(10) }).expect(201))
      .body as Hold;
    const later = (
      await placeHold(security, callId, {
        reviewAt: dateIn(90),
        justification: 'Needed for the MAPPA level review of this prisoner.',
      }).expect(201)
    ).body as Hold;

    let listed = await holds(head, { establishment: s.establishment });
    expect(listed.total).toBe(2);
    expect(listed.items).toEqual([
      {
        id: soon.id,
        callId,
        establishmentCode: s.establishment,
        prisonNumber: prisoner,
        startedAt: daysBefore(60),
        justification,
        reviewAt: dateIn(10),
        reviewOverdue: false,
        createdBy: security.username,
        createdAt: soon.createdAt,
      },
      expect.objectContaining({ id: later.id, reviewOverdue: false }),
    ]);
    expect(
      (await holds(security, { establishment: s.establishment, reviewOverdue: true })).items,
    ).toEqual([]);

    // Forty days on the call is past retention and the first hold past its review: both holds keep it.
    now = addDays(FIXED, 40);
    expect(await sweep([s.establishment])).toEqual({ purged: 0 });
    expect((await rows([callId])).get(callId)).toMatchObject({
      status: 'NOT_MONITORED',
      recording_ref: 'rec/sample.ogg',
    });
    listed = await holds(security, { establishment: s.establishment, reviewOverdue: 'true' });
    expect(listed).toEqual({
      items: [expect.objectContaining({ id: soon.id, reviewOverdue: true })],
      total: 1,
    });
    expect(
      (await holds(security, { establishment: s.establishment, reviewOverdue: 'false' })).items.map(
        (h) => h.id,
      ),
    ).toEqual([later.id]);

    // Releasing one hold leaves the other keeping the call.
    await releaseHold(security, soon.id).expect(200);
    await releaseHold(security, soon.id).expect(409);
    expect(await sweep([s.establishment])).toEqual({ purged: 0 });
    expect((await holds(head, { establishment: s.establishment })).items.map((h) => h.id)).toEqual([
      later.id,
    ]);

    await releaseHold(security, later.id).expect(200);
    expect(await sweep([s.establishment])).toEqual({ purged: 1 });
    expect((await rows([callId])).get(callId)).toMatchObject({
      status: 'PURGED',
      recording_ref: null,
      purged_at: addDays(FIXED, 40),
    });
    expect(await holds(head, { establishment: s.establishment })).toEqual({ items: [], total: 0 });
  });

  it("follows each establishment's retentionDays, never beyond 90 days, in batches", async () => {
    const short = await Scenario.create(api);
    const long = await Scenario.create(api);
    await api.db.query(
      `UPDATE establishments SET settings = '{"retentionDays": 30}' WHERE code = $1`,
      [short.establishment],
    );
    await api.db.query(
      `UPDATE establishments SET settings = '{"retentionDays": 365}' WHERE code = $1`,
      [long.establishment],
    );
    const shortPrisoner = await short.prisoner();
    const longPrisoner = await long.prisoner();
    const tenDays = short.call(shortPrisoner, { startedAt: daysBefore(10) });
    await short.ingestAndTriage([tenDays]);
    const oldOnes = Array.from({ length: 5 }, (_, i) =>
      long.call(longPrisoner, { startedAt: daysBefore(91 + i) }),
    );
    const youngOne = long.call(longPrisoner, { startedAt: daysBefore(89) });
    await long.ingestAndTriage([...oldOnes, youngOne]);
    const tenDaysId = await idOf(short, shortPrisoner, tenDays.externalId);
    const both = [short.establishment, long.establishment];

    // 365 days is capped at 90: the five older calls go, in batches of two; the 89-day one stays.
    expect(await sweep(both, 2)).toEqual({ purged: 5 });
    expect((await long.callsOf(longPrisoner)).map((c) => c.status)).toEqual([
      'PURGED',
      'PURGED',
      'PURGED',
      'PURGED',
      'PURGED',
      'NOT_MONITORED',
    ]);
    const purgeAudits: { n: number }[] = await api.db.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'CALL_PURGED' AND establishment_code = $1`,
      [long.establishment],
    );
    expect(purgeAudits[0].n).toBe(5);
    expect((await rows([tenDaysId])).get(tenDaysId)).toMatchObject({ status: 'NOT_MONITORED' });

    // Fifteen days on, the ten-day call is 25 days old: still within 30. The 89-day one is now past 90.
    now = addDays(FIXED, 15);
    expect(await sweep(both)).toEqual({ purged: 1 });
    expect((await long.callsOf(longPrisoner)).map((c) => c.status)).toEqual(
      Array(6).fill('PURGED'),
    );
    expect((await rows([tenDaysId])).get(tenDaysId)).toMatchObject({
      status: 'NOT_MONITORED',
      recording_ref: 'rec/sample.ogg',
    });

    // Six days more and it is 31 days old: it goes.
    now = addDays(FIXED, 21);
    expect(await sweep(both)).toEqual({ purged: 1 });
    expect((await rows([tenDaysId])).get(tenDaysId)).toMatchObject({
      status: 'PURGED',
      recording_ref: null,
      purged_at: addDays(FIXED, 21),
    });
    const summaries: { details: Record<string, unknown> }[] = await api.db.query(
      `SELECT details FROM audit_events WHERE action = 'RETENTION_SWEEP' AND entity_id = $1 ORDER BY id`,
      [short.establishment],
    );
    expect(summaries.map((r) => r.details)).toEqual([
      { purged: 0, cutoff: daysBefore(30), retentionDays: 30 },
      { purged: 0, cutoff: daysBefore(30, addDays(FIXED, 15)), retentionDays: 30 },
      { purged: 1, cutoff: daysBefore(30, addDays(FIXED, 21)), retentionDays: 30 },
    ]);
  });

  it('a hold and a sweep racing for the same call: whichever locks the call first wins', async () => {
    const s = await Scenario.create(api);
    const security = await s.staff(['SECURITY_MANAGER']);
    const prisoner = await s.prisoner();
    const records = [0, 1].map(() => s.call(prisoner, { startedAt: daysBefore(95) }));
    await s.ingestAndTriage(records);
    const [heldId, purgedId] = await Promise.all(
      records.map((r) => idOf(s, prisoner, r.externalId)),
    );

    // A hold being placed share-locks its call: the sweep passes it by, and the hold then keeps it.
    // The other transactions are sessions of their own, not the api's pool (which may be 1).
    const placing = await ownSession();
    try {
      await placing.query('BEGIN');
      await placing.query(`SELECT id FROM calls WHERE id = $1 FOR SHARE`, [heldId]);
      expect(await sweep([s.establishment])).toEqual({ purged: 1 });
      await placing.query(
        `INSERT INTO call_holds (call_id, justification, review_at, created_by) VALUES ($1, $2, $3, $4)`,
        [heldId, justification, dateIn(30), security.username],
      );
      await placing.query('COMMIT');
    } finally {
      await placing.end();
    }
    expect(await sweep([s.establishment])).toEqual({ purged: 0 });
    expect((await rows([heldId, purgedId])).get(heldId)).toMatchObject({ status: 'NOT_MONITORED' });

    // A hold asked for while a purge holds the call waits for it, then finds the content gone.
    await api.db.query(`UPDATE call_holds SET released_at = now() WHERE call_id = $1`, [heldId]);
    const purging = await ownSession();
    let asked: Promise<number> | undefined;
    try {
      await purging.query('BEGIN');
      await purging.query(`SELECT id FROM calls WHERE id = $1 FOR UPDATE`, [heldId]);
      await purging.query(
        `UPDATE calls SET status = 'PURGED', recording_ref = NULL WHERE id = $1`,
        [heldId],
      );
      asked = placeHold(security, heldId).then((r) => r.status);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await purging.query('COMMIT');
    } finally {
      await purging.end();
    }
    expect(await asked).toBe(409);
  });

  it('only a security manager of the establishment places or releases a hold, with a justification and a future review date', async () => {
    const s = await Scenario.create(api);
    const other = await Scenario.create(api);
    const [security, listener, head, outsider] = await Promise.all([
      s.staff(['SECURITY_MANAGER']),
      s.staff(['LISTENER']),
      s.staff(['HEAD_OF_OMU']),
      other.staff(['SECURITY_MANAGER', 'HEAD_OF_OMU']),
    ]);
    const prisoner = await s.prisoner();
    const record = s.call(prisoner, { startedAt: daysBefore(5) });
    await s.ingestAndTriage([record]);
    const callId = await idOf(s, prisoner, record.externalId);

    const fieldsOf = (body: unknown) => (body as ErrorBody).details.map((d) => d.field);
    let res = await placeHold(security, callId, { justification: 'evidence' }).expect(400);
    expect(fieldsOf(res.body)).toEqual(['justification']);
    res = await placeHold(security, callId, {
      justification: `   ${'x'.repeat(10)}          `,
    }).expect(400);
    expect(fieldsOf(res.body)).toEqual(['justification']);
    res = await placeHold(security, callId, { reviewAt: dateIn(-1) }).expect(400);
    expect(fieldsOf(res.body)).toEqual(['reviewAt']);
    res = await placeHold(security, callId, { reviewAt: dateIn(0) }).expect(400);
    expect(fieldsOf(res.body)).toEqual(['reviewAt']);
    for (const reviewAt of ['2031-02-30', '31/01/2031', '2031-01-31T00:00:00Z', 20310131]) {
      res = await placeHold(security, callId, { reviewAt }).expect(400);
      expect(fieldsOf(res.body)).toContain('reviewAt');
    }
    res = await api.http
      .post(`/api/calls/${callId}/holds`)
      .set(bearer(security.token))
      .send({ extra: true })
      .expect(400);
    expect(new Set(fieldsOf(res.body))).toEqual(new Set(['justification', 'reviewAt', 'extra']));

    await placeHold(listener, callId).expect(403);
    await placeHold(head, callId).expect(403);
    await placeHold(outsider, callId).expect(403);
    await placeHold(security, randomUUID()).expect(404);
    await placeHold(security, 'not-a-call').expect(404);
    const hold = (await placeHold(security, callId, { reviewAt: dateIn(1) }).expect(201))
      .body as Hold;

    // The list is for security managers and heads of OMU of the establishment.
    await api.http.get('/api/holds').set(bearer(listener.token)).expect(403);
    await api.http
      .get('/api/holds')
      .query({ establishment: s.establishment })
      .set(bearer(outsider.token))
      .expect(403);
    expect((await holds(outsider, {})).items.map((h) => h.id)).not.toContain(hold.id);
    expect((await holds(head, {})).items.map((h) => h.id)).toEqual([hold.id]);
    res = await api.http
      .get('/api/holds')
      .query({ reviewOverdue: 'soon' })
      .set(bearer(head.token))
      .expect(400);
    expect(fieldsOf(res.body)).toEqual(['reviewOverdue']);

    await releaseHold(head, hold.id).expect(403);
    await releaseHold(listener, hold.id).expect(403);
    await releaseHold(outsider, hold.id).expect(403);
    await releaseHold(security, randomUUID()).expect(404);
    res = await api.http
      .post(`/api/holds/${hold.id}/release`)
      .set(bearer(security.token))
      .send({ reason: '  ' })
      .expect(400);
    expect(fieldsOf(res.body)).toEqual(['reason']);
    // None of the refusals changed anything.
    expect((await holds(security, { establishment: s.establishment })).total).toBe(1);
    await releaseHold(security, hold.id).expect(200);
  });
  it('the backlog summary warns of unheard calls retention will purge within 7 days (issue 13)', async () => {
    const s = await Scenario.create(api);
    const [security, head] = await Promise.all([
      s.staff(['SECURITY_MANAGER']),
      s.staff(['HEAD_OF_OMU']),
    ]);
    const monitored = await s.prisoner();
    const unmonitored = await s.prisoner();
    await s.authorise(monitored, { startsAt: daysBefore(200) });
    // Retention 90 days: made 84 days ago, a call is purged in 6 days; 82 days ago, in 8.
    const records = {
      dueInSixDays: s.call(monitored, { startedAt: daysBefore(84) }),
      dueInEightDays: s.call(monitored, { startedAt: daysBefore(82) }),
      heldInSixDays: s.call(monitored, { startedAt: daysBefore(84) }),
      notMonitored: s.call(unmonitored, { startedAt: daysBefore(84) }),
    };
    await s.ingestAndTriage(Object.values(records));
    const held = await idOf(s, monitored, records.heldInSixDays.externalId);
    await placeHold(security, held).expect(201);

    const summary = async () =>
      (
        await api.http
          .get(`/api/backlog/summary?establishment=${s.establishment}`)
          .set(bearer(head.token))
          .expect(200)
      ).body as { purgeUnheardNext7Days: number; pending: { total: number } };
    expect(await summary()).toMatchObject({ purgeUnheardNext7Days: 1, pending: { total: 3 } });
    // And the prisoner is flagged, with the day the call goes.
    const flags = (
      await api.http
        .get(`/api/risk-flags?establishment=${s.establishment}&type=UNHEARD_PURGE_DUE`)
        .set(bearer(head.token))
        .expect(200)
    ).body as { items: { prisonNumber: string; detail: string }[] };
    expect(flags.items).toEqual([
      expect.objectContaining({
        prisonNumber: monitored,
        detail: `1 call not yet heard will be purged by retention on ${WorkingCalendar.londonDate(
          addDays(new Date(daysBefore(84)), 90),
        )} (made ${WorkingCalendar.londonDate(new Date(daysBefore(84)))}): hear or hold`,
      }),
    ]);

    // Six and a half days on, the sweep purges the call the warning named, and the call nobody was
    // to hear (not monitored, so never a warning).
    now = addDays(FIXED, 6.5);
    expect(await sweep([s.establishment])).toEqual({ purged: 2 });
    const warned = await idOf(s, monitored, records.dueInSixDays.externalId);
    const other = await idOf(s, unmonitored, records.notMonitored.externalId);
    const after = await rows([warned, other, held]);
    expect([warned, other, held].map((id) => after.get(id)!.status)).toEqual([
      'PURGED',
      'PURGED',
      'PENDING',
    ]);
    // The 82-day call is now within the week; the held call never is.
    expect(await summary()).toMatchObject({ purgeUnheardNext7Days: 1, pending: { total: 2 } });
  });
});
