import AxeBuilder from '@axe-core/playwright';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import chromiumFlags from '../../../scripts/chromium-flags.json';
import { startApi, type TestApi } from '../../support/api';

/** Debian's Chromium (`apt-get install chromium`; .ci/run installs it when missing). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Headless, no sandbox (CI runs as root), and nothing that reaches for the internet: this machine's
 * network is closed, and Chromium's background connections would be refused many at a time. Shared
 * with `npm run demo:tour`.
 */
const CHROMIUM_FLAGS: string[] = chromiumFlags;

/** Where the tests save a screenshot of every main page (git-ignored; see docs/screenshots). */
export const SCREENSHOT_DIR = path.resolve(__dirname, '../screenshots');

/** The WCAG 2.2 AA rule sets of axe-core (each level includes the ones before it). */
const WCAG_22_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  /** Script errors and console errors (a CSP refusal shows up here) seen so far. */
  problems: string[];
  close(): Promise<void>;
}

/** Chromium with a fresh, empty user-data dir, removed on close. */
export async function launchBrowser(): Promise<BrowserSession> {
  const userDataDir = mkdtempSync(path.join(os.tmpdir(), 'mpc-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1280, height: 900 },
    locale: 'en-GB',
    timezoneId: 'Europe/London',
  });
  context.setDefaultTimeout(15_000);
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`script error on ${page.url()}: ${err.message}`));
  page.on('console', (msg) => {
    // A page answered 400 (a form with errors) is logged as a failed load: that one is expected,
    // and a failing stylesheet, script or recording is caught below by its own response.
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource'))
      problems.push(`console error on ${page.url()}: ${msg.text()}`);
  });
  page.on('response', (res) => {
    const type = res.request().resourceType();
    // A form the page's script sends (the listening desk's log) may be answered 400 with its errors,
    // as a form the browser sends may.
    const formErrors =
      type === 'fetch' && res.request().method() === 'POST' && res.status() === 400;
    if (res.status() >= 400 && type !== 'document' && !formErrors)
      problems.push(`${res.status()} for ${res.url()} on ${page.url()}`);
  });
  if (process.env.BROWSER_DEBUG) {
    page.on('requestfailed', (r) => console.log('FAILED', r.url(), r.failure()?.errorText));
    page.on('response', (r) => console.log(`${r.request().method()} ${r.url()} ${r.status()}`));
  }
  return {
    context,
    page,
    problems,
    close: async () => {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

export interface WebServer {
  api: TestApi;
  baseUrl: string;
  close(): Promise<void>;
}

/** The real api application (workbench included) listening on a free loopback port. */
export async function startWebServer(): Promise<WebServer> {
  const api = await startApi();
  await api.app.listen(0, '127.0.0.1');
  const { port } = api.app.getHttpServer().address() as AddressInfo;
  return { api, baseUrl: `http://127.0.0.1:${port}`, close: () => api.close() };
}

/**
 * axe-core's WCAG 2.2 AA rules on the page as it stands. Fails with every violation named: the
 * rule, its impact and the elements.
 */
export async function expectAccessible(page: Page, name: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_22_AA).analyze();
  const violations = results.violations.map(
    (v) =>
      `${v.id} (${v.impact ?? 'unknown'}): ${v.help} at ${v.nodes
        .map((n) => n.target.join(' '))
        .join(', ')}`,
  );
  expect({ page: name, violations }).toEqual({ page: name, violations: [] });
}

/** A full-page screenshot in test/browser/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

/** What every main page gets: an accessibility check and a screenshot. */
export async function checkPage(page: Page, name: string): Promise<void> {
  await expectAccessible(page, name);
  await screenshot(page, name);
}

export interface Workbench {
  server: WebServer;
  browser: BrowserSession;
}

/**
 * For a spec file: the application (with `env` set while it runs) and Chromium, started once; each
 * test starts signed out, and fails if a page it visited had a script error, a CSP refusal or a
 * failed asset. The returned object is filled in before the file's first test.
 */
export function useWorkbench(env: Record<string, string> = {}): Workbench {
  const workbench = {} as Workbench;
  const before = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));

  beforeAll(async () => {
    Object.assign(process.env, env);
    workbench.server = await startWebServer();
    workbench.browser = await launchBrowser();
  });

  afterAll(async () => {
    await workbench.browser?.close();
    await workbench.server?.close();
    for (const [k, v] of Object.entries(before)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  beforeEach(async () => {
    // Each test starts signed out, whatever the one before it left behind.
    await workbench.browser.context.clearCookies();
  });

  afterEach(() => {
    // No script error, CSP refusal or failed asset on any page the test visited.
    expect(workbench.browser.problems).toEqual([]);
  });

  return workbench;
}
