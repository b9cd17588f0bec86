import { bearer, startApi, TestApi } from '../support/api';
import { highLogWithThreat, Scenario, Staffer } from '../support/scenario';
import { WebClient } from './web-client';

const ALL_TRAININGS = ['PUBLIC_PROTECTION', 'DOMESTIC_ABUSE', 'CHILD_SAFEGUARDING'];

interface Claimed {
  call: { id: string; prisonNumber: string };
  claim: { token: string };
}

/** The markup of the first element with this data-qa attribute, up to the end of its table or list. */
const section = (html: string, qa: string): string =>
  new RegExp(`data-qa="${qa}"[\\s\\S]*?</(table|dl|ul|section)>`).exec(html)?.[0] ?? '';

/** "Test POM (pom-…)": a member of staff other than the one signed in, as the pages name them. */
const named = (who: Staffer, displayName: string) => `${displayName} (${who.username})`;

/**
 * Pages that list prisoners by number and staff by username show the prisoner's name with the
 * number and the person's display name with the username (issue 19 item 3).
 */
describe('web: prisoners and staff by name', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi();
  });

  afterAll(async () => {
    await api.close();
  });

  /**
   * Zak Zebra, monitored (requested by a security manager, approved by a head of OMU, review
   * overdue), led by a listener who logged a threat on one call (escalated to the POM and the IRMM)
   * and holds a second; a third waits. Al Aardvark arrived with markers and no decision yet.
   */
  async function world() {
    const s = await Scenario.create(api);
    const pom = await s.staff(['POM']);
    const head = await s.staff(['HEAD_OF_OMU']);
    const security = await s.staff(['SECURITY_MANAGER']);
    const listener = await s.staff(['LISTENER'], { trainings: ALL_TRAININGS });
    const zebra = await s.prisoner({
      firstName: 'Zak',
      lastName: 'Zebra',
      pomUsername: pom.username,
      leadListenerUsername: listener.username,
      mappaCategory: 2,
      mappaLevel: 1,
    });
    const aardvark = await s.prisoner({
      firstName: 'Al',
      lastName: 'Aardvark',
      alertCodes: ['RDV', 'ROH'],
    });
    const authorisation = await s.authorise(zebra, {}, { requester: security, approver: head });
    await api.db.query(
      `UPDATE monitoring_authorisations SET review_due_at = now() - interval '1 day' WHERE id = $1`,
      [authorisation],
    );
    await s.ingestAndTriage([s.call(zebra), s.call(zebra), s.call(zebra)]);
    const first = (await s.claim(listener).expect(200)).body as Claimed;
    const logged = await api.http
      .post(`/api/calls/${first.call.id}/log`)
      .set(bearer(listener.token))
      .send(highLogWithThreat(first.claim.token))
      .expect(201);
    const logId = (logged.body as { log: { id: string } }).log.id;
    await s.claim(listener).expect(200);
    const signedIn = async (who: Staffer) => {
      const web = new WebClient(api);
      await web.signIn(who);
      return web;
    };
    return { s, pom, head, security, listener, zebra, aardvark, authorisation, logId, signedIn };
  }

  it('the listener’s calls held, on My work and before signing out', async () => {
    const { listener, zebra, signedIn } = await world();
    const web = await signedIn(listener);
    const work = await web.get('/my-work');
    expect(work.status).toBe(200);
    expect(section(work.text, 'current-claim')).toContain(`Zebra, Zak (${zebra})`);
    const signOut = await web.get('/sign-out');
    expect(signOut.status).toBe(200);
    expect(signOut.text).toContain(`Zebra, Zak (${zebra})`);
  });

  it('the head’s queue, reviews, risk flags and IRMM agenda', async () => {
    const { head, pom, zebra, signedIn } = await world();
    const web = await signedIn(head);
    const queue = await web.get('/queue');
    expect(queue.status).toBe(200);
    expect(queue.text).toMatch(
      new RegExp(
        `data-qa="queue-prisoner" href="/prisoners/${zebra}">Zebra, Zak</a><br><span class="govuk-body-s">${zebra}</span>`,
      ),
    );
    const reviews = await web.get('/authorisations/reviews');
    expect(reviews.text).toMatch(new RegExp(`data-qa="review-prisoner"[^>]*>Zebra, Zak</a>`));
    const flags = await web.get('/risk-flags?type=MONITORING_REVIEW_OVERDUE');
    expect(flags.text).toMatch(new RegExp(`data-qa="flag-prisoner"[^>]*>Zebra, Zak</a>`));
    const irmm = await web.get('/irmm');
    expect(irmm.status).toBe(200);
    expect(section(irmm.text, `agenda-item-${zebra}`)).toContain(named(pom, 'Test POM'));
  });

  it('the backlog’s listeners table names the prisoners each listener leads for', async () => {
    const { head, zebra, signedIn } = await world();
    const web = await signedIn(head);
    const backlog = await web.get('/backlog');
    expect(backlog.status).toBe(200);
    expect(section(backlog.text, 'listeners-table')).toContain(`Zebra, Zak (${zebra})`);
    expect(backlog.text).toMatch(
      new RegExp(`data-qa="listener-lead"[^>]*>Zebra, Zak \\(${zebra}\\)</td>`),
    );
  });

  it('risk flags about no prisoner: the POM by name, the language by its English name', async () => {
    const { s, head, pom, zebra, signedIn } = await world();
    await s.prisoner({ pomUsername: pom.username });
    await s.settings({ pomCaseloadThreshold: 1 });
    await s.ingestAndTriage([s.call(zebra, { language: 'ro' })]);
    const web = await signedIn(head);
    const caseload = await web.get('/risk-flags?type=POM_CASELOAD_HIGH');
    expect(caseload.status).toBe(200);
    expect(caseload.text).toContain(`data-qa="flag-subject">${named(pom, 'Test POM')}</span>`);
    const language = await web.get('/risk-flags?type=NO_LISTENER_FOR_LANGUAGE');
    expect(language.status).toBe(200);
    expect(language.text).toContain('data-qa="flag-subject">Romanian</span>');
  });

  it('the POM’s escalations, an escalation, a log and the prisoner page', async () => {
    const { pom, head, listener, zebra, logId, signedIn } = await world();
    const web = await signedIn(pom);
    const inbox = await web.get('/escalations');
    expect(inbox.status).toBe(200);
    const row = /data-qa="escalation-prisoner-([0-9a-f-]{36})"[^>]*>Zebra, Zak<\/a>/.exec(
      inbox.text,
    );
    expect(row).not.toBeNull();
    const escalation = await web.get(`/escalations/${row![1]}`);
    expect(escalation.text).toContain(`escalation for Zebra, Zak (${zebra})</h1>`);
    expect(escalation.text).toContain(`by ${named(listener, 'Test LISTENER')}`);
    // The signed-in POM is themself by their display name alone.
    expect(section(escalation.text, 'escalation-details')).toMatch(/Assigned to[\s\S]*Test POM/);
    const acknowledged = await web.post(`/escalations/${row![1]}/acknowledge`);
    expect(acknowledged.status).toBe(302);
    const after = await web.get(`/escalations/${row![1]}`);
    expect(after.text).toContain(`Zebra, Zak (${zebra}): close it with an outcome`);

    const log = await web.get(`/logs/${logId}`);
    expect(log.text).toMatch(new RegExp(`data-qa="log-prisoner">Zebra, Zak \\(${zebra}\\)<`));
    expect(log.text).toContain(named(listener, 'Test LISTENER'));

    const asHead = await signedIn(head);
    const profile = await asHead.get(`/prisoners/${zebra}`);
    expect(profile.status).toBe(200);
    expect(profile.text).toContain(named(pom, 'Test POM'));
    expect(profile.text).toContain(named(listener, 'Test LISTENER'));
  });

  it('authorisations and monitoring decisions', async () => {
    const { head, security, zebra, aardvark, authorisation, signedIn } = await world();
    const web = await signedIn(head);
    const list = await web.get('/authorisations');
    expect(list.status).toBe(200);
    expect(list.text).toMatch(
      new RegExp(
        `data-qa="authorisation-link" href="/authorisations/${authorisation}">Zebra, Zak<span[^>]*>[^<]*</span></a><br><span class="govuk-body-s">${zebra}</span>`,
      ),
    );
    expect(section(list.text, 'authorisations')).toContain(
      named(security, 'Test SECURITY_MANAGER'),
    );
    const one = await web.get(`/authorisations/${authorisation}`);
    expect(one.text).toContain(`monitoring of Zebra, Zak (${zebra})</h1>`);
    expect(one.text).toMatch(new RegExp(`data-qa="prisoner-link"[^>]*>Zebra, Zak</a>`));
    expect(one.text).toContain(`data-qa="requested">${named(security, 'Test SECURITY_MANAGER')}, `);

    const decisions = await web.get('/monitoring-decisions');
    expect(decisions.status).toBe(200);
    expect(section(decisions.text, 'decisions')).toContain(`Aardvark, Al (${aardvark})`);
    const id = /href="\/monitoring-decisions\/([0-9a-f-]{36})"/.exec(decisions.text)?.[1];
    const decision = await web.get(`/monitoring-decisions/${id}`);
    expect(decision.text).toContain(`Decide on monitoring Aardvark, Al (${aardvark})</h1>`);
  });
});
