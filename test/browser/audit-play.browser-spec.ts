/// <reference lib="dom" />
import * as path from 'node:path';
import { Scenario } from '../support/scenario';
import { MyWorkPage, SignInPage } from './pages/pages';
import { RecordingPlayer } from './pages/recording-player';
import { checkPage, useWorkbench } from './support/browser';

const ALL_TRAININGS = ['PUBLIC_PROTECTION', 'DOMESTIC_ABUSE', 'CHILD_SAFEGUARDING'];
/** The demo's synthetic voice clips: real audio the browser can play. */
const DEMO_RECORDINGS = path.resolve(__dirname, '../../demo/recordings');

jest.setTimeout(120_000);

/**
 * "Recording played" is what happened, not what the page did: opening Listen and log fetches no
 * audio and writes no play; pressing play fetches it and writes one RECORDING_PLAYED row.
 */
describe('browser: a play is audited when the listener presses play', () => {
  const wb = useWorkbench({ RECORDINGS_DIR: DEMO_RECORDINGS });

  it('opening Listen and log writes no play; pressing play writes one', async () => {
    const s = await Scenario.create(wb.server.api);
    const listener = await s.staff(['LISTENER'], { trainings: ALL_TRAININGS });
    const prisoner = await s.prisoner({ leadListenerUsername: listener.username });
    await s.authorise(prisoner);
    await s.ingestAndTriage([s.call(prisoner, { recordingRef: 'demo/clip-1.wav' })]);
    const [call] = await s.callsOf(prisoner);
    const { page } = wb.browser;

    const ranges: (string | null)[] = [];
    page.on('request', (req) => {
      if (req.url().endsWith(`/calls/${call.id}/recording`)) {
        ranges.push(req.headers()['range'] ?? null);
      }
    });
    const plays = async () =>
      (
        await wb.server.api.db.query<{ n: number }[]>(
          `SELECT count(*)::int AS n FROM audit_events
            WHERE action = 'RECORDING_PLAYED' AND entity_id = $1 AND username = $2`,
          [call.id, listener.username],
        )
      )[0].n;

    const signIn = await SignInPage.open(page, wb.server.baseUrl);
    const myWork = await (await signIn.signInAs(listener, MyWorkPage)).goTo('My work', MyWorkPage);
    const listen = await myWork.listenToNextCall();
    expect(page.url()).toContain(`/calls/${call.id}/listen`);
    await page.waitForLoadState('networkidle');
    const player = new RecordingPlayer(page);

    // The page is open and the player ready to press; nothing was fetched, nothing was played.
    await expect(listen.heading().innerText()).resolves.toContain(prisoner);
    expect(await player.state()).toMatchObject({ preload: 'none', paused: true, readyState: 0 });
    expect(ranges).toEqual([]);
    expect(await plays()).toBe(0);

    const playing = await player.pressPlay();
    expect(playing).toMatchObject({ paused: false, error: null });
    expect(playing.duration).toBeGreaterThan(1);
    expect(ranges.length).toBeGreaterThanOrEqual(1);
    // The row is written before the audio goes out, so it is there once the audio plays.
    expect(await plays()).toBe(1);
    await checkPage(page, 'audit-play-listening');

    // However many ranges the browser reads while it plays, the play is written once.
    await page.waitForFunction(() => {
      const audio = document.querySelector<HTMLAudioElement>('[data-qa="recording-player"]');
      return audio !== null && audio.currentTime > 1;
    });
    expect(await plays()).toBe(1);
  });
});
