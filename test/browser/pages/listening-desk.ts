/// <reference lib="dom" />
import type { Locator, Page } from 'playwright-core';
import { ListenPage, LoggedPage } from './pages';
import { RecordingPlayer, type PlayerState } from './recording-player';

/**
 * The listening desk (Listen and log) used with the keyboard alone: every key that does something
 * counts as an action (a shortcut, Enter or Space on a control, a character typed); moving focus with
 * Tab is counted apart, as tab stops.
 */
export class ListeningDesk extends ListenPage {
  actions = 0;
  tabs = 0;

  readonly recording: RecordingPlayer;

  constructor(page: Page) {
    super(page);
    this.recording = new RecordingPlayer(page);
  }

  /** A key or chord that does something, e.g. `Alt+KeyK`. */
  async press(keys: string): Promise<void> {
    await this.page.keyboard.press(keys);
    this.actions++;
  }

  /** Characters typed into the field that has focus (each one an action). */
  async type(text: string): Promise<void> {
    await this.page.keyboard.type(text);
    this.actions += text.length;
  }

  /** Tabs forward until `target` has focus; returns how many tab stops that took. */
  async tabTo(target: Locator): Promise<number> {
    let n = 0;
    while (!(await target.evaluate((el) => el === document.activeElement))) {
      if (++n > 200) throw new Error('never reached by Tab');
      await this.page.keyboard.press('Tab');
    }
    this.tabs += n;
    return n;
  }

  async state(): Promise<PlayerState> {
    return this.recording.state();
  }

  /** Waits until the recording plays past `seconds`. */
  async playingPast(seconds: number): Promise<PlayerState> {
    await this.page.waitForFunction((t) => {
      const audio = document.querySelector<HTMLAudioElement>('[data-qa="recording-player"]');
      return audio !== null && !audio.paused && audio.currentTime > t;
    }, seconds);
    return this.state();
  }

  /** Waits until the recording is paused. */
  async paused(): Promise<PlayerState> {
    await this.page.waitForFunction(
      () => document.querySelector<HTMLAudioElement>('[data-qa="recording-player"]')?.paused,
    );
    return this.state();
  }

  /** The player's box, and whether all of it is inside the window as it is scrolled now. */
  async playerInView(): Promise<{ top: number; bottom: number; inView: boolean }> {
    const box = await this.qa('player-panel').evaluate((el) => {
      const r = el.getBoundingClientRect();
      return { top: r.top, bottom: r.bottom, height: window.innerHeight };
    });
    return {
      top: box.top,
      bottom: box.bottom,
      inView: box.top >= 0 && box.bottom <= box.height,
    };
  }

  /** Whether `target` is in the window and not hidden under the player (WCAG 2.4.11). */
  async visibleBesidePlayer(target: Locator): Promise<boolean> {
    const player = await this.qa('player-panel').boundingBox();
    const box = await target.boundingBox();
    const height = this.page.viewportSize()?.height ?? 0;
    if (!player || !box) return false;
    const overlaps =
      box.x < player.x + player.width &&
      player.x < box.x + box.width &&
      box.y < player.y + player.height &&
      player.y < box.y + box.height;
    return box.y >= 0 && box.y + box.height <= height && !overlaps;
  }

  /** Whether the page itself scrolls sideways (it must not, at any width). */
  async scrollsSideways(): Promise<boolean> {
    return this.page.evaluate(
      () => document.documentElement.scrollWidth > document.documentElement.clientWidth,
    );
  }

  async summary(): Promise<string> {
    return this.page.locator('[name="summary"]').inputValue();
  }

  async checked(name: string): Promise<string[]> {
    return this.page
      .locator(`input[name="${name}"]:checked`)
      .evaluateAll((els) => els.map((el) => (el as HTMLInputElement).value));
  }

  /** After Submit: waits for the log saved page. */
  async saved(): Promise<LoggedPage> {
    await this.page.waitForURL(/\/calls\/[^/]+\/logged$/);
    return new LoggedPage(this.page);
  }

  /** A viewport-sized screenshot (what the listener sees) in /tmp/desk-<name>.png. */
  async snapshot(name: string): Promise<void> {
    await this.page.screenshot({ path: `/tmp/desk-${name}.png` });
  }
}
