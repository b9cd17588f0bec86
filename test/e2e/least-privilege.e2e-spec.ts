import { bearer, startApi, TestApi } from '../support/api';
import { highLogWithThreat, Scenario, Staffer } from '../support/scenario';

describe("least privilege in the API: the contract's roles, recordings of logged calls, docs, caching", () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi();
  });

  afterAll(async () => {
    await api.close();
  });

  it("keeps prisoner profiles (victims' contacts included) from the feed's account, and gives them to staff", async () => {
    const s = await Scenario.create(api);
    const prisoner = await s.prisoner();
    await s.contact(prisoner, { name: 'A Victim', relationship: 'EX_PARTNER', isVictim: true });
    const refused = await api.http.get(`/api/prisoners/${prisoner}`).set(bearer(s.ingestToken));
    expect(refused.status).toBe(403);
    expect(JSON.stringify(refused.body)).not.toContain('A Victim');
    for (const role of ['LISTENER', 'POM', 'HEAD_OF_OMU', 'SECURITY_MANAGER']) {
      const who = await s.staff([role]);
      const res = await api.http.get(`/api/prisoners/${prisoner}`).set(bearer(who.token));
      expect({ role, status: res.status }).toEqual({ role, status: 200 });
    }
    await api.http.get(`/api/prisoners/${prisoner}`).set(bearer(s.adminToken)).expect(200);
  });

  it('lists staff only for admins, heads of OMU and security managers', async () => {
    const s = await Scenario.create(api);
    const url = `/api/staff?establishment=${s.establishment}`;
    for (const role of ['LISTENER', 'POM', 'INGEST']) {
      const who = await s.staff([role], role === 'INGEST' ? { establishments: [] } : {});
      const res = await api.http.get(url).set(bearer(who.token));
      expect({ role, status: res.status }).toEqual({ role, status: 403 });
    }
    for (const role of ['HEAD_OF_OMU', 'SECURITY_MANAGER']) {
      const who = await s.staff([role]);
      const res = await api.http.get(url).set(bearer(who.token));
      expect({ role, status: res.status }).toEqual({ role, status: 200 });
    }
    await api.http.get(url).set(bearer(s.adminToken)).expect(200);
  });

  it("plays a logged call only to the listener who logged it, the prisoner's POM, heads and security managers, and audits every refusal", async () => {
    const s = await Scenario.create(api);
    const [pom, otherPom, head, security] = [
      await s.staff(['POM']),
      await s.staff(['POM']),
      await s.staff(['HEAD_OF_OMU']),
      await s.staff(['SECURITY_MANAGER']),
    ];
    const prisoner = await s.prisoner({ pomUsername: pom.username });
    await s.authorise(prisoner, {}, { requester: security, approver: head });
    await s.ingestAndTriage([s.call(prisoner, { transcript: 'Tell her I know where she lives.' })]);
    const [logger, colleague] = [await s.staff(['LISTENER']), await s.staff(['LISTENER'])];
    const claimed = await s.claim(logger).expect(200);
    const callId = claimed.body.call.id as string;
    await api.http
      .post(`/api/calls/${callId}/log`)
      .set(bearer(logger.token))
      .send(highLogWithThreat(claimed.body.claim.token as string))
      .expect(201);

    const play = (who: Staffer) =>
      api.http.get(`/api/calls/${callId}/recording`).set(bearer(who.token));
    for (const who of [logger, pom, head, security]) {
      const res = await play(who);
      expect({ who: who.username, status: res.status }).toEqual({
        who: who.username,
        status: 200,
      });
    }
    for (const who of [colleague, otherPom]) {
      const res = await play(who);
      expect({ who: who.username, status: res.status }).toEqual({
        who: who.username,
        status: 403,
      });
    }
    // The transcript (the recording's words) goes by the same rule.
    const transcriptFor = async (who: Staffer) =>
      (await api.http.get(`/api/calls/${callId}`).set(bearer(who.token)).expect(200)).body
        .transcript as unknown;
    expect(await transcriptFor(logger)).toMatchObject({ segments: expect.any(Array) });
    expect(await transcriptFor(pom)).toMatchObject({ segments: expect.any(Array) });
    expect(await transcriptFor(colleague)).toBeNull();
    expect(await transcriptFor(otherPom)).toBeNull();

    const trail = await api.db.query<{ username: string; action: string }[]>(
      `SELECT username, action FROM audit_events WHERE entity_type = 'call' AND entity_id = $1
         AND action IN ('RECORDING_PLAYED', 'RECORDING_REFUSED') ORDER BY id`,
      [callId],
    );
    expect(trail).toEqual([
      { username: logger.username, action: 'RECORDING_PLAYED' },
      { username: pom.username, action: 'RECORDING_PLAYED' },
      { username: head.username, action: 'RECORDING_PLAYED' },
      { username: security.username, action: 'RECORDING_PLAYED' },
      { username: colleague.username, action: 'RECORDING_REFUSED' },
      { username: otherPom.username, action: 'RECORDING_REFUSED' },
    ]);
  });

  it('serves the OpenAPI document and its UI only to signed-in callers', async () => {
    const s = await Scenario.create(api);
    for (const path of ['/api/docs-json', '/api/docs-yaml', '/api/docs']) {
      const res = await api.http.get(path).set('Accept', 'application/json');
      expect({ path, status: res.status }).toEqual({ path, status: 401 });
      expect(res.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
      expect(JSON.stringify(res.body)).not.toContain('/api/queue/claim');
    }
    const forged = await api.http.get('/api/docs-json').set(bearer('not-a-token'));
    expect(forged.status).toBe(401);
    const browser = await api.http.get('/api/docs').set('Accept', 'text/html');
    expect(browser.status).toBe(302);
    expect(browser.headers.location).toBe('/sign-in?returnTo=%2Fapi%2Fdocs');

    const listener = await s.staff(['LISTENER']);
    const doc = await api.http.get('/api/docs-json').set(bearer(listener.token)).expect(200);
    expect(Object.keys(doc.body.paths as object)).toContain('/api/queue/claim');
  });

  it('marks every API answer no-store, errors and the token included', async () => {
    const s = await Scenario.create(api);
    const answers = [
      await api.http.get('/api/establishments').set(bearer(s.adminToken)),
      await api.http.get(`/api/calls?establishment=${s.establishment}`).set(bearer(s.adminToken)),
      await api.http.get('/api/establishments'),
      await api.http
        .post('/api/auth/token')
        .send({ username: process.env.ADMIN_USERNAME, password: process.env.ADMIN_PASSWORD }),
    ];
    expect(answers.map((r) => [r.status, r.headers['cache-control']])).toEqual([
      [200, 'no-store'],
      [200, 'no-store'],
      [401, 'no-store'],
      [200, 'no-store'],
    ]);
  });
});
