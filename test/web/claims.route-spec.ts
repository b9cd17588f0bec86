import { QueueService } from '../../src/queue/queue.service';
import { startApi, TestApi } from '../support/api';
import { Scenario, Staffer } from '../support/scenario';
import { WebClient } from './web-client';

const QUIET_LOG = {
  'contact-contactId': 'not-on-list',
  'contact-relationship': 'PARENT',
  'contact-confidence': 'CONFIRMED',
  themes: ['NO_CONCERNS'],
  threatCount: 1,
  concernLevel: 'NONE',
  summary: 'Spoke to his mother about visits and money for the canteen; nothing of concern.',
  recordingQuality: 'GOOD',
  action: 'submit',
};

/**
 * The workbench's side of "a claim belongs to the listener": every session of theirs can carry on
 * with the calls they hold, the button opens a held call rather than strand it, and a log submitted
 * after the session ended is kept for the listener to submit once signed in again.
 */
describe('web: claims across sessions', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi();
  });

  afterAll(async () => {
    await api.close();
  });

  async function world() {
    const s = await Scenario.create(api);
    const listener = await s.staff(['LISTENER']);
    const prisoner = await s.prisoner();
    await s.authorise(prisoner);
    await s.ingestAndTriage([
      s.call(prisoner),
      s.call(prisoner, { startedAt: new Date(Date.now() - 7_200_000).toISOString() }),
    ]);
    return { s, listener, prisoner };
  }

  async function signedIn(listener: Staffer) {
    const web = new WebClient(api);
    await web.signIn(listener);
    return web;
  }

  async function claimNext(web: WebClient) {
    await web.get('/my-work');
    const res = await web.post('/my-work/claim');
    expect(res.status).toBe(302);
    return /^\/calls\/([0-9a-f-]{36})\/listen$/.exec(res.headers.location)![1];
  }

  const statusOf = async (id: string) =>
    (await api.db.query<{ status: string }[]>(`SELECT status FROM calls WHERE id = $1`, [id]))[0]
      .status;

  it('lets a listener signed in again (another session) resume and log the call they hold', async () => {
    const { listener } = await world();
    const first = await signedIn(listener);
    const id = await claimNext(first);
    await first.post('/sign-out');

    const again = await signedIn(listener);
    const myWork = await again.get('/my-work');
    expect(myWork.text).toContain(`href="/calls/${id}/listen"`);
    expect(myWork.text).not.toContain('another session');
    const listen = await again.get(`/calls/${id}/listen`);
    expect(listen.status).toBe(200);
    expect(listen.text).toContain('data-qa="submit-log"');
    expect(listen.text).toContain('data-qa="release-form"');
    const logged = await again.post(`/calls/${id}/log`, QUIET_LOG);
    expect(logged.headers.location).toBe(`/calls/${id}/logged`);
    expect(await statusOf(id)).toBe('LOGGED');
  });

  it('opens the call held when Listen to next call is pressed again, in any tab, and claims nothing more', async () => {
    const { listener } = await world();
    const tabA = await signedIn(listener);
    const tabB = await signedIn(listener);
    const id = await claimNext(tabA);

    await tabB.get('/my-work');
    const pressed = await tabB.post('/my-work/claim');
    expect(pressed.headers.location).toBe(`/calls/${id}/listen`);
    const page = await tabB.get(`/calls/${id}/listen`);
    expect(page.text).toContain('You already hold this call');
    const held = await api.db.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM calls WHERE claimed_by = $1 AND status = 'CLAIMED'`,
      [listener.username],
    );
    expect(held[0].n).toBe(1);
  });

  it('tells a second tab that logs the same call that it is already logged', async () => {
    const { listener } = await world();
    const tabA = await signedIn(listener);
    const tabB = await signedIn(listener);
    const id = await claimNext(tabA);
    await tabA.get(`/calls/${id}/listen`);
    await tabB.get(`/calls/${id}/listen`);

    expect((await tabA.post(`/calls/${id}/log`, QUIET_LOG)).status).toBe(302);
    const second = await tabB.post(`/calls/${id}/log`, QUIET_LOG);
    expect(second.status).toBe(409);
    expect(second.text).toContain('This call has already been logged');
    const logs = await api.db.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM monitoring_logs WHERE call_id = $1`,
      [id],
    );
    expect(logs[0].n).toBe(1);
  });

  it('keeps a log submitted after the session ended, and gives it back after signing in', async () => {
    const { listener } = await world();
    const web = await signedIn(listener);
    const id = await claimNext(web);
    const page = await web.get(`/calls/${id}/listen`);
    const claimToken = /name="claimToken" value="([^"]+)"/.exec(page.text)![1];
    // The session ends (expired in the store) while the listener writes.
    await api.db.query(`DELETE FROM web_sessions`);

    const submitted = await web.post(`/calls/${id}/log`, {
      ...QUIET_LOG,
      summary: 'Half way through: he spoke of a parcel coming in on the next visit.',
      claimToken,
    });
    expect(submitted.status).toBe(303);
    expect(submitted.headers.location).toBe(
      `/sign-in?ended=log&returnTo=${encodeURIComponent(`/calls/${id}/listen`)}`,
    );
    const signIn = await web.get(submitted.headers.location);
    expect(signIn.text).toContain('Your session ended');
    expect(signIn.text).not.toContain('permission');
    // Kept sealed: the words are not in the table.
    const stored = await api.db.query<{ content: Buffer }[]>(
      `SELECT content FROM log_drafts WHERE call_id = $1`,
      [id],
    );
    expect(stored).toHaveLength(1);
    expect(stored[0].content.toString('latin1')).not.toContain('parcel');
    expect(await statusOf(id)).toBe('CLAIMED');

    await web.signIn(listener);
    const restored = await web.get(`/calls/${id}/listen`);
    expect(restored.text).toContain('data-qa="log-restored"');
    expect(restored.text).toContain('he spoke of a parcel coming in on the next visit.</textarea>');
    expect(restored.text).toMatch(/value="NONE" checked/);
    expect((await web.post(`/calls/${id}/log`, QUIET_LOG)).status).toBe(302);
    // Logged, the claim is over: the lease sweep forgets the draft.
    await api.app.get(QueueService).returnExpiredLeases();
    const left = await api.db.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM log_drafts WHERE call_id = $1`,
      [id],
    );
    expect(left[0].n).toBe(0);
  });

  it('keeps nothing for a token that is not the call’s live lease, and refuses the form', async () => {
    const { listener } = await world();
    const web = await signedIn(listener);
    const id = await claimNext(web);
    await web.get(`/calls/${id}/listen`);
    await api.db.query(`DELETE FROM web_sessions`);

    const forged = await web.post(`/calls/${id}/log`, {
      ...QUIET_LOG,
      claimToken: '00000000-0000-4000-8000-000000000000',
    });
    expect(forged.status).toBe(403);
    const drafts = await api.db.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM log_drafts WHERE call_id = $1`,
      [id],
    );
    expect(drafts[0].n).toBe(0);
  });

  it('asks a listener who holds a call what becomes of it before signing out', async () => {
    const { listener } = await world();
    const web = await signedIn(listener);
    const id = await claimNext(web);
    await web.get('/my-work');

    const asked = await web.post('/sign-out');
    expect(asked.status).toBe(303);
    expect(asked.headers.location).toBe('/sign-out');
    const question = await web.get('/sign-out');
    expect(question.text).toContain('Before you sign out');
    expect(question.text).toContain('data-qa="held-calls"');
    const unanswered = await web.post('/sign-out', { heldCalls: 'maybe' });
    expect(unanswered.status).toBe(400);
    expect(unanswered.text).toContain('Select what should happen to the calls you hold');
    expect(await statusOf(id)).toBe('CLAIMED');

    const out = await web.post('/sign-out', { heldCalls: 'release' });
    expect(out.headers.location).toBe('/sign-in?signedOut=released');
    expect(await statusOf(id)).toBe('PENDING');
    const audit = await api.db.query<{ details: Record<string, unknown> }[]>(
      `SELECT details FROM audit_events WHERE action = 'CLAIM_RELEASED' AND entity_id = $1`,
      [id],
    );
    expect(audit[0].details).toMatchObject({ reasonCode: 'END_OF_SHIFT' });
    const signIn = await web.get(out.headers.location);
    expect(signIn.text).toContain('You have signed out.');
    expect(signIn.text).toContain('The calls you held are back in the queue.');
    expect((await web.get('/my-work')).headers.location).toMatch(/^\/sign-in/);
  });

  it('keeps the call held through a sign-out when asked to, and signs out at once with none held', async () => {
    const { listener } = await world();
    const web = await signedIn(listener);
    const id = await claimNext(web);
    await web.get('/sign-out');
    const kept = await web.post('/sign-out', { heldCalls: 'keep' });
    expect(kept.headers.location).toBe('/sign-in?signedOut=kept');
    expect(await statusOf(id)).toBe('CLAIMED');

    const pom = await signedIn(await (await world()).s.staff(['POM']));
    await pom.get('/');
    const out = await pom.post('/sign-out');
    expect(out.headers.location).toBe('/sign-in?signedOut=yes');
  });

  it('saves a log whose lease ran out while it was written, if nobody took the call meanwhile', async () => {
    const { s, listener } = await world();
    const expire = (id: string) =>
      api.db.query(
        `UPDATE calls SET claim_expires_at = now() - interval '1 second' WHERE id = $1`,
        [id],
      );
    const web = await signedIn(listener);

    // Run out, not yet swept back to the queue.
    const first = await claimNext(web);
    await web.get(`/calls/${first}/listen`);
    await expire(first);
    expect((await web.post(`/calls/${first}/log`, QUIET_LOG)).status).toBe(302);
    expect(await statusOf(first)).toBe('LOGGED');

    // Run out and swept back; then taken by a colleague before the listener pressed Submit.
    const second = await claimNext(web);
    await web.get(`/calls/${second}/listen`);
    await expire(second);
    await api.app.get(QueueService).returnExpiredLeases();
    expect(await statusOf(second)).toBe('PENDING');
    const colleague = await s.staff(['LISTENER']);
    await s.claim(colleague).expect(200);
    const late = await web.post(`/calls/${second}/log`, QUIET_LOG);
    expect(late.status).toBe(409);
    expect(late.text).toContain('Another listener holds this call now');
  });

  it('gives the call back to the listener whose lease was swept while they wrote', async () => {
    const { listener } = await world();
    const web = await signedIn(listener);
    const id = await claimNext(web);
    await web.get(`/calls/${id}/listen`);
    await api.db.query(
      `UPDATE calls SET claim_expires_at = now() - interval '1 second' WHERE id = $1`,
      [id],
    );
    await api.app.get(QueueService).returnExpiredLeases();
    expect(await statusOf(id)).toBe('PENDING');

    expect((await web.post(`/calls/${id}/log`, QUIET_LOG)).status).toBe(302);
    expect(await statusOf(id)).toBe('LOGGED');
    const claims = await api.db.query<{ details: { reclaimed?: boolean } }[]>(
      `SELECT details FROM audit_events WHERE action = 'CALL_CLAIMED' AND entity_id = $1 ORDER BY at`,
      [id],
    );
    expect(claims.map((c) => c.details.reclaimed ?? false)).toEqual([false, true]);
  });
});
