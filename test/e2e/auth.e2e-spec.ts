import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import { bearer, ErrorBody, startApi, TestApi } from '../support/api';
import { Scenario } from '../support/scenario';

const errorBody = (statusCode: number, error: string) => ({
  statusCode,
  error,
  message: expect.any(String),
  details: expect.any(Array),
  correlationId: expect.any(String),
});

describe('authentication, authorisation and the request pipeline', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi();
  });

  afterAll(async () => {
    await api.close();
  });

  it('issues a token of the documented shape and refuses a wrong password or an unknown user', async () => {
    const s = await Scenario.create(api);
    const pom = await s.staff(['POM', 'LISTENER']);

    const ok = await api.http
      .post('/api/auth/token')
      .send({ username: pom.username, password: pom.password })
      .expect(200);
    expect(ok.body).toEqual({
      accessToken: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      tokenType: 'Bearer',
      expiresIn: 3600,
      user: {
        username: pom.username,
        roles: ['POM', 'LISTENER'],
        establishments: [s.establishment],
      },
    });
    await api.http
      .get(`/api/calls?establishment=${s.establishment}`)
      .set(bearer(ok.body.accessToken))
      .expect(200);

    const wrongPassword = await api.http
      .post('/api/auth/token')
      .send({ username: pom.username, password: `${pom.password}x` });
    const unknownUser = await api.http
      .post('/api/auth/token')
      .send({ username: `nobody-${randomUUID()}`, password: pom.password });
    for (const res of [wrongPassword, unknownUser]) {
      expect(res.status).toBe(401);
      expect(res.body).toEqual(errorBody(401, 'Unauthorized'));
      expect(res.body.accessToken).toBeUndefined();
    }
    // The two refusals do not tell a caller which of the two was wrong.
    expect(unknownUser.body.message).toBe(wrongPassword.body.message);
  });

  it('refuses a missing, forged, tampered, unsigned, expired or never-expiring token with 401', async () => {
    const s = await Scenario.create(api);
    const listener = await s.staff(['LISTENER']);
    const secret = process.env.JWT_SECRET!;
    const claims = { sub: listener.username, roles: ['ADMIN'], est: [] as string[] };
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const [header, , signature] = listener.token.split('.');
    const nowSeconds = Math.floor(Date.now() / 1000);

    const genuine = await new JwtService({ secret }).signAsync(claims, { expiresIn: 60 });
    const tokens: Record<string, string> = {
      forged: await new JwtService({ secret: `${secret}-but-not-ours` }).signAsync(claims, {
        expiresIn: 60,
      }),
      tampered: `${header}.${b64({ ...claims, iat: nowSeconds, exp: nowSeconds + 600 })}.${signature}`,
      unsigned: `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, exp: nowSeconds + 600 })}.`,
      expired: await new JwtService({ secret }).signAsync({
        ...claims,
        iat: nowSeconds - 7200,
        exp: nowSeconds - 60,
      }),
      neverExpires: await new JwtService({ secret }).signAsync(claims),
      garbage: 'not-a-token',
    };

    // Control: the same claims signed with the real secret and in date are accepted.
    await api.http.get('/api/establishments').set(bearer(genuine)).expect(200);
    for (const [what, token] of Object.entries(tokens)) {
      const res = await api.http.get('/api/establishments').set(bearer(token));
      expect({ what, status: res.status }).toEqual({ what, status: 401 });
      expect(res.body).toEqual(errorBody(401, 'Unauthorized'));
    }
    const missing = await api.http.get('/api/establishments');
    expect(missing.status).toBe(401);
    expect(missing.body).toEqual(errorBody(401, 'Unauthorized'));
  });

  it('answers 403 for a missing role and 400 naming each invalid field or unknown property', async () => {
    const s = await Scenario.create(api);
    const listener = await s.staff(['LISTENER']);
    const username = `new-${randomUUID().slice(0, 8)}`;
    const valid = {
      displayName: 'New Person',
      password: 'a-long-enough-password',
      roles: ['LISTENER'],
      establishments: [s.establishment],
    };
    const stored = async () =>
      (await api.db.query(`SELECT 1 FROM staff WHERE username = $1`, [username])).length;

    const forbidden = await api.http
      .put(`/api/staff/${username}`)
      .set(bearer(listener.token))
      .send(valid);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body).toEqual(errorBody(403, 'Forbidden'));

    const invalid = await api.http
      .put(`/api/staff/${username}`)
      .set(bearer(s.adminToken))
      .send({ ...valid, roles: ['LISTENER', 'KING'], establishments: ['nhi'] });
    expect(invalid.status).toBe(400);
    expect(invalid.body).toEqual(errorBody(400, 'Bad Request'));
    const fields = (invalid.body as ErrorBody).details.map((d) => d.field);
    expect(new Set(fields)).toEqual(new Set(['roles', 'establishments']));
    expect((invalid.body as ErrorBody).details.every((d) => d.message.length > 0)).toBe(true);

    const unknown = await api.http
      .put(`/api/staff/${username}`)
      .set(bearer(s.adminToken))
      .send({ ...valid, colour: 'blue' });
    expect(unknown.status).toBe(400);
    expect((unknown.body as ErrorBody).details).toEqual([
      { field: 'colour', message: 'is not an allowed property' },
    ]);

    expect(await stored()).toBe(0);
    // The same request without the faults is accepted: it was the faults that were refused.
    await api.http.put(`/api/staff/${username}`).set(bearer(s.adminToken)).send(valid).expect(200);
    expect(await stored()).toBe(1);
  });

  it('reports health with the database and redis up, without a token', async () => {
    const res = await api.http.get('/health').expect(200);
    expect(res.body).toMatchObject({
      status: 'ok',
      info: { database: { status: 'up' }, redis: { status: 'up' } },
    });
  });

  it("keeps a user to their own establishment's prisoners and calls", async () => {
    const s = await Scenario.create(api);
    const a = s.establishment;
    const b = await s.newEstablishment();
    const prisonerA = await s.prisoner();
    const prisonerB = await s.prisoner({ establishmentCode: b });
    await s.ingest([
      s.call(prisonerA),
      s.call(prisonerA),
      s.call(prisonerB, { establishmentCode: b }),
    ]);
    const callsA = await s.callsOf(prisonerA);
    const [callB] = await s.callsOf(prisonerB);
    const user = await s.staff(['HEAD_OF_OMU']);
    const get = (url: string) => api.http.get(url).set(bearer(user.token));

    await get(`/api/prisoners/${prisonerA}`).expect(200);
    await get(`/api/calls/${callsA[0].id}`).expect(200);
    const refused = await Promise.all([
      get(`/api/prisoners/${prisonerB}`),
      get(`/api/calls/${callB.id}`),
      get(`/api/calls?establishment=${b}`),
      get(`/api/calls?prisonNumber=${prisonerB}&establishment=${b}`),
    ]);
    for (const res of refused) {
      expect(res.status).toBe(403);
      expect(res.body).toEqual(errorBody(403, 'Forbidden'));
      expect(JSON.stringify(res.body)).not.toContain(callB.externalId);
    }
    // Each refusal is on the record, in the establishment asked for, for its security manager.
    const attempts = await api.db.query<
      { correlationId: string; establishment: string; details: { method: string; path: string } }[]
    >(
      `SELECT correlation_id AS "correlationId", trim(establishment_code) AS establishment, details
         FROM audit_events WHERE action = 'ACCESS_REFUSED' AND username = $1`,
      [user.username],
    );
    expect(
      refused.map((res) =>
        attempts.find((a) => a.correlationId === res.headers['x-correlation-id']),
      ),
    ).toEqual([
      {
        correlationId: expect.any(String),
        establishment: b,
        details: { method: 'GET', path: `/api/prisoners/${prisonerB}` },
      },
      {
        correlationId: expect.any(String),
        establishment: b,
        details: { method: 'GET', path: `/api/calls/${callB.id}` },
      },
      {
        correlationId: expect.any(String),
        establishment: b,
        details: { method: 'GET', path: '/api/calls' },
      },
      {
        correlationId: expect.any(String),
        establishment: b,
        details: { method: 'GET', path: '/api/calls' },
      },
    ]);

    const unfiltered = await get('/api/calls').expect(200);
    const items = unfiltered.body.items as { id: string; establishmentCode: string }[];
    expect(new Set(items.map((c) => c.id))).toEqual(new Set(callsA.map((c) => c.id)));
    expect(unfiltered.body.total).toBe(callsA.length);
    expect(items.every((c) => c.establishmentCode === a)).toBe(true);
    const byPrisoner = await get(`/api/calls?prisonNumber=${prisonerB}`).expect(200);
    expect(byPrisoner.body).toEqual({ items: [], total: 0 });
  });

  it('answers 404 for a call id that is not a uuid and for an unknown uuid', async () => {
    const s = await Scenario.create(api);
    for (const id of ['not-a-uuid', '123', randomUUID()]) {
      const res = await api.http.get(`/api/calls/${id}`).set(bearer(s.adminToken));
      expect({ id, status: res.status }).toEqual({ id, status: 404 });
      expect(res.body).toEqual(errorBody(404, 'Not Found'));
    }
  });

  it('echoes x-correlation-id and puts it in error bodies', async () => {
    const s = await Scenario.create(api);
    const mine = `corr-${randomUUID()}`;

    const ok = await api.http
      .get('/api/staff')
      .set(bearer(s.adminToken))
      .set('x-correlation-id', mine)
      .expect(200);
    expect(ok.headers['x-correlation-id']).toBe(mine);

    const notFound = await api.http
      .get(`/api/calls/${randomUUID()}`)
      .set(bearer(s.adminToken))
      .set('x-correlation-id', mine)
      .expect(404);
    expect(notFound.headers['x-correlation-id']).toBe(mine);
    expect(notFound.body.correlationId).toBe(mine);

    const unauthenticated = await api.http.get('/api/staff').set('x-correlation-id', mine);
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.body.correlationId).toBe(mine);

    // Without one (or with one that is not sane) the api makes its own and still returns it.
    for (const sent of [undefined, 'has spaces and ; semicolons']) {
      const req = api.http.get(`/api/calls/${randomUUID()}`).set(bearer(s.adminToken));
      const res = await (sent ? req.set('x-correlation-id', sent) : req).expect(404);
      const generated = res.headers['x-correlation-id'];
      expect(generated).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.body.correlationId).toBe(generated);
    }
  });
});
