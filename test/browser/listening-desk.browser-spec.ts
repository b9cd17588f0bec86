/// <reference lib="dom" />
import * as path from 'node:path';
import { randomMobile, Scenario, type Staffer } from '../support/scenario';
import { ListeningDesk } from './pages/listening-desk';
import { MyWorkPage, SignInPage } from './pages/pages';
import { checkPage, useWorkbench } from './support/browser';

/** The demo's synthetic voice clips (about 6 s each): real audio the browser can play. */
const DEMO_RECORDINGS = path.resolve(__dirname, '../../demo/recordings');

jest.setTimeout(180_000);

const DESKTOP = { width: 1366, height: 768 };
const PHONE = { width: 375, height: 740 };

/**
 * The listening desk with the keyboard alone, as a listener works a shift: play, skip, change the
 * speed, play from a transcript line, mark a moment in the log, log a call with no concerns in at
 * most five actions, and log a threat, with the player in view all the while, on a 1,366 × 768
 * screen and on a phone 375 px wide. Every page passes axe-core's WCAG 2.2 AA rules.
 */
describe('browser: the listening desk', () => {
  const wb = useWorkbench({ RECORDINGS_DIR: DEMO_RECORDINGS });

  /** Darren Hale, led by the listener, with one call waiting: to his partner Zoe, transcribed. */
  async function world(transcript: { at: number; text: string }[]) {
    const s = await Scenario.create(wb.server.api);
    const listener = await s.staff(['LISTENER'], {
      trainings: ['PUBLIC_PROTECTION', 'DOMESTIC_ABUSE', 'CHILD_SAFEGUARDING'],
    });
    const prisoner = await s.prisoner({
      firstName: 'Darren',
      lastName: 'Hale',
      leadListenerUsername: listener.username,
    });
    const zoeNumber = randomMobile();
    const zoe = await s.contact(prisoner, {
      name: 'Zoe Evans',
      relationship: 'PARTNER',
      phoneNumbers: [zoeNumber],
    });
    await s.authorise(prisoner);
    await s.ingestAndTriage([
      s.call(prisoner, {
        dialledNumber: zoeNumber,
        recordingRef: 'demo/clip-1.wav',
        durationSeconds: 6,
        transcript: { segments: transcript },
      }),
    ]);
    const [call] = await s.callsOf(prisoner);
    return { s, listener, prisoner, zoe, callId: call.id };
  }

  /** Signs in and opens the next call with the keyboard (Enter on "Listen to next call"). */
  async function openDesk(listener: Staffer, viewport: { width: number; height: number }) {
    const { page } = wb.browser;
    await page.setViewportSize(viewport);
    const signIn = await SignInPage.open(page, wb.server.baseUrl);
    await signIn.signInAs(listener, MyWorkPage);
    // By its address: on a phone the navigation is behind a Menu button.
    await page.goto(`${wb.server.baseUrl}/my-work`);
    const myWork = new MyWorkPage(page);
    await myWork.qa('listen-next').focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/calls\/[^/]+\/listen$/);
    await page.waitForLoadState('networkidle');
    return new ListeningDesk(page);
  }

  const db = () => wb.server.api.db;
  const plays = async (callId: string) =>
    (
      await db().query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM audit_events WHERE action = 'RECORDING_PLAYED' AND entity_id = $1`,
        [callId],
      )
    )[0].n;
  const logOf = async (callId: string) =>
    (
      await db().query<
        {
          contactId: string | null;
          confidence: string;
          concernLevel: string;
          themeCodes: string[];
          threats: { target: string; type: string; imminence: string; quote?: string }[];
          summary: string;
          recordingQuality: string;
        }[]
      >(
        `SELECT contact_id AS "contactId", confidence, concern_level AS "concernLevel", theme_codes AS "themeCodes",
                threats, summary, recording_quality AS "recordingQuality"
         FROM monitoring_logs WHERE call_id = $1`,
        [callId],
      )
    )[0];

  const QUIET = [
    { at: 0, text: 'Hiya Zoe, it is me.' },
    { at: 2, text: 'How is mum doing after the operation?' },
    { at: 4, text: 'Tell her I will ring on Sunday.' },
  ];

  it('logs a call with no concerns in three actions at 1,366 × 768: Alt+K, Alt+N, Enter', async () => {
    const { listener, zoe, callId } = await world(QUIET);
    const desk = await openDesk(listener, DESKTOP);
    const { page } = wb.browser;

    // One screen: the call, why it is here and the player, with nothing fetched before play.
    await expect(desk.heading().innerText()).resolves.toContain('Darren Hale');
    expect((await desk.playerInView()).inView).toBe(true);
    await expect(desk.qa('priority-reasons').isVisible()).resolves.toBe(true);
    expect(await desk.state()).toMatchObject({ preload: 'none', readyState: 0, paused: true });
    expect(await plays(callId)).toBe(0);
    // The dialled contact is chosen, with its relationship; the recording taken as good.
    await expect(desk.checked('contact-contactId')).resolves.toEqual([zoe]);
    await expect(
      page.getByRole('radio', { name: /^Zoe Evans \(Partner\), the number dialled/ }).isChecked(),
    ).resolves.toBe(true);
    await expect(desk.checked('recordingQuality')).resolves.toEqual(['GOOD']);
    await desk.snapshot('1366-open');
    await checkPage(page, 'listening-desk');

    await desk.press('Alt+KeyK'); // 1: play
    await desk.playingPast(0.3);
    expect(await plays(callId)).toBe(1);
    await desk.press('Alt+KeyN'); // 2: no concerns (the level None, the summary written)
    await expect(desk.checked('themes')).resolves.toEqual(['NO_CONCERNS']);
    await expect(desk.checked('concernLevel')).resolves.toEqual(['NONE']);
    await expect(desk.summary()).resolves.toBe(
      'Listened to the call to Zoe Evans (partner): nothing of concern was heard.',
    );
    await expect(
      desk.qa('submit-log').evaluate((el) => el === document.activeElement),
    ).resolves.toBe(true);
    await desk.snapshot('1366-no-concerns');
    await desk.press('Enter'); // 3: submit
    const logged = await desk.saved();
    expect(desk.actions).toBeLessThanOrEqual(5);
    expect(desk.tabs).toBe(0);
    await expect(logged.qa('log-saved').innerText()).resolves.toMatch(/no concern/i);
    await expect(logOf(callId)).resolves.toMatchObject({
      contactId: zoe,
      confidence: 'PROBABLE',
      concernLevel: 'NONE',
      themeCodes: ['NO_CONCERNS'],
      threats: [],
      recordingQuality: 'GOOD',
    });

    // My work counts it as logged this shift; nothing else waits.
    await page.goto(`${wb.server.baseUrl}/my-work`);
    const myWork = new MyWorkPage(page);
    await expect(myWork.qa('logged-this-shift').innerText()).resolves.toBe('1');
    await expect(myWork.qa('queue-waiting').innerText()).resolves.toBe('0');
    await checkPage(page, 'my-work-shift');
  });

  it('with the keyboard alone: play, skip, speed, a transcript line, a moment marked, a threat logged; errors keep the player', async () => {
    const { listener, callId } = await world([
      { at: 0, text: 'Listen to me Zoe.' },
      { at: 2, text: 'I am going to kill him when I get out.' },
      { at: 4, text: 'You tell him that.' },
    ]);
    const desk = await openDesk(listener, DESKTOP);
    const { page } = wb.browser;
    // A mark on this document: a reload would lose it.
    await page.evaluate(() => document.body.setAttribute('data-test-same-page', 'yes'));
    const samePage = () => page.locator('body[data-test-same-page="yes"]').count();
    await expect(desk.qa('hit-mark').count()).resolves.toBe(1);
    await expect(desk.qa('transcript-hit').innerText()).resolves.toMatch(/kill him/);

    // Play, pause, and the skips.
    await desk.press('Alt+KeyK');
    await desk.playingPast(0.5);
    await desk.press('Alt+KeyK');
    const t0 = (await desk.paused()).currentTime;
    const duration = (await desk.state()).duration;
    await desk.press('Alt+KeyL');
    expect((await desk.state()).currentTime).toBeCloseTo(Math.min(t0 + 5, duration), 0);
    await desk.press('Alt+KeyJ');
    expect((await desk.state()).currentTime).toBeCloseTo(
      Math.max(0, Math.min(t0 + 5, duration) - 5),
      0,
    );
    await desk.press('Shift+Alt+KeyL');
    expect((await desk.state()).currentTime).toBeCloseTo(duration, 0);
    await desk.press('Shift+Alt+KeyJ');
    expect((await desk.state()).currentTime).toBe(0);
    await desk.press('Alt+Period');
    await expect(desk.player().evaluate((a) => (a as HTMLAudioElement).playbackRate)).resolves.toBe(
      1.25,
    );
    await expect(desk.qa('speed').inputValue()).resolves.toBe('1.25');
    await desk.press('Alt+Comma');
    await expect(desk.player().evaluate((a) => (a as HTMLAudioElement).playbackRate)).resolves.toBe(
      1,
    );

    // The transcript is one tab stop: the arrow keys move between lines, Enter plays from one.
    await desk.tabTo(desk.qa('transcript-seek').first());
    await desk.press('ArrowDown');
    await desk.press('Enter');
    const fromLine = await desk.playingPast(2);
    expect(fromLine.currentTime).toBeLessThan(4);
    await desk.press('Alt+KeyK');
    await desk.paused();

    // The themes and the level, by Tab, Space and the arrow keys.
    await desk.tabTo(page.locator('input[name="themes"][value="THREATS_TO_HARM"]'));
    await desk.press('Space');
    await desk.tabTo(page.locator('input[name="concernLevel"][value="NONE"]'));
    for (let i = 0; i < 3; i++) await desk.press('ArrowRight');
    await expect(desk.checked('concernLevel')).resolves.toEqual(['HIGH']);

    // The threat, its words marked from the moment heard (Alt+M while typing in the quote).
    await desk.tabTo(page.locator('#threats-0-target'));
    await desk.type('Her ex-partner');
    await desk.tabTo(page.locator('input[name="threats-0-type"][value="PHYSICAL"]'));
    await desk.press('Space');
    await desk.tabTo(page.locator('input[name="threats-0-imminence"][value="IMMEDIATE"]'));
    await desk.press('ArrowRight');
    await desk.tabTo(page.locator('#threats-0-quote'));
    await desk.press('Alt+KeyM');
    const quote = await page.locator('#threats-0-quote').inputValue();
    expect(quote).toMatch(/^\[0:0[2-3]\] “I am going to kill him when I get out\.” $/);

    // Another threat, added here: the page is not reloaded and the recording keeps its place.
    const before = (await desk.state()).currentTime;
    await desk.tabTo(desk.qa('add-threat'));
    await desk.press('Enter');
    await expect(
      page.locator('#threats-1-target').evaluate((el) => el === document.activeElement),
    ).resolves.toBe(true);
    await expect(page.locator('input[name="threatCount"]').inputValue()).resolves.toBe('2');
    await desk.type('Her new partner');
    expect(await samePage()).toBe(1);
    expect((await desk.state()).currentTime).toBeCloseTo(before, 1);

    // The summary, with a moment marked while typing it.
    await desk.tabTo(page.locator('#summary'));
    await desk.type('Told his partner what he will do on release. ');
    await desk.press('Alt+KeyM');
    await expect(desk.summary()).resolves.toMatch(
      /^Told his partner what he will do on release\. \[0:0\d\] “[^”]+” $/,
    );

    // The player stays in view with the form scrolled to Submit.
    await desk.qa('submit-log').scrollIntoViewIfNeeded();
    expect(await desk.playerInView()).toMatchObject({ inView: true });
    expect(await desk.visibleBesidePlayer(desk.qa('submit-log'))).toBe(true);
    await desk.snapshot('1366-form-scrolled');

    // Submit: the second threat has no kind. The errors come into the page; the player is untouched.
    await desk.tabTo(desk.qa('submit-log'));
    await desk.press('Enter');
    await desk.errorSummary().waitFor();
    await expect(page.title()).resolves.toMatch(/^Error: /);
    const links = await desk.errorLinks();
    expect(links.map((l) => l.href)).toEqual(['#threats-1-type']);
    expect(await samePage()).toBe(1);
    expect((await desk.state()).currentTime).toBeGreaterThan(0);
    await expect(page.locator('#threats-1-target').inputValue()).resolves.toBe('Her new partner');
    await desk.snapshot('1366-errors');
    await checkPage(page, 'listening-desk-errors');

    // The error summary has focus: its link leads to the field; Space, then Submit again.
    await desk.tabTo(desk.errorSummary().locator('a[href="#threats-1-type"]'));
    await desk.press('Enter');
    await expect(
      page
        .locator('input[name="threats-1-type"][value="PHYSICAL"]')
        .evaluate((el) => el === document.activeElement),
    ).resolves.toBe(true);
    await desk.press('Space');
    await desk.tabTo(desk.qa('submit-log'));
    await desk.press('Enter');
    const logged = await desk.saved();
    await expect(logged.qa('log-saved').innerText()).resolves.toMatch(/high concern/i);
    const log = await logOf(callId);
    expect(log).toMatchObject({ concernLevel: 'HIGH', themeCodes: ['THREATS_TO_HARM'] });
    expect(log.threats).toEqual([
      expect.objectContaining({
        target: 'Her ex-partner',
        type: 'PHYSICAL',
        imminence: 'ON_RELEASE',
        quote: expect.stringContaining('[0:0') as unknown,
      }),
      expect.objectContaining({ target: 'Her new partner', type: 'PHYSICAL' }),
    ]);
    expect(log.summary).toMatch(/\[0:0\d\] “/);
    expect(await plays(callId)).toBe(1);
  });

  it('at 375 px wide: nothing scrolls sideways, the player stays on top, no concerns in three actions', async () => {
    const { listener, callId } = await world(QUIET);
    const desk = await openDesk(listener, PHONE);
    const { page } = wb.browser;
    expect(await desk.scrollsSideways()).toBe(false);
    await desk.snapshot('375-open');
    await checkPage(page, 'listening-desk-375');

    await desk.press('Alt+KeyK');
    await desk.playingPast(0.3);
    // Tab to Submit: the page scrolls it into view below the player, which stays on top.
    await desk.tabTo(desk.qa('submit-log'));
    expect(await desk.playerInView()).toMatchObject({ inView: true });
    expect(await desk.visibleBesidePlayer(desk.qa('submit-log'))).toBe(true);
    expect(await desk.scrollsSideways()).toBe(false);
    await desk.snapshot('375-form-scrolled');
    await desk.press('Alt+KeyN');
    await desk.press('Enter');
    await desk.saved();
    expect(desk.actions).toBeLessThanOrEqual(5);
    await expect(logOf(callId)).resolves.toMatchObject({ concernLevel: 'NONE' });
    await page.setViewportSize({ width: 1280, height: 900 });
  });
});
