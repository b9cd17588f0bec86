import * as path from 'node:path';
import { randomInt, randomUUID } from 'node:crypto';
import { bearer, startApi, TestApi } from '../support/api';
import { quietLog, Scenario, Staffer } from '../support/scenario';

interface AuditItem {
  id: string;
  username: string;
  action: string;
  entityType: string;
  entityId: string | null;
  establishmentCode: string | null;
  correlationId: string | null;
  details: Record<string, unknown>;
  subjectIds: string[];
}

/** The demo's voice clips: real files of tens of kilobytes, so a range from byte 1000 is served. */
const DEMO_RECORDINGS = path.resolve(__dirname, '../../demo/recordings');

const ALL_TRAININGS = ['PUBLIC_PROTECTION', 'DOMESTIC_ABUSE', 'CHILD_SAFEGUARDING'];

/**
 * The audit says what happened, once: a read of many records is one row per request naming them
 * all (and the audit search finds it by any of them); a play is a request for the recording from
 * its first byte, not each range the player reads; refused self-approvals and audit searches are
 * audited too.
 */
describe('the audit trail: one row per request, plays when played', () => {
  let api: TestApi;
  const recordingsBefore = process.env.RECORDINGS_DIR;

  beforeAll(async () => {
    process.env.RECORDINGS_DIR = DEMO_RECORDINGS;
    api = await startApi();
  });

  afterAll(async () => {
    await api.close();
    if (recordingsBefore === undefined) delete process.env.RECORDINGS_DIR;
    else process.env.RECORDINGS_DIR = recordingsBefore;
  });

  const search = async (auditor: Staffer, query: Record<string, string>) =>
    (
      (await api.http.get('/api/audit').query(query).set(bearer(auditor.token)).expect(200))
        .body as { items: AuditItem[] }
    ).items;

  /** Every audit row the request with this correlation id wrote. */
  const rowsOf = (correlationId: string) =>
    api.db.query<
      {
        action: string;
        entityType: string;
        entityId: string | null;
        establishmentCode: string | null;
        subjectIds: string[];
        details: Record<string, unknown>;
      }[]
    >(
      `SELECT action, entity_type AS "entityType", entity_id AS "entityId",
              trim(establishment_code) AS "establishmentCode", subject_ids AS "subjectIds", details
         FROM audit_events WHERE correlation_id = $1 ORDER BY id`,
      [correlationId],
    );

  const get = (token: string, url: string, correlationId = `audit-${randomUUID()}`) =>
    api.http
      .get(url)
      .set(bearer(token))
      .set('x-correlation-id', correlationId)
      .expect(200)
      .then((res) => ({ res, correlationId }));

  /**
   * A monitored prisoner with `n` calls waiting (made 10 minutes apart before `before`), and the
   * people who work with them; the prisoner's POM when `pom` is asked for.
   */
  async function world(n: number, opts: { pom?: boolean; before?: number } = {}) {
    const s = await Scenario.create(api);
    const security = await s.staff(['SECURITY_MANAGER']);
    const head = await s.staff(['HEAD_OF_OMU']);
    const listener = await s.staff(['LISTENER'], { trainings: ALL_TRAININGS });
    const pom = opts.pom ? await s.staff(['POM']) : null;
    const prisoner = await s.prisoner(pom ? { pomUsername: pom.username } : {});
    const authorisationId = await s.authorise(
      prisoner,
      {},
      { requester: security, approver: head },
    );
    const before = opts.before ?? Date.now();
    await s.ingestAndTriage(
      Array.from({ length: n }, (_, i) =>
        s.call(prisoner, {
          startedAt: new Date(before - (i + 1) * 600_000).toISOString(),
          recordingRef: 'demo/clip-1.wav',
        }),
      ),
    );
    return { s, security, head, listener, pom, prisoner, authorisationId };
  }

  it('a list of calls is one row naming every call, the log shown and the prisoner; the search finds it by any', async () => {
    const { s, security, head, listener, prisoner } = await world(12);
    const claimed = await s.claim(listener).expect(200);
    const logged = await api.http
      .post(`/api/calls/${claimed.body.call.id}/log`)
      .set(bearer(listener.token))
      .send(quietLog(claimed.body.claim.token as string))
      .expect(201);
    const logId = (logged.body as { log: { id: string } }).log.id;
    const calls = await s.callsOf(prisoner);

    const { res, correlationId } = await get(
      head.token,
      `/api/calls?prisonNumber=${prisoner}&limit=500`,
    );
    expect(res.body.total).toBe(12);
    const rows = await rowsOf(correlationId);
    expect(rows).toEqual([
      {
        action: 'CALL_READ',
        entityType: 'call',
        entityId: null,
        establishmentCode: s.establishment,
        subjectIds: expect.arrayContaining([...calls.map((c) => c.id), logId, prisoner]) as unknown,
        details: { via: 'list', count: 12, logsShown: 1 },
      },
    ]);
    expect(rows[0].subjectIds).toHaveLength(14);

    const listRow = (items: AuditItem[]) => items.filter((i) => i.correlationId === correlationId);
    expect(listRow(await search(security, { entityType: 'call', entityId: calls[5].id }))).toEqual([
      expect.objectContaining({ username: head.username, action: 'CALL_READ', entityId: null }),
    ]);
    expect(listRow(await search(security, { entityType: 'prisoner', entityId: prisoner }))).toEqual(
      [expect.objectContaining({ action: 'CALL_READ' })],
    );
    expect(listRow(await search(security, { entityId: logId }))).toEqual([
      expect.objectContaining({ action: 'CALL_READ' }),
    ]);
    expect(listRow(await search(security, { entityId: randomUUID() }))).toEqual([]);
  });

  it('the queue, a prisoner’s logs, the authorisations and the caseload are one row each', async () => {
    const { s, security, head, listener, pom, prisoner, authorisationId } = await world(3, {
      pom: true,
    });
    const caseload = [
      prisoner,
      ...(await Promise.all(
        Array.from({ length: 5 }, () => s.prisoner({ pomUsername: pom!.username })),
      )),
    ];
    const logIds: string[] = [];
    for (let i = 0; i < 2; i++) {
      const claimed = await s.claim(listener).expect(200);
      const logged = await api.http
        .post(`/api/calls/${claimed.body.call.id}/log`)
        .set(bearer(listener.token))
        .send(quietLog(claimed.body.claim.token as string))
        .expect(201);
      logIds.push((logged.body as { log: { id: string } }).log.id);
    }
    const waiting = (await s.callsOf(prisoner)).filter((c) => c.status === 'PENDING');
    expect(waiting).toHaveLength(1);

    const queue = await get(head.token, `/api/queue?establishment=${s.establishment}`);
    expect(await rowsOf(queue.correlationId)).toEqual([
      expect.objectContaining({
        action: 'CALL_READ',
        entityId: null,
        subjectIds: [waiting[0].id, prisoner],
        details: { via: 'queue', count: 1 },
      }),
    ]);

    const logs = await get(head.token, `/api/prisoners/${prisoner}/logs`);
    const logRows = await rowsOf(logs.correlationId);
    expect(logRows).toEqual([
      expect.objectContaining({
        action: 'LOG_READ',
        entityType: 'log',
        entityId: null,
        details: { via: 'prisoner-logs', count: 2 },
      }),
    ]);
    expect([...logRows[0].subjectIds].sort()).toEqual([...logIds, prisoner].sort());

    const listed = await get(head.token, `/api/monitoring-authorisations?prisonNumber=${prisoner}`);
    expect(await rowsOf(listed.correlationId)).toEqual([
      expect.objectContaining({
        action: 'AUTHORISATION_READ',
        entityId: null,
        subjectIds: [authorisationId, prisoner],
        details: { via: 'list', count: 1 },
      }),
    ]);

    const mine = await get(pom!.token, '/api/poms/me/caseload');
    expect(mine.res.body.total).toBe(6);
    const caseloadRows = await rowsOf(mine.correlationId);
    expect(caseloadRows).toEqual([
      expect.objectContaining({
        action: 'PRISONER_READ',
        entityType: 'prisoner',
        entityId: null,
        establishmentCode: s.establishment,
        details: { via: 'caseload', count: 6 },
      }),
    ]);
    expect([...caseloadRows[0].subjectIds].sort()).toEqual([...caseload].sort());
    const found = await search(security, { entityType: 'prisoner', entityId: caseload[3] });
    expect(found.filter((i) => i.correlationId === mine.correlationId)).toEqual([
      expect.objectContaining({ username: pom!.username, action: 'PRISONER_READ' }),
    ]);
  });

  it('a national list of two establishments’ calls is one row for each, each seen by its own security manager only', async () => {
    // Three days ago, at a moment of this test's own, so that other tests' calls stay out.
    const before = Date.now() - 3 * 86_400_000 - randomInt(86_400_000);
    const here = await world(2, { before });
    const there = await world(3, { before });
    const window = `from=${new Date(before - 3_600_000).toISOString()}&to=${new Date(before).toISOString()}`;
    const { res, correlationId } = await get(here.s.adminToken, `/api/calls?${window}&limit=500`);
    // Other tests' calls may fall in the same hour (every suite shares one database): count ours.
    const listed = (res.body.items as { establishmentCode: string }[]).filter((c) =>
      [here.s.establishment, there.s.establishment].includes(c.establishmentCode),
    );
    expect(listed).toHaveLength(5);
    expect(res.body.total).toBe(res.body.items.length);
    const rows = await rowsOf(correlationId);
    const ours = rows.filter((r) => r.establishmentCode === here.s.establishment);
    const theirs = rows.filter((r) => r.establishmentCode === there.s.establishment);
    expect(ours).toEqual([expect.objectContaining({ details: { via: 'list', count: 2 } })]);
    expect(theirs).toEqual([expect.objectContaining({ details: { via: 'list', count: 3 } })]);
    expect(ours[0].subjectIds).toContain(here.prisoner);
    expect(ours[0].subjectIds).not.toContain(there.prisoner);

    const seenHere = await search(here.security, {
      entityType: 'prisoner',
      entityId: there.prisoner,
    });
    expect(seenHere.filter((i) => i.correlationId === correlationId)).toEqual([]);
    const seenThere = await search(there.security, {
      entityType: 'prisoner',
      entityId: there.prisoner,
    });
    expect(seenThere.filter((i) => i.correlationId === correlationId)).toEqual([
      expect.objectContaining({ establishmentCode: there.s.establishment }),
    ]);
  });

  it('audits a refused self-approval, and the search finds it', async () => {
    const s = await Scenario.create(api);
    const security = await s.staff(['SECURITY_MANAGER']);
    const auditor = await s.staff(['SECURITY_MANAGER']);
    const prisoner = await s.prisoner();
    const requested = await api.http
      .post(`/api/prisoners/${prisoner}/monitoring-authorisations`)
      .set(bearer(security.token))
      .send({
        type: 'OFFENCE_RELATED',
        grounds: ['PUBLIC_SAFETY'],
        channels: ['PHONE'],
        justification: 'Risk to a former partner; calls must be heard to manage it.',
      })
      .expect(201);
    const id = (requested.body as { id: string }).id;
    const refused = await api.http
      .post(`/api/monitoring-authorisations/${id}/approve`)
      .set(bearer(security.token))
      .send({})
      .expect(403);

    const trail = await search(auditor, { entityType: 'authorisation', entityId: id });
    expect(trail.map((i) => i.action)).toEqual([
      'AUTHORISATION_APPROVAL_REFUSED',
      'AUTHORISATION_REQUESTED',
    ]);
    expect(trail[0]).toMatchObject({
      username: security.username,
      entityId: id,
      establishmentCode: s.establishment,
      correlationId: refused.headers['x-correlation-id'],
      details: {
        prisonNumber: prisoner,
        status: 'REQUESTED',
        reason: 'The person who requested monitoring cannot also authorise it',
      },
    });
    // Nothing else of the refused decision was kept.
    const [row] = await api.db.query<{ status: string }[]>(
      `SELECT status FROM monitoring_authorisations WHERE id = $1`,
      [id],
    );
    expect(row.status).toBe('REQUESTED');
  });

  it('audits each audit search once, seen by the security managers of the establishments searched', async () => {
    const s = await Scenario.create(api);
    const other = await s.newEstablishment();
    const both = await s.staff(['SECURITY_MANAGER'], { establishments: [s.establishment, other] });
    const colleague = await s.staff(['SECURITY_MANAGER']);
    const elsewhere = await (await Scenario.create(api)).staff(['SECURITY_MANAGER']);
    const prisoner = await s.prisoner();

    const asked = await api.http
      .get('/api/audit')
      .query({ entityType: 'prisoner', entityId: prisoner })
      .set(bearer(colleague.token))
      .expect(200);
    expect(await rowsOf(asked.headers['x-correlation-id'])).toEqual([
      {
        action: 'AUDIT_SEARCHED',
        entityType: 'audit',
        entityId: null,
        establishmentCode: s.establishment,
        subjectIds: [],
        details: {
          via: 'api',
          entityType: 'prisoner',
          entityId: prisoner,
          username: null,
          from: null,
          to: null,
          limit: 50,
          offset: 0,
          establishments: [s.establishment],
          total: (asked.body as { total: number }).total,
        },
      },
    ]);

    // Over two establishments: the row belongs to none, and names both.
    const wide = await api.http
      .get('/api/audit')
      .query({ username: colleague.username })
      .set(bearer(both.token))
      .expect(200);
    const wideId = wide.headers['x-correlation-id'];
    expect(await rowsOf(wideId)).toEqual([
      expect.objectContaining({
        establishmentCode: null,
        details: expect.objectContaining({
          establishments: expect.arrayContaining([s.establishment, other]) as unknown,
        }) as unknown,
      }),
    ]);
    const searchesBy = async (auditor: Staffer, username: string) =>
      (await search(auditor, { entityType: 'audit', username })).map((i) => i.correlationId);
    expect(await searchesBy(colleague, both.username)).toEqual([wideId]);
    expect(await searchesBy(both, colleague.username)).toEqual(
      expect.arrayContaining([asked.headers['x-correlation-id']]),
    );
    expect(await searchesBy(elsewhere, both.username)).toEqual([]);
    expect(await searchesBy(elsewhere, colleague.username)).toEqual([]);
  });

  it('audits a play when the recording is asked for from its start, not for a later range', async () => {
    const { s, security, listener } = await world(1);
    const claimed = await s.claim(listener).expect(200);
    const id = (claimed.body as { call: { id: string } }).call.id;
    const play = (range?: string) => {
      const req = api.http.get(`/api/calls/${id}/recording`).set(bearer(listener.token));
      return range ? req.set('Range', range) : req;
    };
    const plays = async () =>
      (await search(security, { entityType: 'call', entityId: id }))
        .filter((i) => i.action === 'RECORDING_PLAYED')
        .map((i) => i.details);

    expect((await play()).status).toBe(200);
    expect(await plays()).toEqual([{ recordingRef: 'demo/clip-1.wav' }]);

    const later = await play('bytes=1000-');
    expect(later.status).toBe(206);
    expect(later.headers['content-range']).toMatch(/^bytes 1000-/);
    expect((await play('bytes=0-1')).status).toBe(206);
    expect(await plays()).toHaveLength(1);

    expect((await play('bytes=0-')).status).toBe(206);
    expect(await plays()).toEqual([
      { recordingRef: 'demo/clip-1.wav', range: 'bytes=0-' },
      { recordingRef: 'demo/clip-1.wav' },
    ]);
  });
});
