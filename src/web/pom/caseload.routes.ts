import { Router } from 'express';
import type { EscalationStatus } from '../../common/vocabulary';
import {
  CASELOAD_SEARCH_MAX_LENGTH,
  CASELOAD_SORTS,
  type CaseloadSort,
  isCaseloadSort,
} from '../../escalations/caseload-view';
import { pageNumber, pagination, text, toFormErrors } from '../forms';
import { handle, requireRole } from '../guards';
import type { WebServices } from '../services';
import { webUser } from '../web-user';

const PAGE_SIZE = 25;

/** The caseload's sortable columns: the header, the key in `?sort=`, and the first click's order. */
const CASELOAD_COLUMNS: {
  key: CaseloadSort;
  text: string;
  numeric?: boolean;
  /** The order a first click gives (most first for counts and risk). */
  firstOrder: 'asc' | 'desc';
}[] = [
  { key: 'name', text: 'Name', firstOrder: 'asc' },
  { key: 'unread', text: 'Unread logs', numeric: true, firstOrder: 'desc' },
  { key: 'escalations', text: 'Open escalations', numeric: true, firstOrder: 'desc' },
  { key: 'lastLog', text: 'Last log', firstOrder: 'desc' },
  { key: 'mappa', text: 'MAPPA', firstOrder: 'desc' },
  { key: 'rosh', text: 'RoSH', firstOrder: 'desc' },
];

/** A query's `?name=…&…` for a link, leaving out empty values. */
function href(path: string, query: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

/** A checkbox of the filter: on only when sent as `yes`. */
const ticked = (v: unknown) => text(v) === 'yes';

/**
 * My caseload: the POM's prisoners, 25 a page, those needing them first, narrowed by a GET form
 * (a name or prison number, and what needs the POM) and sortable by column. The sort and the
 * filter are in the query, so that they hold across pages and work without JavaScript; the
 * headings are links. Only when every match is on one page does MoJ Frontend's sortable table
 * turn them into buttons that sort in the page (by the same values): paged, it would sort one page.
 */
export function caseloadRoutes({
  caseload,
  escalations,
  digests,
}: Pick<WebServices, 'caseload' | 'escalations' | 'digests'>): Router {
  const router = Router();

  router.get(
    '/caseload',
    requireRole('POM'),
    handle(async (req, res) => {
      const user = webUser(req);
      const establishment = user.activeEstablishment ?? undefined;
      const q = req.query as Record<string, unknown>;
      const search = text(q.search).trim().replace(/\s+/g, ' ');
      const filter = {
        withUnreadLogs: ticked(q.unread),
        withOverdueEscalations: ticked(q.overdue),
        monitored: ticked(q.monitored),
      };
      const sortAsked = text(q.sort);
      const column = isCaseloadSort(sortAsked)
        ? CASELOAD_COLUMNS.find((c) => c.key === sortAsked)
        : undefined;
      const orderAsked = text(q.order);
      const order =
        orderAsked === 'asc' || orderAsked === 'desc' ? orderAsked : (column?.firstOrder ?? 'asc');
      const page = pageNumber(q.page);
      const filterQuery = {
        search,
        unread: filter.withUnreadLogs ? 'yes' : undefined,
        overdue: filter.withOverdueEscalations ? 'yes' : undefined,
        monitored: filter.monitored ? 'yes' : undefined,
      };
      const sortQuery = { sort: column?.key, order: column ? order : undefined };

      // A search longer than any name is refused with the form's message; the page still shows
      // the caseload's counts (read with no rows, so nothing is audited as shown).
      const searchError =
        search.length > CASELOAD_SEARCH_MAX_LENGTH
          ? `Name or prison number must be ${CASELOAD_SEARCH_MAX_LENGTH} characters or fewer`
          : null;

      // What the escalations inbox holds for this POM, counted (no rows read) for the start page.
      const waiting = (w: { status?: EscalationStatus; overdue?: boolean }) =>
        escalations
          .list(user, { mine: true, ...w, establishment, limit: 0, offset: 0 })
          .then((r) => r.total);
      // The pages work in the establishment chosen in the header (and audit only what they show).
      const [shown, newCount, acknowledgedCount, overdueCount] = await Promise.all([
        caseload.page(user, establishment, {
          ...filter,
          search: searchError ? undefined : search,
          sort: column?.key,
          order,
          limit: searchError ? 0 : PAGE_SIZE,
          offset: (page - 1) * PAGE_SIZE,
        }),
        waiting({ status: 'OPEN' }),
        waiting({ status: 'ACKNOWLEDGED' }),
        waiting({ overdue: true }),
      ]);
      const total = searchError ? 0 : shown.total;
      const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
      // A page past the end (a link from before prisoners left the caseload): its last page.
      if (!searchError && page > pages) {
        res.redirect(
          href('/caseload', { ...filterQuery, ...sortQuery, page: pages > 1 ? String(pages) : '' }),
        );
        return;
      }
      // Handover dates that have come with no digest sent to the COM yet (the daily job's marks).
      const due = await digests.due(shown.items.map((e) => e.prisonNumber));
      const paged = pagination('/caseload', page, total, PAGE_SIZE, {
        ...filterQuery,
        ...sortQuery,
      });
      const formErrors = toFormErrors(
        searchError ? [{ field: 'search', message: searchError }] : [],
      );
      const filtered = Boolean(search || Object.values(filter).some(Boolean));
      res.status(searchError ? 400 : 200).render('pages/pom/caseload', {
        // Each cell's value for MoJ's sortable table, the same the server sorts by.
        entries: shown.items.map((e) => ({
          ...e,
          digestDue: due.get(e.prisonNumber) ?? null,
          sortValue: Object.fromEntries(
            CASELOAD_COLUMNS.map((c) => [c.key, CASELOAD_SORTS[c.key](e)]),
          ),
        })),
        sortInPage: !paged,
        head: CASELOAD_COLUMNS.map((c) => {
          const sorted = column?.key === c.key;
          const next = sorted ? (order === 'asc' ? 'desc' : 'asc') : c.firstOrder;
          // A new order starts again at the first page, with the same filter.
          const link = href('/caseload', { ...filterQuery, sort: c.key, order: next });
          return {
            html: `<a class="govuk-link" href="${link.replace(/&/g, '&amp;')}" data-qa="sort-${c.key}">${c.text}</a>`,
            format: c.numeric ? 'numeric' : undefined,
            attributes: {
              'aria-sort': sorted ? (order === 'asc' ? 'ascending' : 'descending') : 'none',
            },
          };
        }),
        counts: shown.caseload,
        shownFrom: total ? (page - 1) * PAGE_SIZE + 1 : 0,
        shownTo: Math.min(page * PAGE_SIZE, total),
        total,
        filtered,
        values: { search, ...filter },
        sortQuery,
        clearHref: href('/caseload', sortQuery),
        errorSummary: formErrors.summary,
        errorFor: formErrors.byId,
        pagination: paged,
        inbox: { new: newCount, acknowledged: acknowledgedCount, overdue: overdueCount },
      });
    }),
  );

  return router;
}
