import { startApi, TestApi } from '../support/api';
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
    expect(out.headers.location).toBe('/sign-in');
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

  it('refuses a form posted without the CSRF token with the GOV.UK 403 page', async () => {
    const listener = await s.staff(['LISTENER']);
    const web = new WebClient(api);
    await web.signIn(listener);
    const res = await web.post('/sign-out', {}, { csrf: false });
    expect(res.status).toBe(403);
    expect(res.text).toContain('You do not have permission to see this page');
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
});
