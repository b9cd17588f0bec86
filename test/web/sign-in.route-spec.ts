import { bearer, startApi, TestApi } from '../support/api';
import { Scenario } from '../support/scenario';
import { errorSummaryLinks, WebClient } from './web-client';

describe('web: sign in, the header and the switcher', () => {
  let api: TestApi;
  let s: Scenario;

  beforeAll(async () => {
    api = await startApi();
    s = await Scenario.create(api);
  });

  afterAll(async () => {
    await api.close();
  });

  it('renders the sign-in page with GOV.UK assets served locally and a CSP nonce', async () => {
    const web = new WebClient(api);
    const res = await web.get('/sign-in');
    expect(res.status).toBe(200);
    expect(res.text).toContain('data-qa="sign-in-form"');
    expect(res.text).toContain('Monitor prisoner communications');
    expect(res.text).toContain('/assets/govuk-frontend.min.css');
    const nonce = /script type="module" nonce="([^"]+)"/.exec(res.text)?.[1];
    expect(nonce).toBeTruthy();
    expect(res.headers['content-security-policy']).toContain(`'nonce-${nonce}'`);
    expect(res.headers['content-security-policy']).toContain("media-src 'self'");
    await web.agent.get('/assets/govuk-frontend.min.css').expect(200).expect('content-type', /css/);
    await web.agent.get('/assets/govuk-frontend.min.js').expect(200);
    await web.agent.get('/assets/images/favicon.ico').expect(200);
  });

  it('shows the error summary for a wrong password', async () => {
    const listener = await s.staff(['LISTENER']);
    const web = new WebClient(api);
    await web.get('/sign-in');
    const res = await web.post('/sign-in', { username: listener.username, password: 'wrong-one' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('There is a problem');
    expect(res.text).toContain('Your username or password is wrong');
    expect(errorSummaryLinks(res.text)).toEqual(['#username']);
    expect(res.text).toContain(`value="${listener.username}"`);
  });

  it('signs in, shows the user and establishment in the header, and signs out', async () => {
    const listener = await s.staff(['LISTENER']);
    const web = new WebClient(api);
    await web.signIn(listener);
    const page = await web.get('/my-work');
    expect(page.status).toBe(200);
    expect(page.text).toContain(
      `data-qa="signed-in-user">Test LISTENER</strong> (${listener.username})`,
    );
    expect(page.text).toContain(
      `data-qa="active-establishment">HMP Test ${s.establishment}</strong>`,
    );
    expect(page.text).not.toContain('data-qa="establishment-switcher"');

    const out = await web.post('/sign-out');
    expect(out.status).toBe(302);
    expect(out.headers.location).toBe('/sign-in?signedOut=yes');
    const after = await web.get('/my-work');
    expect(after.status).toBe(302);
    expect(after.headers.location).toBe('/sign-in?returnTo=%2Fmy-work');
  });

  it('sends a signed-out visitor to sign in and back to the page asked for', async () => {
    const listener = await s.staff(['LISTENER']);
    const web = new WebClient(api);
    const first = await web.get('/my-work');
    expect(first.headers.location).toBe('/sign-in?returnTo=%2Fmy-work');
    await web.get(first.headers.location);
    const res = await web.post('/sign-in', {
      username: listener.username,
      password: listener.password,
      returnTo: '/my-work',
    });
    expect(res.headers.location).toBe('/my-work');
  });

  it('switches the active establishment for a user of several', async () => {
    const other = await s.newEstablishment();
    const listener = await s.staff(['LISTENER'], { establishments: [s.establishment, other] });
    const web = new WebClient(api);
    await web.signIn(listener);
    const before = await web.get('/my-work');
    expect(before.text).toContain('data-qa="establishment-switcher"');
    expect(before.text).toContain(`data-qa="active-establishment">HMP Test ${s.establishment}<`);

    const switched = await web.post('/establishment', {
      establishment: other,
      returnTo: '/my-work',
    });
    expect(switched.headers.location).toBe('/my-work');
    const after = await web.get('/my-work');
    expect(after.text).toContain(`data-qa="active-establishment">HMP Test ${other}<`);
    expect(after.text).toContain(`You are now working in HMP Test ${other}`);

    // An establishment the user does not work at is ignored.
    await web.post('/establishment', { establishment: 'ZZZ', returnTo: '/my-work' });
    expect((await web.get('/my-work')).text).toContain(
      `data-qa="active-establishment">HMP Test ${other}<`,
    );
  });

  it('refuses a form posted without the CSRF token with a 403 page saying the form was out of date', async () => {
    const listener = await s.staff(['LISTENER']);
    const web = new WebClient(api);
    await web.signIn(listener);
    const res = await web.post('/sign-out', {}, { csrf: false });
    expect(res.status).toBe(403);
    expect(res.text).toContain('The form was out of date');
    // Still signed in: the forged sign-out did nothing.
    expect((await web.get('/my-work')).status).toBe(200);
  });

  it('leaves the API as it was: JSON errors, no session cookie, no CSRF', async () => {
    const res = await api.http.post('/api/auth/token').send({ username: 'nobody', password: 'x' });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ statusCode: 401 });
    expect(res.headers['set-cookie']).toBeUndefined();
    const missing = await api.http.get('/api/no-such-thing');
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toMatch(/json/);
    await api.http.get('/health').expect((r) => expect(r.headers['content-type']).toMatch(/json/));
  });

  it('shows the GOV.UK 404 page for an unknown page', async () => {
    const web = new WebClient(api);
    await web.signIn(await s.staff(['POM']));
    const res = await web.get('/no-such-page');
    expect(res.status).toBe(404);
    expect(res.text).toContain('Page not found');
  });

  const sessionRows = async () =>
    (await api.db.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM web_sessions`))[0].n;

  it('stores no session for a visitor who has not signed in, and keeps CSRF on the sign-in form', async () => {
    const listener = await s.staff(['LISTENER']);
    const before = await sessionRows();
    const web = new WebClient(api);
    const page = await web.get('/sign-in?returnTo=%2Fmy-work');
    expect(page.status).toBe(200);
    expect(web.csrf).not.toBe('');
    await web.get('/my-work');
    const wrong = await web.post('/sign-in', { username: listener.username, password: 'nope' });
    expect(wrong.status).toBe(400);
    expect(await sessionRows()).toBe(before);
    const cookies: unknown = page.headers['set-cookie'] ?? [];
    expect(String(cookies)).not.toContain('mpc.session=');

    // The form's token is still required, and a token from another visitor's cookie is not enough.
    const forged = await web.post(
      '/sign-in',
      { username: listener.username, password: listener.password },
      { csrf: false },
    );
    expect(forged.status).toBe(403);
    const stranger = new WebClient(api);
    stranger.csrf = web.csrf;
    const borrowed = await stranger.post('/sign-in', {
      username: listener.username,
      password: listener.password,
    });
    expect(borrowed.status).toBe(403);
    expect(await sessionRows()).toBe(before);

    const ok = await web.post('/sign-in', {
      username: listener.username,
      password: listener.password,
    });
    expect(ok.status).toBe(302);
    expect(await sessionRows()).toBe(before + 1);
  });

  it("refuses the feed's machine account at the workbench sign-in", async () => {
    const feed = await s.staff(['INGEST'], { establishments: [] });
    const before = await sessionRows();
    const web = new WebClient(api);
    await web.get('/sign-in');
    const res = await web.post('/sign-in', { username: feed.username, password: feed.password });
    expect(res.status).toBe(403);
    expect(res.text).toContain('cannot sign in to the workbench');
    expect(await sessionRows()).toBe(before);
    expect((await web.get('/')).status).toBe(302);
  });

  it('locks the sign-in form after 10 failures for a username: 429 with Retry-After, even with the right password', async () => {
    const listener = await s.staff(['LISTENER']);
    const web = new WebClient(api);
    await web.get('/sign-in');
    for (let i = 0; i < 10; i++) {
      const res = await web.post('/sign-in', { username: listener.username, password: `no-${i}` });
      expect({ i, status: res.status }).toEqual({ i, status: 400 });
    }
    const locked = await web.post('/sign-in', {
      username: listener.username,
      password: listener.password,
    });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(800);
    expect(locked.text).toContain('There have been too many failed attempts to sign in');
    expect(errorSummaryLinks(locked.text)).toEqual(['#username']);
    const audited = await api.db.query<{ action: string; via: string }[]>(
      `SELECT action, details->>'via' AS via FROM audit_events
        WHERE entity_type = 'staff' AND entity_id = $1 AND action LIKE 'SIGN_IN%' ORDER BY id`,
      [listener.username],
    );
    expect(audited.slice(1).map((a) => `${a.action}/${a.via}`)).toEqual([
      ...Array<string>(10).fill('SIGN_IN_FAILED/web'),
      'SIGN_IN_LOCKED/web',
    ]);
  });

  it('reads the signed-in user from the database: a demoted user loses the pages, a deactivated one the session', async () => {
    const listener = await s.staff(['LISTENER']);
    const web = new WebClient(api);
    await web.signIn(listener);
    expect((await web.get('/my-work')).status).toBe(200);
    const put = (body: Record<string, unknown>) =>
      api.http
        .put(`/api/staff/${listener.username}`)
        .set(bearer(s.adminToken))
        .send({ displayName: 'Test LISTENER', establishments: [s.establishment], ...body })
        .expect(200);

    await put({ roles: ['POM'] });
    const demoted = await web.get('/my-work');
    expect(demoted.status).toBe(403);
    expect((await web.get('/caseload')).status).toBe(200);

    await put({ roles: ['LISTENER'], active: false });
    const gone = await web.get('/my-work');
    expect(gone.status).toBe(302);
    expect(gone.headers.location).toBe('/sign-in?returnTo=%2Fmy-work');
    // Reactivated, the old session does not come back: the user signs in again.
    await put({ roles: ['LISTENER'], active: true });
    expect((await web.get('/my-work')).status).toBe(302);
  });

  it('marks every page no-store, the sign-in page included, but lets assets be cached', async () => {
    const web = new WebClient(api);
    expect((await web.get('/sign-in')).headers['cache-control']).toBe('no-store');
    await web.signIn(await s.staff(['LISTENER']));
    expect((await web.get('/my-work')).headers['cache-control']).toBe('no-store');
    expect((await web.get('/no-such-page')).headers['cache-control']).toBe('no-store');
    const asset = await web.agent.get('/assets/govuk-frontend.min.css').expect(200);
    expect(asset.headers['cache-control']).toMatch(/max-age=3600/);
  });

  it('shows the API documentation to a signed-in workbench user', async () => {
    const web = new WebClient(api);
    const anonymous = await web.agent.get('/api/docs').set('Accept', 'text/html');
    expect(anonymous.status).toBe(302);
    await web.signIn(await s.staff(['HEAD_OF_OMU']));
    const docs = await web.agent.get('/api/docs').set('Accept', 'text/html').redirects(1);
    expect(docs.status).toBe(200);
    expect(docs.text).toContain('swagger');
    await web.agent.get('/api/docs-json').expect(200);
  });
});
