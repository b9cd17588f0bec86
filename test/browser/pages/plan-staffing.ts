/// <reference lib="dom" />
import type { Locator, Page } from 'playwright-core';

/** The head of OMU's Plan staffing page: the form by its fields' names, the result by `data-qa`. */
export class PlanStaffingPage {
  constructor(readonly page: Page) {}

  qa(name: string): Locator {
    return this.page.locator(`[data-qa="${name}"]`);
  }

  static async fromNavigation(page: Page): Promise<PlanStaffingPage> {
    await page
      .getByRole('navigation', { name: 'Menu' })
      .getByRole('link', { name: 'Plan staffing', exact: true })
      .click();
    await page.waitForLoadState('load');
    return new PlanStaffingPage(page);
  }

  async heading(): Promise<string> {
    return (await this.page.locator('h1').innerText()).trim();
  }

  async period(from: string, to: string): Promise<void> {
    for (const [name, day] of [
      ['from', from],
      ['to', to],
    ] as const) {
      const [y, m, d] = day.split('-');
      await this.page.locator(`[name="${name}-day"]`).fill(String(Number(d)));
      await this.page.locator(`[name="${name}-month"]`).fill(String(Number(m)));
      await this.page.locator(`[name="${name}-year"]`).fill(y);
    }
  }

  /** Fills shift row `i`: listeners, start, end, and exactly these days. */
  async shift(i: number, row: { listeners: string; start: string; end: string; days: string[] }) {
    await this.page.locator(`[name="row-${i}-listeners"]`).fill(row.listeners);
    await this.page.locator(`[name="row-${i}-start"]`).fill(row.start);
    await this.page.locator(`[name="row-${i}-end"]`).fill(row.end);
    for (const box of await this.page.locator(`input[name="row-${i}-days"]`).all()) {
      const value = (await box.getAttribute('value'))!;
      if (row.days.includes(value)) await box.check();
      else await box.uncheck();
    }
  }

  async fixedHandling(mean: string, sd: string): Promise<void> {
    await this.page.locator('input[name="handling"][value="FIXED"]').check();
    await this.page.locator('[name="meanMinutes"]').fill(mean);
    await this.page.locator('[name="sdMinutes"]').fill(sd);
  }

  async addRow(): Promise<void> {
    await this.qa('add-row').click();
    await this.page.waitForLoadState('load');
  }

  async simulate(): Promise<void> {
    await this.qa('simulate').click();
    await this.page.waitForLoadState('load');
  }

  async rows(): Promise<number> {
    return this.page.locator('[data-qa^="shift-row-"]').count();
  }

  async summary(): Promise<string> {
    return (await this.qa('simulation-summary').innerText()).trim();
  }

  async errorLinks(): Promise<string[]> {
    const out: string[] = [];
    for (const link of await this.qa('error-summary').locator('a').all())
      out.push((await link.getAttribute('href'))!);
    return out;
  }
}
