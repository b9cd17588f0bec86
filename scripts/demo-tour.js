#!/usr/bin/env node
/**
 * A walk through the running demo (`npm run demo`) in Debian's Chromium, one demo account per role,
 * doing each one's job; saves a screenshot of each page in docs/screenshots (the README shows them).
 *
 *   npm run demo:tour                      # against http://localhost:3000
 *   DEMO_URL=http://host:port npm run demo:tour
 *
 * It changes the demo as a person would: listener1 logs the next call as a HIGH concern with a
 * threat, and its POM acknowledges the escalation.
 */
const { mkdirSync, mkdtempSync, rmSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');
/** The browser tests' flags: headless, no sandbox, nothing that reaches for the internet. */
const CHROMIUM_FLAGS = require('./chromium-flags.json');

const BASE = process.env.DEMO_URL ?? 'http://localhost:3000';
const PASSWORD = process.env.DEMO_PASSWORD ?? 'demo-password-1';
const OUT = path.resolve(__dirname, '../docs/screenshots');

const ADMIN_USERNAME = process.env.ADMIN_USERNAME ?? 'admin';
const ADMIN_PASSWORD = process.env.ADMIN_PASSWORD ?? 'admin-demo-password';

/** Stores a transcript of the call through the API, as the administrator (the feed's role). */
async function addTranscript(callId) {
  const auth = await fetch(`${BASE}/api/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: ADMIN_USERNAME, password: ADMIN_PASSWORD }),
  });
  const { accessToken } = await auth.json();
  const stored = await fetch(`${BASE}/api/calls/${callId}/transcript`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      segments: [
        { at: 0, text: 'Hiya, it is me. Did you get my letter?' },
        { at: 40, text: 'Your mum has not let me see the kids for three months now.' },
        { at: 95, text: 'When I get out I know where she lives, she will pay for this.' },
        { at: 160, text: 'Tell her I am going to batter him, that new fella of hers.' },
        { at: 250, text: 'Anyway, how is school? Are you still doing the football?' },
        { at: 380, text: 'Love you. I will ring again on Sunday.' },
      ],
    }),
  });
  if (!stored.ok) console.log(`[tour] transcript not stored: ${stored.status}`);
}

async function main() {
  mkdirSync(OUT, { recursive: true });
  const profile = mkdtempSync(path.join(os.tmpdir(), 'mpc-tour-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1280, height: 900 },
    locale: 'en-GB',
    timezoneId: 'Europe/London',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const qa = (name) => page.locator(`[data-qa="${name}"]`);
  const shot = async (name) => {
    // The top of the page (at most 1,800 pixels): what a reader of the README needs to see.
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.screenshot({
      path: path.join(OUT, `${name}.png`),
      fullPage: true,
      clip: { x: 0, y: 0, width: 1280, height: Math.min(height, 1800) },
    });
    console.log(`[tour] ${name}: ${page.url()}`);
  };
  const signIn = async (username) => {
    await context.clearCookies();
    await page.goto(`${BASE}/sign-in`);
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(PASSWORD);
    await qa('sign-in').click();
    await qa('signed-in-user').waitFor();
  };
  try {
    // A listener takes the next call, hears it and logs it.
    await signIn('listener1');
    await page.goto(`${BASE}/my-work`);
    await qa('listen-next').click();
    await page.waitForURL(/\/calls\/[^/]+\/listen$/);
    // The provider's speech-to-text for this call, as the feed would send it (the demo's calls come
    // without), so that the desk shows a transcript with its keyword hits.
    await addTranscript(/\/calls\/([^/]+)\/listen/.exec(page.url())[1]);
    await page.reload();
    // The listening desk as a listener sees it on a 1,366 × 768 screen. The player fetches nothing
    // until play is pressed (preload="none"; the play is audited then): Alt+K, the desk's shortcut.
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.keyboard.press('Alt+KeyK');
    await page.waitForFunction(() => {
      const audio = document.querySelector('[data-qa="recording-player"]');
      return audio && audio.readyState >= 1 && audio.currentTime > 0.5;
    });
    await page.keyboard.press('Alt+KeyK');
    await page.screenshot({ path: path.join(OUT, 'listen-and-log.png') });
    console.log(`[tour] listen-and-log: ${page.url()}`);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.locator('input[name="contact-contactId"]').first().check();
    await page.locator('input[name="contact-confidence"][value="PROBABLE"]').check();
    await page.locator('input[name="themes"][value="THREATS_TO_HARM"]').check();
    await page.locator('input[name="themes"][value="CONTROLLING_BEHAVIOUR"]').check();
    await page.locator('[name="threats-0-target"]').fill('his ex-partner');
    await page.locator('input[name="threats-0-type"][value="PHYSICAL"]').check();
    await page.locator('input[name="threats-0-imminence"][value="ON_RELEASE"]').check();
    await page.locator('[name="threats-0-quote"]').fill('When I get out you will pay for this');
    await page.locator('input[name="concernLevel"][value="HIGH"]').check();
    await page
      .locator('[name="summary"]')
      .fill(
        'Angry about contact with the children; said his ex-partner would pay when he is released and that he knows where she lives now.',
      );
    await page.locator('input[name="recordingQuality"][value="GOOD"]').check();
    await qa('submit-log').click();
    await page.waitForURL(/\/logged$/);
    await shot('log-saved');
    const prisoner = /Prisoner (\S+),/.exec(await qa('log-saved').innerText())?.[1] ?? '';
    const pomRow = qa('escalations').locator('tbody tr').filter({ hasText: 'POM' }).first();
    // Named as "Display Name (username)" (or the bare username of someone not on the staff list).
    const named = (await pomRow.locator('td').nth(1).innerText()).trim();
    const pom = /\((pom\d+)\)$/.exec(named)?.[1] ?? named;

    // The prisoner's POM (named on the escalation) acknowledges it.
    if (/^pom\d+$/.test(pom)) {
      await signIn(pom);
      await page.goto(`${BASE}/caseload`);
      await shot('pom-caseload');
      await page.goto(`${BASE}/escalations`);
      await page
        .locator('[data-qa="escalations-table"] tbody tr')
        .filter({ hasText: prisoner })
        .locator('[data-qa^="open-escalation-"]')
        .first()
        .click();
      await qa('escalation-heading').waitFor();
      // A second tour adds its log to the escalation the first one acknowledged.
      if (await qa('acknowledge').count()) {
        await qa('acknowledge').click();
        await qa('flash').waitFor();
      }
      await shot('escalation');
      await page.locator('a[href^="/prisoners/"]').first().click();
      await qa('prisoner-heading').waitFor();
      await shot('pom-prisoner');
    } else {
      console.log(`[tour] the first escalation is not assigned to a demo POM (${pom}); skipped`);
    }

    // The head of OMU's dashboard and queue.
    await signIn('head1');
    await page.goto(`${BASE}/backlog`);
    await shot('head-backlog');
    await page.goto(`${BASE}/queue`);
    await shot('head-queue');

    // The security manager reads the audit trail of what listener1 did.
    await signIn('security1');
    await page.goto(`${BASE}/audit?username=listener1`);
    await shot('security-audit');
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
