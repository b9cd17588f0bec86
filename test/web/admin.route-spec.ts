import { startApi, TestApi } from '../support/api';
import { Scenario } from '../support/scenario';
import { errorSummaryLinks, WebClient } from './web-client';

/** The administrator's Staff page: the accounts, and switching one off and on again. */
describe('web: the administrator’s staff page', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi();
  });

  afterAll(async () => {
    await api.close();
  });

  // Read once the api has set the test environment up.
  const admin = () => ({
    username: process.env.ADMIN_USERNAME!,
    password: process.env.ADMIN_PASSWORD!,
  });

  it('lists the staff by role and switches an account off (its session ends) and on again', async () => {
    const s = await Scenario.create(api);
    const listener = await s.staff(['LISTENER'], { trainings: ['DOMESTIC_ABUSE'] });
    const pom = await s.staff(['POM']);
    const web = new WebClient(api);
    await web.signIn(admin());
    const theirs = new WebClient(api);
    await theirs.signIn(listener);
    expect((await theirs.get('/my-work')).status).toBe(200);

    const listeners = await web.get(`/staff?role=LISTENER&establishment=${s.establishment}`);
    expect(listeners.status).toBe(200);
    expect(listeners.text).toContain(listener.username);
    expect(listeners.text).toContain('Domestic abuse');
    expect(listeners.text).not.toContain('DOMESTIC_ABUSE');
    expect(listeners.text).not.toContain(pom.username);

    const off = await web.post(
      `/staff/${listener.username}/active?role=LISTENER&establishment=${s.establishment}`,
      {
        active: 'false',
      },
    );
    expect(off.status).toBe(303);
    expect(off.headers.location).toBe(`/staff?role=LISTENER&establishment=${s.establishment}`);
    const after = await web.get(off.headers.location);
    expect(after.text).toContain('is switched off');
    expect(after.text).toContain('Switched off');
    const rows = await api.db.query<{ active: boolean }[]>(
      `SELECT active FROM staff WHERE username = $1`,
      [listener.username],
    );
    expect(rows[0].active).toBe(false);
    // Their session ends (within the access cache's few seconds).
    await new Promise((r) => setTimeout(r, 5_500));
    expect((await theirs.get('/my-work')).headers.location).toMatch(/^\/sign-in/);

    await web.post(`/staff/${listener.username}/active`, { active: 'true' });
    const back = await api.db.query<{ active: boolean }[]>(
      `SELECT active FROM staff WHERE username = $1`,
      [listener.username],
    );
    expect(back[0].active).toBe(true);
  });

  it('records training dates with date inputs, shows an expired one in red, and keeps the dates when switching off', async () => {
    const s = await Scenario.create(api);
    const listener = await s.staff(['LISTENER'], { trainings: ['PUBLIC_PROTECTION'] });
    const web = new WebClient(api);
    await web.signIn(admin());
    const form = await web.get(`/staff/${listener.username}/trainings`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('Trained in Domestic abuse');

    // Expiry before completion: the form again, the error linked to the expiry date.
    const bad = await web.post(`/staff/${listener.username}/trainings`, {
      held: ['DOMESTIC_ABUSE'],
      'DOMESTIC_ABUSE-completedOn-day': '1',
      'DOMESTIC_ABUSE-completedOn-month': '2',
      'DOMESTIC_ABUSE-completedOn-year': '2026',
      'DOMESTIC_ABUSE-expiresOn-day': '31',
      'DOMESTIC_ABUSE-expiresOn-month': '1',
      'DOMESTIC_ABUSE-expiresOn-year': '2026',
    });
    expect(bad.status).toBe(400);
    expect(errorSummaryLinks(bad.text)).toEqual(['#DOMESTIC_ABUSE-expiresOn-day']);
    expect(bad.text).toContain('must be after the date it was completed');

    const saved = await web.post(`/staff/${listener.username}/trainings`, {
      held: ['DOMESTIC_ABUSE', 'CHILD_SAFEGUARDING'],
      'DOMESTIC_ABUSE-completedOn-day': '1',
      'DOMESTIC_ABUSE-completedOn-month': '2',
      'DOMESTIC_ABUSE-completedOn-year': '2024',
      'DOMESTIC_ABUSE-expiresOn-day': '1',
      'DOMESTIC_ABUSE-expiresOn-month': '2',
      'DOMESTIC_ABUSE-expiresOn-year': '2026',
      'CHILD_SAFEGUARDING-expiresOn-day': '5',
      'CHILD_SAFEGUARDING-expiresOn-month': '3',
      'CHILD_SAFEGUARDING-expiresOn-year': '2099',
    });
    expect(saved.status).toBe(303);
    const list = await web.get(`/staff?role=LISTENER&establishment=${s.establishment}`);
    expect(list.text).toContain('Expired on 1 February 2026');
    expect(list.text).toContain('govuk-tag--red');
    expect(list.text).toContain('(until 5 March 2099)');
    const stored = () =>
      api.db.query<{ trainings: string[]; completed: string[]; expires: string[] }[]>(
        `SELECT trainings, training_completed_on::text[] AS completed,
                training_expires_on::text[] AS expires FROM staff WHERE username = $1`,
        [listener.username],
      );
    const expected = [
      {
        trainings: ['DOMESTIC_ABUSE', 'CHILD_SAFEGUARDING'],
        completed: ['2024-02-01', null],
        expires: ['2026-02-01', '2099-03-05'],
      },
    ];
    expect(await stored()).toEqual(expected);

    await web.post(`/staff/${listener.username}/active`, { active: 'false' });
    expect(await stored()).toEqual(expected);
  });

  it('refuses to switch off the administrator’s own account, and the page to anyone else', async () => {
    const s = await Scenario.create(api);
    const web = new WebClient(api);
    await web.signIn(admin());
    await web.get('/staff');
    const self = await web.post(`/staff/${admin().username}/active`, { active: 'false' });
    expect(self.status).toBe(409);
    expect(self.text).toContain('You cannot switch off your own account');
    const head = new WebClient(api);
    await head.signIn(await s.staff(['HEAD_OF_OMU']));
    expect((await head.get('/staff')).status).toBe(403);
  });
});
