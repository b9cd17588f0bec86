import type { Page } from 'playwright-core';
import { ListenPage, MyWorkPage, SignInPage } from './pages';

/** Listen and log, for what a listener does with the claim itself: release it with a reason. */
export class ClaimedCallPage extends ListenPage {
  callId(): string {
    return /\/calls\/([^/]+)\/listen/.exec(this.page.url())![1];
  }

  /** Opens "Release this call" (a GOV.UK details element) unless it is open. */
  async openRelease(): Promise<void> {
    const details = this.qa('release-details');
    if ((await details.getAttribute('open')) === null) await details.locator('summary').click();
  }

  async release(reasonLabel: RegExp, words?: string): Promise<MyWorkPage> {
    await this.openRelease();
    await this.page.getByRole('radio', { name: reasonLabel }).check();
    if (words) await this.fill('reason', words);
    await this.qa('release').click();
    await this.page.waitForURL(/\/my-work$/);
    return new MyWorkPage(this.page);
  }
}

/** Signing out: the header button, then, holding calls, the question of what becomes of them. */
export async function signOutHolding(page: Page, choice: 'release' | 'keep'): Promise<SignInPage> {
  await page.locator('[data-qa="sign-out"]').click();
  await page.waitForURL(/\/sign-out$/);
  await page.locator(`input[name="heldCalls"][value="${choice}"]`).check();
  await page.locator('[data-qa="confirm-sign-out"]').click();
  await page.waitForURL(/\/sign-in\?signedOut=/);
  return new SignInPage(page);
}
