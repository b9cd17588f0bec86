import { bearer, startApi, TestApi } from '../support/api';
import { Scenario } from '../support/scenario';
import { WebClient } from './web-client';

/** The header's "Needs you": open escalations that are mine, monitoring decisions due. */
describe('web: the header counts what needs the signed-in user', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi();
  });

  afterAll(async () => {
    await api.close();
  });

  const needsMe = (html: string) =>
    /data-qa="needs-me"[^>]*>([\s\S]*?)<\/p>/
      .exec(html)?.[1]
      .replace(/<[^>]+>/g, '')
      .replace(/\s+/g, ' ')
      .trim() ?? null;

  it('a POM sees their open escalations, a security manager the decisions due, a listener nothing', async () => {
    const s = await Scenario.create(api);
    const pom = await s.staff(['POM']);
    const otherPom = await s.staff(['POM']);
    const head = await s.staff(['HEAD_OF_OMU']);
    const security = await s.staff(['SECURITY_MANAGER']);
    const listener = await s.staff(['LISTENER']);
    const raise = async (prisoner: string, reason: string) =>
      (
        await api.http
          .post(`/api/prisoners/${prisoner}/escalations`)
          .set(bearer(head.token))
          .send({ target: 'POM', reason })
          .expect(201)
      ).body as { id: string };
    await raise(await s.prisoner({ pomUsername: pom.username }), 'A worry about his mood');
    const second = await raise(
      await s.prisoner({ pomUsername: pom.username }),
      'Said he would stop eating',
    );

    const web = new WebClient(api);
    await web.signIn(pom);
    expect(needsMe((await web.get('/caseload')).text)).toBe('Needs you: 2 open escalations');
    // Acknowledged is still open; closed is not.
    await api.http
      .post(`/api/escalations/${second.id}/acknowledge`)
      .set(bearer(pom.token))
      .expect(200);
    expect(needsMe((await web.get('/caseload')).text)).toBe('Needs you: 2 open escalations');
    await api.http
      .post(`/api/escalations/${second.id}/close`)
      .set(bearer(pom.token))
      .send({ outcome: 'NO_FURTHER_ACTION', note: 'Spoke to him; he is eating.' })
      .expect(200);
    expect(needsMe((await web.get('/caseload')).text)).toBe('Needs you: 1 open escalation');

    // Another POM has none: no line at all.
    const other = new WebClient(api);
    await other.signIn(otherPom);
    const page = await other.get('/caseload');
    expect(page.status).toBe(200);
    expect(needsMe(page.text)).toBeNull();

    // A prisoner arriving with a public-protection marker opens a decision for the security manager.
    await s.prisoner({ alertCodes: ['RDV'] });
    const sec = new WebClient(api);
    await sec.signIn(security);
    expect(needsMe((await sec.get('/monitoring-decisions')).text)).toBe(
      'Needs you: 1 monitoring decision due',
    );

    const lis = new WebClient(api);
    await lis.signIn(listener);
    expect(needsMe((await lis.get('/my-work')).text)).toBeNull();
  });
});
