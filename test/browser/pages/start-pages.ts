/// <reference lib="dom" />
import type { Locator, Page } from 'playwright-core';

/**
 * Page objects for the start pages, the pages that lead to the request form and Reviews due, and
 * the pages a refused form shows. Found by `data-qa` and by the words a user reads.
 */
abstract class StartPageBase {
  constructor(readonly page: Page) {}

  qa(name: string): Locator {
    return this.page.locator(`[data-qa="${name}"]`);
  }

  /** The page's one h1, as the user reads it. */
  async heading(): Promise<string> {
    return (await this.page.locator('h1').innerText()).trim();
  }

  /** The path the browser is on now. */
  path(): string {
    return new URL(this.page.url()).pathname;
  }

  /** Follows a link by its visible words, as a user would, and waits for the next page. */
  async follow<T extends StartPageBase>(
    name: string | RegExp,
    next: new (page: Page) => T,
  ): Promise<T> {
    await Promise.all([
      this.page.waitForEvent('framenavigated'),
      this.page.getByRole('link', { name }).first().click(),
    ]);
    await this.page.waitForLoadState('load');
    return new next(this.page);
  }

  async goTo<T extends StartPageBase>(linkText: string, next: new (page: Page) => T): Promise<T> {
    await this.page
      .getByRole('navigation', { name: 'Menu' })
      .getByRole('link', { name: linkText, exact: true })
      .click();
    await this.page.waitForLoadState('load');
    return new next(this.page);
  }

  async errorLinks(): Promise<{ text: string; href: string }[]> {
    const out: { text: string; href: string }[] = [];
    for (const link of await this.qa('error-summary').locator('a').all()) {
      out.push({ text: (await link.innerText()).trim(), href: (await link.getAttribute('href'))! });
    }
    return out;
  }

  async signOut(): Promise<void> {
    await this.qa('sign-out').click();
    await this.page.waitForURL(/\/sign-in/);
  }
}

/** Any page a signed-in user lands on: its heading and where it is. */
export class LandingPage extends StartPageBase {}

/** The GOV.UK "Page not found" (and every other error page): "Go to the start page". */
export class ErrorPage extends StartPageBase {
  async goToStartPage(): Promise<LandingPage> {
    return this.follow('Go to the start page', LandingPage);
  }
}

export class PrisonerPage extends StartPageBase {
  async requestMonitoring(): Promise<RequestFormPage> {
    await this.qa('request-monitoring').click();
    await this.page.waitForURL(/\/prisoners\/[^/]+\/authorisations\/new$/);
    return new RequestFormPage(this.page);
  }
}

export class RequestFormPage extends StartPageBase {
  async choose(name: string, value: string): Promise<void> {
    await this.page.locator(`input[name="${name}"][value="${value}"]`).check();
  }

  async fill(name: string, text: string): Promise<void> {
    await this.page.locator(`[name="${name}"]`).fill(text);
  }

  async date(name: string, d: Date): Promise<void> {
    await this.fill(`${name}-day`, String(d.getDate()));
    await this.fill(`${name}-month`, String(d.getMonth() + 1));
    await this.fill(`${name}-year`, String(d.getFullYear()));
  }

  async submit(): Promise<void> {
    await this.qa('request-form').locator('button[type="submit"]').last().click();
    await this.page.waitForLoadState('load');
  }
}

export class AuthorisationsPage extends StartPageBase {
  /** "Request monitoring of a prisoner": the prison number, then Continue. */
  async requestFor(prisonNumber: string): Promise<RequestFormPage> {
    await this.page.getByLabel('Request monitoring of a prisoner').fill(prisonNumber);
    await this.qa('request-continue').click();
    await this.page.waitForURL(/\/prisoners\/[^/]+\/authorisations\/new$/);
    return new RequestFormPage(this.page);
  }

  async reviewsDue(): Promise<ReviewsPage> {
    await this.qa('reviews-due-link').click();
    await this.page.waitForURL(/\/authorisations\/reviews$/);
    return new ReviewsPage(this.page);
  }
}

export class ReviewsPage extends StartPageBase {
  /** Opens the authorisation of the prisoner's row to review it. */
  async review(prisonNumber: string): Promise<LandingPage> {
    // The link says whose monitoring: "Review monitoring of Smith, John (A1234BC)".
    await this.page
      .getByRole('link', { name: new RegExp(`^Review monitoring of .*\\(${prisonNumber}\\)$`) })
      .click();
    await this.page.waitForURL(/\/authorisations\/[0-9a-f-]{36}$/);
    return new LandingPage(this.page);
  }
}

/** "Your session has ended": sign in again, and come back. */
export class SessionEndedPage extends StartPageBase {
  async signInAgain(user: { username: string; password: string }): Promise<LandingPage> {
    await this.qa('sign-in-again').click();
    await this.page.waitForURL(/\/sign-in/);
    await this.page.getByLabel('Username').fill(user.username);
    await this.page.getByLabel('Password').fill(user.password);
    await this.qa('sign-in').click();
    await this.qa('signed-in-user').waitFor();
    return new LandingPage(this.page);
  }
}
