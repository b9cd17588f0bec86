import { bearer, startApi, TestApi } from '../support/api';
import { Scenario } from '../support/scenario';
import { errorSummaryLinks, WebClient } from './web-client';

describe('web: closing a MAPPA escalation with the level review’s outcome, and safer custody', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi();
  });

  afterAll(async () => {
    await api.close();
  });

  /** A MAPPA level 1 prisoner with a POM and a MAPPA escalation raised by a head of OMU. */
  async function world() {
    const s = await Scenario.create(api);
    const pom = await s.staff(['POM']);
    const head = await s.staff(['HEAD_OF_OMU']);
    const prisoner = await s.prisoner({
      pomUsername: pom.username,
      mappaCategory: 1,
      mappaLevel: 1,
    });
    const raise = async (target: string, reason: string) =>
      (
        await api.http
          .post(`/api/prisoners/${prisoner}/escalations`)
          .set(bearer(head.token))
          .send({ target, reason })
          .expect(201)
      ).body as { id: string };
    const mappa = await raise('MAPPA', 'Controlling behaviour at level 1: review the level');
    return { s, pom, head, prisoner, mappaId: mappa.id, raise };
  }

  it('the prisoner’s POM closes it with the new level and a rationale; the page and the profile show it', async () => {
    const { pom, prisoner, mappaId } = await world();
    const web = new WebClient(api);
    await web.signIn(pom);

    // The POM finds it among theirs, and gets the MAPPA form, not the outcome form.
    const inbox = await web.get('/escalations');
    expect(inbox.text).toContain(`href="/escalations/${mappaId}"`);
    const page = await web.get(`/escalations/${mappaId}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('data-qa="mappa-close-form"');
    expect(page.text).not.toContain('data-qa="close-form"');
    for (const words of [
      'MAPPA level changed',
      'MAPPA level confirmed',
      'Referred for MAPPA category 3',
      'No action needed',
      'New MAPPA level',
    ])
      expect(page.text).toContain(words);
    expect(page.text).not.toContain('Risk management plan updated');

    // Level changed without the level or a rationale: both named, in page order, as typed.
    const missing = await web.post(`/escalations/${mappaId}/close`, {
      outcome: 'LEVEL_CHANGED',
      rationale: '   ',
    });
    expect(missing.status).toBe(400);
    expect(errorSummaryLinks(missing.text)).toEqual(['#mappaLevel', '#rationale']);
    expect(missing.text).toContain('Select the new MAPPA level');
    expect(missing.text).toContain('Say why the review decided this');
    expect(missing.text).toMatch(/value="LEVEL_CHANGED" checked/);

    const noOutcome = await web.post(`/escalations/${mappaId}/close`, { rationale: 'typed' });
    expect(noOutcome.status).toBe(400);
    expect(errorSummaryLinks(noOutcome.text)).toEqual(['#outcome']);
    expect(noOutcome.text).toContain('Select what the level review decided');
    expect(noOutcome.text).toContain('typed</textarea>');

    // The level he already has: the service's refusal, in the form's words.
    const same = await web.post(`/escalations/${mappaId}/close`, {
      outcome: 'LEVEL_CHANGED',
      mappaLevel: '1',
      rationale: 'Reviewed with the police.',
    });
    expect(same.status).toBe(400);
    expect(errorSummaryLinks(same.text)).toEqual(['#mappaLevel']);
    expect(same.text).toContain('That is already the prisoner’s MAPPA level');

    const closed = await web.post(`/escalations/${mappaId}/close`, {
      outcome: 'LEVEL_CHANGED',
      mappaLevel: '2',
      rationale: 'Coercive control of his partner; agreed with the police at the MAPPA meeting.',
    });
    expect(closed.status).toBe(302);
    const after = await web.get('/escalations');
    expect(after.text).toContain('MAPPA level changed to level 2');

    const shown = await web.get(`/escalations/${mappaId}`);
    expect(shown.text).toMatch(
      /data-qa="escalation-outcome"[\s\S]*?MAPPA level changed to level 2/,
    );
    expect(shown.text).toMatch(
      /data-qa="escalation-rationale"[^>]*>Coercive control of his partner; agreed with the police/,
    );
    expect(shown.text).not.toContain('data-qa="mappa-close-form"');

    const profile = await web.get(`/prisoners/${prisoner}`);
    expect(profile.text).toContain('MAPPA level 2');
    expect(profile.text).toMatch(
      new RegExp(`data-qa="escalation-outcome-${mappaId}"[^>]*>MAPPA level changed to level 2<`),
    );
  });

  it('a head of OMU closes it as confirmed without a level; another POM may not close it', async () => {
    const { s, head, mappaId } = await world();
    const otherPom = await s.staff(['POM']);
    const other = new WebClient(api);
    await other.signIn(otherPom);
    const refused = await other.get(`/escalations/${mappaId}`);
    expect(refused.text).not.toContain('data-qa="mappa-close-form"');
    const post = await other.post(`/escalations/${mappaId}/close`, {
      outcome: 'LEVEL_CONFIRMED',
      rationale: 'Not my case.',
    });
    expect(post.status).toBe(403);

    const web = new WebClient(api);
    await web.signIn(head);
    await web.get(`/escalations/${mappaId}`);
    // A level sent with another outcome is ignored: the page asks for it only under "changed".
    const closed = await web.post(`/escalations/${mappaId}/close`, {
      outcome: 'LEVEL_CONFIRMED',
      mappaLevel: '3',
      rationale: 'Level 1 remains right: the police manage the risk in the community.',
    });
    expect(closed.status).toBe(302);
    const rows: { outcome: string; mappa_level: number | null; rationale: string }[] =
      await api.db.query(`SELECT outcome, mappa_level, rationale FROM escalations WHERE id = $1`, [
        mappaId,
      ]);
    expect(rows[0]).toEqual({
      outcome: 'LEVEL_CONFIRMED',
      mappa_level: null,
      rationale: 'Level 1 remains right: the police manage the risk in the community.',
    });
    const shown = await web.get(`/escalations/${mappaId}`);
    expect(shown.text).toMatch(/data-qa="escalation-outcome"[\s\S]*?MAPPA level confirmed/);
  });

  it('a safer custody escalation is the head’s and security’s, named in words, with the outcome form', async () => {
    const { s, head, pom, raise } = await world();
    const safer = await raise('SAFER_CUSTODY', 'Said he would hurt himself tonight');
    const security = await s.staff(['SECURITY_MANAGER']);
    for (const who of [head, security]) {
      const web = new WebClient(api);
      await web.signIn(who);
      const inbox = await web.get('/escalations');
      expect(inbox.text).toContain(`href="/escalations/${safer.id}"`);
      expect(inbox.text).toContain('Safer custody');
      expect(inbox.text).not.toContain('SAFER_CUSTODY');
      const page = await web.get(`/escalations/${safer.id}`);
      expect(page.text).toContain('Safer custody escalation for');
      expect(page.text).toContain('data-qa="close-form"');
      expect(page.text).not.toContain('data-qa="mappa-close-form"');
    }
    const web = new WebClient(api);
    await web.signIn(pom);
    const page = await web.get(`/escalations/${safer.id}`);
    expect(page.text).not.toContain('data-qa="close-form"');
  });
});
