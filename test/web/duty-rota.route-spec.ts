import { startApi, TestApi } from '../support/api';
import { Scenario, Staffer } from '../support/scenario';
import { errorSummaryLinks, WebClient } from './web-client';

/** A day after the run's, as a date input's parts (London time is UTC in winter, BST in summer). */
const tomorrow = () => {
  const d = new Date(Date.now() + 86_400_000);
  return { day: d.getUTCDate(), month: d.getUTCMonth() + 1, year: d.getUTCFullYear() };
};

describe('web: the duty security rota and my notification settings', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi();
  });

  afterAll(async () => {
    await api.close();
  });

  async function signedIn(staffer: Staffer) {
    const web = new WebClient(api);
    await web.signIn(staffer);
    return web;
  }

  it('a security manager adds a shift, sees the errors of a bad one, and removes it', async () => {
    const s = await Scenario.create(api);
    const security = await s.staff(['SECURITY_MANAGER']);
    const other = await s.staff(['SECURITY_MANAGER']);
    const web = await signedIn(security);

    const page = await web.get('/duty-rota');
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<h1[^>]*>\s*Duty security rota/);
    expect(page.text).toContain('Nobody is on the rota now.');
    expect(page.text).toContain(`value="${other.username}"`);

    const t = tomorrow();
    const bad = await web.post('/duty-rota', {
      username: '',
      'from-day': t.day,
      'from-month': t.month,
      'from-year': t.year,
      fromTime: '22:00',
      'to-day': t.day,
      'to-month': t.month,
      'to-year': t.year,
      toTime: '21:00',
    });
    expect(bad.status).toBe(400);
    expect(errorSummaryLinks(bad.text)).toEqual(['#username', '#to-day']);
    expect(bad.text).toContain('The shift must end after it starts');
    expect(bad.text).toMatch(/id="fromTime"[^>]*value="22:00"/);

    const added = await web.post('/duty-rota', {
      username: other.username,
      'from-day': t.day,
      'from-month': t.month,
      'from-year': t.year,
      fromTime: '06:00',
      'to-day': t.day,
      'to-month': t.month,
      'to-year': t.year,
      toTime: '14:00',
    });
    expect(added.status).toBe(303);
    const listed = await web.get('/duty-rota');
    expect(listed.text).toContain('The shift is on the duty rota');
    expect(listed.text).toContain(
      `data-qa="shift-person">Test SECURITY_MANAGER (${other.username})`,
    );
    const rows: { username: string }[] = await api.db.query(
      `SELECT username FROM duty_rota WHERE establishment_code = $1`,
      [s.establishment],
    );
    expect(rows.map((r) => r.username)).toEqual([other.username]);

    const removed = await web.post('/duty-rota/remove', { index: '0' });
    expect(removed.status).toBe(303);
    expect((await web.get('/duty-rota')).text).toContain('There are no shifts on the rota.');
  });

  it('is not for a POM', async () => {
    const s = await Scenario.create(api);
    const pom = await s.staff(['POM']);
    const web = await signedIn(pom);
    expect((await web.get('/duty-rota')).status).toBe(403);
  });

  it('anyone sets their email address and how escalations reach them', async () => {
    const s = await Scenario.create(api);
    const pom = await s.staff(['POM']);
    const web = await signedIn(pom);
    const page = await web.get('/notification-settings');
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/value="IMMEDIATE" checked/);

    const bad = await web.post('/notification-settings', {
      email: 'not an email',
      escalations: 'DAILY_DIGEST',
    });
    expect(bad.status).toBe(400);
    expect(errorSummaryLinks(bad.text)).toEqual(['#email']);
    expect(bad.text).toContain('Enter an email address, like name@justice.gov.uk');

    const saved = await web.post('/notification-settings', {
      email: 'jo.pom@justice.test',
      escalations: 'DAILY_DIGEST',
    });
    expect(saved.status).toBe(303);
    const again = await web.get('/notification-settings');
    expect(again.text).toContain('value="jo.pom@justice.test"');
    expect(again.text).toMatch(/value="DAILY_DIGEST" checked/);
    const [row] = await api.db.query<{ email: string; mode: string }[]>(
      `SELECT email, notify_escalations AS mode FROM staff WHERE username = $1`,
      [pom.username],
    );
    expect(row).toEqual({ email: 'jo.pom@justice.test', mode: 'DAILY_DIGEST' });
  });
});
