import { startApi, TestApi } from '../support/api';
import { Scenario } from '../support/scenario';
import { WebClient } from './web-client';

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
