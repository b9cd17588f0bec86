/// <reference lib="dom" />
import type { Locator, Page } from 'playwright-core';

/**
 * Page objects for the workbench: each finds its elements by `data-qa` (or by the form field's own
 * name, as a user's assistive technology would by label), so a restyled page keeps its tests.
 */
abstract class WorkbenchPage {
  constructor(readonly page: Page) {}

  qa(name: string): Locator {
    return this.page.locator(`[data-qa="${name}"]`);
  }

  /** Ticks the radio or checkbox `name` with the value `value`. */
  async choose(name: string, value: string): Promise<void> {
    await this.page.locator(`input[name="${name}"][value="${value}"]`).check();
  }

  async fill(name: string, text: string): Promise<void> {
    await this.page.locator(`[name="${name}"]`).fill(text);
  }

  flash(): Locator {
    return this.qa('flash');
  }

  errorSummary(): Locator {
    return this.qa('error-summary');
  }

  /** The error summary's links, as the user reads them and where each one goes. */
  async errorLinks(): Promise<{ text: string; href: string }[]> {
    const links = this.errorSummary().locator('a');
    const out: { text: string; href: string }[] = [];
    for (const link of await links.all()) {
      out.push({ text: (await link.innerText()).trim(), href: (await link.getAttribute('href'))! });
    }
    return out;
  }

  async signOut(): Promise<SignInPage> {
    await this.qa('sign-out').click();
    await this.page.waitForURL(/\/sign-in/);
    return new SignInPage(this.page);
  }

  async goTo<T extends WorkbenchPage>(linkText: string, next: new (page: Page) => T): Promise<T> {
    await this.page
      .getByRole('navigation', { name: 'Menu' })
      .getByRole('link', { name: linkText, exact: true })
      .click();
    await this.page.waitForLoadState('load');
    return new next(this.page);
  }
}

export class SignInPage extends WorkbenchPage {
  static async open(page: Page, baseUrl: string): Promise<SignInPage> {
    await page.goto(`${baseUrl}/sign-in`);
    return new SignInPage(page);
  }

  async signIn(username: string, password: string): Promise<void> {
    await this.page.getByLabel('Username').fill(username);
    await this.page.getByLabel('Password').fill(password);
    await this.qa('sign-in').click();
    await this.page.waitForLoadState('load');
  }

  async signInAs<T extends WorkbenchPage>(
    user: { username: string; password: string },
    landing: new (page: Page) => T,
  ): Promise<T> {
    await this.signIn(user.username, user.password);
    await this.qa('signed-in-user').waitFor();
    return new landing(this.page);
  }
}

export class MyWorkPage extends WorkbenchPage {
  async listenToNextCall(): Promise<ListenPage> {
    await this.qa('listen-next').click();
    await this.page.waitForURL(/\/calls\/[^/]+\/listen$/);
    return new ListenPage(this.page);
  }
}

export interface ThreatEntry {
  target: string;
  type: string;
  imminence: string;
  quote: string;
}

export class ListenPage extends WorkbenchPage {
  heading(): Locator {
    return this.qa('prisoner-heading');
  }

  player(): Locator {
    return this.qa('recording-player');
  }

  /**
   * Waits until the audio element has loaded the recording's metadata through the audited endpoint,
   * and returns what the browser knows of it.
   */
  async audioLoaded(): Promise<{ readyState: number; duration: number; error: number | null }> {
    await this.page.waitForFunction(() => {
      const audio = document.querySelector<HTMLAudioElement>('[data-qa="recording-player"]');
      return audio !== null && (audio.readyState >= 1 || audio.error !== null);
    });
    return this.player().evaluate((el) => {
      const audio = el as HTMLAudioElement;
      return {
        readyState: audio.readyState,
        duration: audio.duration,
        error: audio.error ? audio.error.code : null,
      };
    });
  }

  async chooseContact(name: string): Promise<void> {
    await this.page.getByRole('radio', { name: new RegExp(`^${name}`) }).check();
  }

  async threat(index: number, threat: ThreatEntry): Promise<void> {
    await this.fill(`threats-${index}-target`, threat.target);
    await this.choose(`threats-${index}-type`, threat.type);
    await this.choose(`threats-${index}-imminence`, threat.imminence);
    await this.fill(`threats-${index}-quote`, threat.quote);
  }

  /**
   * Presses Submit. With JavaScript the log is sent without leaving the page: errors replace the form
   * where it stands; otherwise the browser goes to the answer. Either way, waits for it.
   */
  async submitLog(): Promise<void> {
    await this.qa('log-form').evaluate((form) => form.setAttribute('data-sent', 'true'));
    await this.qa('submit-log').click();
    await this.page.waitForFunction(
      () => document.querySelector('[data-qa="log-form"]')?.getAttribute('data-sent') !== 'true',
    );
    await this.page.waitForLoadState('load');
  }

  async submitLogExpectingSaved(): Promise<LoggedPage> {
    await this.submitLog();
    await this.page.waitForURL(/\/calls\/[^/]+\/logged$/);
    return new LoggedPage(this.page);
  }
}

export class LoggedPage extends WorkbenchPage {
  /** The escalations table: one [to, who, due, new-or-added] row per escalation. */
  async escalations(): Promise<string[][]> {
    const rows = this.qa('escalations').locator('tbody tr');
    const out: string[][] = [];
    for (const row of await rows.all()) {
      out.push((await row.locator('th, td').allInnerTexts()).map((t) => t.trim()));
    }
    return out;
  }
}

export class CaseloadPage extends WorkbenchPage {
  unread(prisonNumber: string): Locator {
    return this.qa(`unread-${prisonNumber}`);
  }

  openEscalations(prisonNumber: string): Locator {
    return this.qa(`escalations-${prisonNumber}`);
  }
}

export class EscalationsPage extends WorkbenchPage {
  /** Opens the first escalation listed for the prisoner with the given target (e.g. "POM"). */
  async open(prisonNumber: string, target: string): Promise<EscalationPage> {
    const row = this.qa('escalations-table')
      .locator('tbody tr')
      .filter({ hasText: prisonNumber })
      .filter({ hasText: target });
    await row.getByRole('link', { name: /^View/ }).first().click();
    await this.page.waitForURL(/\/escalations\/[^/]+$/);
    return new EscalationPage(this.page);
  }
}

export class EscalationPage extends WorkbenchPage {
  status(): Locator {
    return this.qa('escalation-status');
  }

  async acknowledge(): Promise<void> {
    await this.qa('acknowledge').click();
    await this.page.waitForLoadState('load');
  }

  /** Closes with an outcome; the POM is taken back to the inbox. */
  async close(outcome: string, note: string): Promise<EscalationsPage> {
    await this.choose('outcome', outcome);
    await this.fill('note', note);
    await this.qa('close').click();
    await this.page.waitForURL(/\/escalations$/);
    return new EscalationsPage(this.page);
  }
}

export class BacklogPage extends WorkbenchPage {
  /** Calls waiting to be heard at the establishment, as the page states it. */
  async waiting(): Promise<number> {
    const text = await this.qa('backlog-waiting').innerText();
    return Number(text.replace(/,/g, ''));
  }
}
