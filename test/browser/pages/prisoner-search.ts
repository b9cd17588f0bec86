/// <reference lib="dom" />
import type { Locator, Page } from 'playwright-core';

/**
 * The header's "Find a prisoner" box and the results page it leads to, found as a screen-reader
 * user finds them: the search landmark and the box by its label.
 */
export class PrisonerSearch {
  constructor(readonly page: Page) {}

  qa(name: string): Locator {
    return this.page.locator(`[data-qa="${name}"]`);
  }

  /** The header's search landmark (none for a role that may not search). */
  headerSearch(): Locator {
    return this.page.getByRole('search', { name: 'Find a prisoner' }).filter({
      has: this.page.locator('#header-search'),
    });
  }

  /** The header's box, by its label. */
  headerBox(): Locator {
    return this.headerSearch().getByRole('searchbox', { name: 'Find a prisoner' });
  }

  /** Types in the header's box and sends it with Enter, as a keyboard user does. */
  async fromHeader(query: string): Promise<void> {
    await this.headerBox().fill(query);
    await Promise.all([this.page.waitForEvent('framenavigated'), this.headerBox().press('Enter')]);
    await this.page.waitForLoadState('load');
  }

  /** Searches again from the results page's own box, with its Search button. */
  async again(query: string): Promise<void> {
    await this.page.getByRole('searchbox', { name: 'Prison number or name' }).fill(query);
    await Promise.all([this.page.waitForEvent('framenavigated'), this.qa('search-submit').click()]);
    await this.page.waitForLoadState('load');
  }

  path(): string {
    return new URL(this.page.url()).pathname;
  }

  async heading(): Promise<string> {
    return (await this.page.locator('h1').innerText()).trim();
  }

  /** The results as the user reads them: one line a row, cells joined by " | ". */
  async rows(): Promise<string[]> {
    const rows = this.qa('search-results').locator('tbody tr');
    const out: string[] = [];
    for (const row of await rows.all()) {
      const cells = await row.locator('td').allInnerTexts();
      out.push(cells.map((c) => c.trim()).join(' | '));
    }
    return out;
  }

  /** Opens a result by the prisoner's name, as listed. */
  async open(name: string): Promise<void> {
    await Promise.all([
      this.page.waitForEvent('framenavigated'),
      this.qa('search-results').getByRole('link', { name }).click(),
    ]);
    await this.page.waitForLoadState('load');
  }

  async errorLinks(): Promise<{ text: string; href: string }[]> {
    const out: { text: string; href: string }[] = [];
    for (const link of await this.qa('error-summary').locator('a').all()) {
      out.push({ text: (await link.innerText()).trim(), href: (await link.getAttribute('href'))! });
    }
    return out;
  }

  /** How far the page is wider than the screen (0: no sideways scrolling). */
  overflow(): Promise<number> {
    return this.page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
  }
}
