import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import type { TestApi } from '../support/api';
import type { Staffer } from '../support/scenario';

type Fields = Record<string, string | string[] | number>;

/**
 * A browser stand-in: keeps the session cookie, and the CSRF token of the last page it read, which
 * it posts back like the hidden input would (CSRF stays on in tests).
 */
export class WebClient {
  readonly agent: TestAgent;
  csrf = '';

  constructor(api: TestApi) {
    this.agent = request.agent(api.app.getHttpServer());
  }

  async get(path: string) {
    const res = await this.agent.get(path);
    const token = /name="_csrf" value="([^"]+)"/.exec(res.text ?? '');
    if (token) this.csrf = token[1];
    return res;
  }

  /** A form post as a browser sends it (repeated names for checkboxes), with the CSRF token. */
  post(path: string, fields: Fields = {}, opts: { csrf?: boolean } = {}) {
    const body = new URLSearchParams();
    if (opts.csrf !== false) body.append('_csrf', this.csrf);
    for (const [name, value] of Object.entries(fields)) {
      for (const v of Array.isArray(value) ? value : [value]) body.append(name, String(v));
    }
    return this.agent.post(path).type('form').send(body.toString());
  }

  async signIn(staffer: Pick<Staffer, 'username' | 'password'>) {
    await this.get('/sign-in');
    const res = await this.post('/sign-in', {
      username: staffer.username,
      password: staffer.password,
    });
    if (res.status !== 302) throw new Error(`sign-in failed: ${res.status}`);
    // As a browser would: the start page, and the role's own page it sends to (the CSRF token).
    const start = await this.get('/');
    if (start.status === 302) await this.get(String(start.headers.location));
    return res;
  }
}

/** The hrefs of the GOV.UK error summary's links. */
export function errorSummaryLinks(html: string): string[] {
  const summary = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';
  return [...summary.matchAll(/href="([^"]+)"/g)].map((m) => m[1]);
}
