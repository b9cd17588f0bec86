import * as nunjucks from 'nunjucks';
import type { WebServices } from './services';

/**
 * The names a page shows beside the prison numbers and usernames its services return: loaded once
 * a page (one query for prisoners, one for staff) and handed to the view as `names`, where the
 * `person`, `prisoner` and `prisonerLink` globals read them.
 */
export interface PageNames {
  prisoners: Map<string, { firstName: string; lastName: string }>;
  staff: Map<string, string>;
}

/** The services a router adds to its `Pick<WebServices, …>` to call `pageNames`. */
export type NameServices = 'prisoners' | 'staff';

type Wanted = Iterable<unknown>;

const present = (values: Wanted | undefined): string[] => [
  ...new Set([...(values ?? [])].filter((v): v is string => typeof v === 'string' && v !== '')),
];

/** The names of these prisoners and staff, through the services that own them. */
export async function pageNames(
  services: Pick<WebServices, NameServices>,
  wanted: { prisoners?: Wanted; staff?: Wanted },
): Promise<{ names: PageNames }> {
  const [prisoners, staff] = await Promise.all([
    services.prisoners.names(present(wanted.prisoners)),
    services.staff.displayNames(present(wanted.staff)),
  ]);
  return { names: { prisoners, staff } };
}

/** `Smith, John (A1234BC)` for a message in words (a flash), or the number alone. */
export async function prisonerInWords(
  services: Pick<WebServices, NameServices>,
  prisonNumber: string,
): Promise<string> {
  const p = (await services.prisoners.names([prisonNumber])).get(prisonNumber);
  return p ? `${p.lastName}, ${p.firstName} (${prisonNumber})` : prisonNumber;
}

interface ViewContext {
  ctx?: { user?: { username?: string; displayName?: string }; names?: PageNames };
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** `Smith, John`, or null when the page has no name for this number. */
function prisonerName(ctx: ViewContext, prisonNumber: string): string | null {
  const p = ctx.ctx?.names?.prisoners.get(prisonNumber);
  return p ? `${p.lastName}, ${p.firstName}` : null;
}

/**
 * `{{ person(e.assignee) }}`: the signed-in user by their display name; anyone else the page loaded
 * names for as `Jane Smith (jsmith)` (the username stays: it is what the audit trail is searched
 * by, and two people may share a name); else the username as it was.
 *
 * `staffName(username)`: the display name alone, or empty (the audit trail shows the username
 * under it, whoever is signed in).
 *
 * `{{ prisoner(c.prisonNumber) }}`: `Smith, John (A1234BC)`, or the number alone;
 * `prisonerName(number)`: `Smith, John`, or empty.
 *
 * `prisonerLink(number, { qa, href })` (markup, for a table cell's `html`): the name as the link to
 * the prisoner's page, the number under it, as the caseload shows them.
 *
 * Nunjucks calls a global with the template's context as `this`.
 */
export function addNameGlobals(env: nunjucks.Environment): void {
  env.addGlobal('person', function (this: ViewContext, username: unknown) {
    if (typeof username !== 'string') return '';
    const user = this.ctx?.user;
    if (user?.username === username && user.displayName) return user.displayName;
    const name = this.ctx?.names?.staff.get(username);
    return name ? `${name} (${username})` : username;
  });
  env.addGlobal('staffName', function (this: ViewContext, username: unknown) {
    return typeof username === 'string' ? (this.ctx?.names?.staff.get(username) ?? '') : '';
  });
  env.addGlobal('prisoner', function (this: ViewContext, prisonNumber: unknown) {
    if (typeof prisonNumber !== 'string') return '';
    const name = prisonerName(this, prisonNumber);
    return name ? `${name} (${prisonNumber})` : prisonNumber;
  });
  env.addGlobal('prisonerName', function (this: ViewContext, prisonNumber: unknown) {
    return typeof prisonNumber === 'string' ? (prisonerName(this, prisonNumber) ?? '') : '';
  });
  env.addGlobal(
    'prisonerLink',
    function (this: ViewContext, prisonNumber: unknown, opts: { qa?: string; href?: string } = {}) {
      if (typeof prisonNumber !== 'string') return '';
      const name = prisonerName(this, prisonNumber);
      const href = opts.href ?? `/prisoners/${encodeURIComponent(prisonNumber)}`;
      const qa = opts.qa ? ` data-qa="${escapeHtml(opts.qa)}"` : '';
      const link = `<a class="govuk-link"${qa} href="${escapeHtml(href)}">${escapeHtml(name ?? prisonNumber)}</a>`;
      return new nunjucks.runtime.SafeString(
        name ? `${link}<br><span class="govuk-body-s">${escapeHtml(prisonNumber)}</span>` : link,
      );
    },
  );
}
