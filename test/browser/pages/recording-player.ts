/// <reference lib="dom" />
import type { Locator, Page } from 'playwright-core';

/** What the browser knows of the Listen page's audio element. */
export interface PlayerState {
  preload: string;
  paused: boolean;
  readyState: number;
  currentTime: number;
  duration: number;
  error: number | null;
}

/**
 * The Listen page's recording player (`data-qa="recording-player"`), used as a listener uses it: by
 * the play button of the browser's own controls. Kept apart from pages.ts, which others edit.
 */
export class RecordingPlayer {
  constructor(readonly page: Page) {}

  element(): Locator {
    return this.page.locator('[data-qa="recording-player"]');
  }

  async state(): Promise<PlayerState> {
    return this.element().evaluate((el) => {
      const audio = el as HTMLAudioElement;
      return {
        preload: audio.preload,
        paused: audio.paused,
        readyState: audio.readyState,
        currentTime: audio.currentTime,
        duration: audio.duration,
        error: audio.error ? audio.error.code : null,
      };
    });
  }

  /**
   * Presses the play button: Chromium draws it at the left end of the controls, vertically centred.
   * Then waits until the audio plays (or fails), and returns what the browser knows of it.
   */
  async pressPlay(): Promise<PlayerState> {
    await this.element().scrollIntoViewIfNeeded();
    const box = (await this.element().boundingBox())!;
    await this.page.mouse.click(box.x + 20, box.y + box.height / 2);
    await this.page.waitForFunction(() => {
      const audio = document.querySelector<HTMLAudioElement>('[data-qa="recording-player"]');
      return audio !== null && ((!audio.paused && audio.currentTime > 0) || audio.error !== null);
    });
    return this.state();
  }
}
