/// <reference lib="dom" />
import * as path from 'node:path';
import { randomMobile, Scenario } from '../support/scenario';
import { BacklogPage, CaseloadPage, EscalationsPage, MyWorkPage, SignInPage } from './pages/pages';
import { signOutHolding } from './pages/claims';
import { RecordingPlayer } from './pages/recording-player';
import { checkPage, useWorkbench } from './support/browser';

const ALL_TRAININGS = ['PUBLIC_PROTECTION', 'DOMESTIC_ABUSE', 'CHILD_SAFEGUARDING'];
/** The demo's synthetic voice clips: real audio the browser can load. */
const DEMO_RECORDINGS = path.resolve(__dirname, '../../demo/recordings');

jest.setTimeout(180_000);

/**
 * The workbench in a real browser (Debian's Chromium driven by playwright-core), as the people who
 * use it work: a listener hears and logs a threat, the POM acts on the escalation, the head of OMU
 * sees the backlog fall. Every page on the way passes axe-core's WCAG 2.2 AA rules.
 */
describe('browser: from a threat heard to the POM’s action', () => {
  const wb = useWorkbench({ RECORDINGS_DIR: DEMO_RECORDINGS });

  /**
   * A prisoner on MAPPA level 2 with a domestic abuse alert, led by the listener, with a POM; two
   * calls waiting: one to his victim an hour ago, one to an unknown number two hours ago.
   */
  async function world() {
    const s = await Scenario.create(wb.server.api);
    const listener = await s.staff(['LISTENER'], { trainings: ALL_TRAININGS });
    const pom = await s.staff(['POM']);
    const head = await s.staff(['HEAD_OF_OMU']);
    const prisoner = await s.prisoner({
      firstName: 'Darren',
      lastName: 'Hale',
      mappaCategory: 1,
      mappaLevel: 2,
      roshLevel: 'HIGH',
      alertCodes: ['RDV'],
      leadListenerUsername: listener.username,
      pomUsername: pom.username,
    });
    const victimNumber = randomMobile();
    await s.contact(prisoner, {
      name: 'Jane Victim',
      relationship: 'EX_PARTNER',
      isVictim: true,
      phoneNumbers: [victimNumber],
    });
    await s.authorise(prisoner);
    await s.ingestAndTriage([
      s.call(prisoner, { dialledNumber: victimNumber, recordingRef: 'demo/clip-1.wav' }),
      s.call(prisoner, {
        startedAt: new Date(Date.now() - 7_200_000).toISOString(),
        recordingRef: 'demo/clip-2.wav',
      }),
    ]);
    return { s, listener, pom, head, prisoner };
  }

  const openSignIn = () => SignInPage.open(wb.browser.page, wb.server.baseUrl);

  it('a listener logs a HIGH concern with a threat; the POM acknowledges and closes it; the backlog falls by one', async () => {
    const { listener, pom, head, prisoner } = await world();
    const { page } = wb.browser;

    // The head of OMU looks at the backlog first.
    let signInPage = await openSignIn();
    await checkPage(page, 'sign-in');
    let backlog = await (await signInPage.signInAs(head, BacklogPage)).goTo('Backlog', BacklogPage);
    const waitingBefore = await backlog.waiting();
    expect(waitingBefore).toBe(2);
    signInPage = await backlog.signOut();

    // The listener takes the next call: the one to the victim comes first.
    const myWork = await (
      await signInPage.signInAs(listener, MyWorkPage)
    ).goTo('My work', MyWorkPage);
    await expect(myWork.qa(`waiting-${prisoner}`).innerText()).resolves.toBe('2');
    await checkPage(page, 'my-work');
    const listen = await myWork.listenToNextCall();
    await expect(listen.heading().innerText()).resolves.toContain(prisoner);
    await expect(listen.qa('priority-reasons').innerText()).resolves.toMatch(/victim/i);
    await expect(listen.qa('contacts').innerText()).resolves.toContain('Jane Victim');

    // The listener presses play: the recording streams through the audited endpoint (the player
    // fetches nothing before), and that play is audited once.
    await new RecordingPlayer(page).pressPlay();
    const audio = await listen.audioLoaded();
    expect(audio.error).toBeNull();
    expect(audio.readyState).toBeGreaterThanOrEqual(1);
    expect(audio.duration).toBeGreaterThan(1);
    const played = await wb.server.api.db.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM audit_events
        WHERE action = 'RECORDING_PLAYED' AND username = $1`,
      [listener.username],
    );
    expect(played[0].n).toBe(1);
    await checkPage(page, 'listen-and-log');

    // The structured log: who was called, what was heard, the threat in the words used.
    await listen.chooseContact('Jane Victim');
    await listen.choose('contact-confidence', 'CONFIRMED');
    await listen.choose('themes', 'THREATS_TO_HARM');
    await listen.choose('themes', 'CONTROLLING_BEHAVIOUR');
    await listen.threat(0, {
      target: 'Jane (ex-partner)',
      type: 'PHYSICAL',
      imminence: 'ON_RELEASE',
      quote: 'When I get out you will pay for this',
    });
    await listen.choose('concernLevel', 'HIGH');
    await listen.fill(
      'summary',
      'Told his ex-partner she would pay for this when he is released; he knows where she lives now.',
    );
    await listen.choose('recordingQuality', 'GOOD');
    const logged = await listen.submitLogExpectingSaved();
    await expect(logged.qa('log-saved').innerText()).resolves.toMatch(/high concern/i);
    const escalatedTo = (await logged.escalations()).map((row) => row[0]);
    expect(escalatedTo).toEqual(
      expect.arrayContaining([expect.stringMatching(/POM|offender manager/i)]),
    );
    expect(escalatedTo.length).toBeGreaterThanOrEqual(2); // the POM and the IRMM at least
    await checkPage(page, 'log-saved');
    signInPage = await logged.signOut();

    // The POM sees it in the caseload and the inbox, acknowledges it and closes it with an outcome.
    const caseload = await (
      await signInPage.signInAs(pom, CaseloadPage)
    ).goTo('My caseload', CaseloadPage);
    await expect(caseload.unread(prisoner).innerText()).resolves.toBe('1');
    await expect(caseload.openEscalations(prisoner).innerText()).resolves.toBe(
      String(escalatedTo.length),
    );
    await checkPage(page, 'caseload');
    const inbox = await caseload.goTo('Escalations', EscalationsPage);
    await checkPage(page, 'escalations');
    const escalation = await inbox.open(prisoner, 'POM');
    await expect(escalation.status().innerText()).resolves.toContain('Open');
    await expect(escalation.qa('escalation-logs').innerText()).resolves.toContain(
      'you will pay for this',
    );
    await checkPage(page, 'escalation');
    await escalation.acknowledge();
    await expect(escalation.status().innerText()).resolves.toContain('Acknowledged');
    const escalationUrl = page.url();
    const inboxAfter = await escalation.close(
      'RISK_MANAGEMENT_PLAN_UPDATED',
      'Victim liaison told; licence conditions reviewed.',
    );
    await expect(inboxAfter.flash().innerText()).resolves.toContain('Escalation closed');
    await page.goto(escalationUrl);
    await expect(escalation.status().innerText()).resolves.toContain('Closed');
    await expect(escalation.qa('escalation-outcome').innerText()).resolves.toContain(
      'Risk management plan updated',
    );
    signInPage = await escalation.signOut();

    // The head of OMU sees one call fewer waiting.
    backlog = await (await signInPage.signInAs(head, BacklogPage)).goTo('Backlog', BacklogPage);
    await expect(backlog.waiting()).resolves.toBe(waitingBefore - 1);
    await checkPage(page, 'backlog');
    await backlog.signOut();
  });

  it('shows a log form’s errors in the error summary, linked to each field, and keeps what was typed', async () => {
    const { listener, prisoner } = await world();
    const { page } = wb.browser;
    const signInPage = await openSignIn();
    const myWork = await (
      await signInPage.signInAs(listener, MyWorkPage)
    ).goTo('My work', MyWorkPage);
    const listen = await myWork.listenToNextCall();
    await expect(listen.heading().innerText()).resolves.toContain(prisoner);

    // The desk chose the dialled contact (probable) and a good recording; the listener says it was
    // someone not on the list, and leaves the relationship and the level unsaid.
    await listen.page.getByRole('radio', { name: /^Someone not on the contact list/ }).check();
    await listen.choose('themes', 'THREATS_TO_HARM');
    await listen.fill('contact-name', 'Jane');
    await listen.fill('summary', 'Too short to say anything');
    await listen.submitLog();

    await expect(page.title()).resolves.toMatch(/^Error: /);
    await expect(listen.errorSummary().innerText()).resolves.toContain('There is a problem');
    const links = await listen.errorLinks();
    const targets = links.map((l) => l.href);
    expect(targets).toEqual(['#contact-relationship', '#concernLevel', '#summary']);
    // Each link leads to a field on the page.
    for (const href of targets) await expect(page.locator(href).count()).resolves.toBe(1);
    // What the listener typed and ticked is still there.
    await expect(page.locator('[name="summary"]').inputValue()).resolves.toBe(
      'Too short to say anything',
    );
    await expect(page.locator('[name="contact-name"]').inputValue()).resolves.toBe('Jane');
    await expect(
      page.locator('input[name="themes"][value="THREATS_TO_HARM"]').isChecked(),
    ).resolves.toBe(true);
    // Following a link moves focus to its field.
    await listen.errorSummary().locator('a[href="#summary"]').click();
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('summary');
    await checkPage(page, 'listen-and-log-errors');
    // Holding the call, sign-out asks what becomes of it.
    await signOutHolding(page, 'release');
  });
});
