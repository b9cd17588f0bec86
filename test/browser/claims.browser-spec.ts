/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import { Scenario, Staffer } from '../support/scenario';
import { ClaimedCallPage, signOutHolding } from './pages/claims';
import { MyWorkPage, SignInPage } from './pages/pages';
import { checkPage, screenshot, useWorkbench, type Workbench } from './support/browser';

jest.setTimeout(180_000);

/** A prisoner on monitoring with `n` calls waiting, the first the oldest (first in the queue). */
async function waitingCalls(s: Scenario, n: number): Promise<string> {
  const prisoner = await s.prisoner();
  await s.authorise(prisoner);
  await s.ingestAndTriage(
    Array.from({ length: n }, (_, i) =>
      s.call(prisoner, { startedAt: new Date(Date.now() - (10 - i) * 3_600_000).toISOString() }),
    ),
  );
  return prisoner;
}

async function signIn(wb: Workbench, page: Page, who: Staffer): Promise<MyWorkPage> {
  const signInPage = await SignInPage.open(page, wb.server.baseUrl);
  return signInPage.signInAs(who, MyWorkPage);
}

/** What a listener writes before pressing Submit: a quiet call to his mother. */
async function writeQuietLog(listen: ClaimedCallPage, summary: string): Promise<void> {
  await listen.page.getByRole('radio', { name: /^Someone not on the contact list/ }).check();
  await listen.choose('contact-relationship', 'PARENT');
  await listen.choose('contact-confidence', 'CONFIRMED');
  await listen.choose('themes', 'NO_CONCERNS');
  await listen.choose('concernLevel', 'NONE');
  await listen.fill('summary', summary);
  await listen.choose('recordingQuality', 'GOOD');
}

const statusOf = async (wb: Workbench, id: string) =>
  (
    await wb.server.api.db.query<{ status: string }[]>(`SELECT status FROM calls WHERE id = $1`, [
      id,
    ])
  )[0].status;

describe('browser: a claim belongs to the listener', () => {
  const wb = useWorkbench();

  it('claim, sign out keeping the call, sign in again: My work links to it and it can be logged', async () => {
    const s = await Scenario.create(wb.server.api);
    await waitingCalls(s, 2);
    const listener = await s.staff(['LISTENER']);
    const { page } = wb.browser;

    const myWork = await signIn(wb, page, listener);
    await myWork.listenToNextCall();
    const listen = new ClaimedCallPage(page);
    const id = listen.callId();
    const signInPage = await signOutHolding(page, 'keep');
    await expect(signInPage.qa('signed-out').innerText()).resolves.toMatch(/stay yours/);
    await checkPage(page, 'signed-out-keeping-calls');

    const again = await signIn(wb, page, listener);
    await again.goTo('My work', MyWorkPage);
    await expect(again.qa('current-claim').innerText()).resolves.not.toMatch(/another session/);
    await again.qa('resume-claim').click();
    await page.waitForURL(new RegExp(`/calls/${id}/listen$`));
    const resumed = new ClaimedCallPage(page);
    await writeQuietLog(resumed, 'Spoke to his mother about visits; nothing of concern at all.');
    await resumed.submitLogExpectingSaved();
    expect(await statusOf(wb, id)).toBe('LOGGED');
  });

  it('two tabs both pressing Listen to next call get the same one call; the second to log is told it is logged', async () => {
    const s = await Scenario.create(wb.server.api);
    await waitingCalls(s, 3);
    const listener = await s.staff(['LISTENER']);
    const tabA = wb.browser.page;
    await signIn(wb, tabA, listener);
    const tabB = await wb.browser.context.newPage();
    try {
      await tabA.goto(`${wb.server.baseUrl}/my-work`);
      await tabB.goto(`${wb.server.baseUrl}/my-work`);
      await new MyWorkPage(tabA).listenToNextCall();
      await new MyWorkPage(tabB).listenToNextCall();
      const a = new ClaimedCallPage(tabA);
      const b = new ClaimedCallPage(tabB);
      expect(b.callId()).toBe(a.callId());
      await expect(b.flash().innerText()).resolves.toMatch(/You already hold this call/);
      await screenshot(tabB, 'second-tab-opens-held-call');
      const held = await wb.server.api.db.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM calls WHERE claimed_by = $1 AND status = 'CLAIMED'`,
        [listener.username],
      );
      expect(held[0].n).toBe(1);

      await writeQuietLog(a, 'Spoke to his mother about visits; nothing of concern at all.');
      await writeQuietLog(b, 'The same call, written again in the other tab by mistake.');
      await a.submitLogExpectingSaved();
      await b.submitLog();
      await expect(tabB.locator('main').innerText()).resolves.toMatch(
        /This call has already been logged/,
      );
      await checkPage(tabB, 'second-tab-already-logged');
    } finally {
      await tabB.close();
    }
  });

  it('a released call is not given straight back; a conflict of interest keeps the prisoner away for good', async () => {
    const s = await Scenario.create(wb.server.api);
    const first = await waitingCalls(s, 1);
    const second = await waitingCalls(s, 1);
    const listener = await s.staff(['LISTENER']);
    const { page } = wb.browser;
    const myWork = await signIn(wb, page, listener);

    await myWork.listenToNextCall();
    let listen = new ClaimedCallPage(page);
    await expect(listen.heading().innerText()).resolves.toContain(first);
    const firstId = listen.callId();
    await listen.openRelease();
    await checkPage(page, 'release-reasons');
    let back = await listen.release(/recording will not play/);
    await expect(back.flash().innerText()).resolves.toMatch(/back in the queue/);

    // Three presses: never the call just handed back while another waits.
    for (let i = 0; i < 3; i++) {
      await back.listenToNextCall();
      listen = new ClaimedCallPage(page);
      await expect(listen.heading().innerText()).resolves.toContain(second);
      if (i < 2) {
        await page.goto(`${wb.server.baseUrl}/my-work`);
        back = new MyWorkPage(page);
      }
    }
    back = await listen.release(/Conflict of interest/);
    await expect(back.flash().innerText()).resolves.toMatch(
      /not be given this prisoner’s calls again/,
    );
    // Only the first prisoner's call is left: it comes back, as nothing else waits for this listener.
    await back.listenToNextCall();
    listen = new ClaimedCallPage(page);
    expect(listen.callId()).toBe(firstId);
  });

  it('after signing out, Back shows the sign-in page, not the prisoner', async () => {
    const s = await Scenario.create(wb.server.api);
    const prisoner = await waitingCalls(s, 1);
    const listener = await s.staff(['LISTENER']);
    const { page } = wb.browser;
    const myWork = await signIn(wb, page, listener);
    await myWork.listenToNextCall();
    const listen = new ClaimedCallPage(page);
    const id = listen.callId();
    await expect(listen.heading().innerText()).resolves.toContain(prisoner);

    const signInPage = await signOutHolding(page, 'release');
    await expect(signInPage.qa('signed-out').innerText()).resolves.toMatch(/back in the queue/);
    expect(await statusOf(wb, id)).toBe('PENDING');
    for (let i = 0; i < 2; i++) {
      await page.goBack();
      await page.waitForLoadState('load');
      expect(new URL(page.url()).pathname).toBe('/sign-in');
      await expect(page.locator('body').innerText()).resolves.not.toContain(prisoner);
    }
    await screenshot(page, 'back-after-sign-out');
  });
});

describe('browser: the session ends while a listener writes a log', () => {
  // Sessions of 15 seconds without a request: the listener takes longer than that to write. (Long
  // enough for the pages and their accessibility checks in between on a loaded machine.)
  const wb = useWorkbench({ WEB_SESSION_SECONDS: '15' });

  it('keeps what was typed, says the session ended, and gives it back after signing in', async () => {
    const s = await Scenario.create(wb.server.api);
    await waitingCalls(s, 1);
    const listener = await s.staff(['LISTENER']);
    const { page } = wb.browser;
    const myWork = await signIn(wb, page, listener);
    await myWork.listenToNextCall();
    const listen = new ClaimedCallPage(page);
    const id = listen.callId();
    const summary =
      'He told his mother a parcel is coming in on the next visit, wrapped in a card.';
    await writeQuietLog(listen, summary);
    await page.waitForTimeout(16_000);

    await listen.submitLog();
    await page.waitForURL(/\/sign-in\?ended=log/);
    const signInPage = new SignInPage(page);
    await expect(signInPage.qa('log-kept').innerText()).resolves.toMatch(/Your session ended/);
    await expect(page.locator('main').innerText()).resolves.not.toMatch(/permission/i);
    await checkPage(page, 'session-ended-log-kept');
    expect(await statusOf(wb, id)).toBe('CLAIMED');

    await signInPage.signIn(listener.username, listener.password);
    await page.waitForURL(new RegExp(`/calls/${id}/listen$`));
    const restored = new ClaimedCallPage(page);
    await expect(restored.qa('log-restored').isVisible()).resolves.toBe(true);
    await expect(page.locator('[name="summary"]').inputValue()).resolves.toBe(summary);
    await checkPage(page, 'log-restored-after-sign-in');
    await restored.submitLogExpectingSaved();
    expect(await statusOf(wb, id)).toBe('LOGGED');
  });
});
