import { Router } from 'express';
import type { EscalationStatus } from '../../common/vocabulary';
import type { CaseloadEntry } from '../../escalations/caseload.service';
import { compareNatural } from '../format';
import { text } from '../forms';
import { handle, requireRole } from '../guards';
import type { WebServices } from '../services';
import { webUser } from '../web-user';

const ROSH_RANK: Record<string, number> = { LOW: 1, MEDIUM: 2, HIGH: 3, VERY_HIGH: 4 };

/** The caseload's sortable columns: the header, the key in `?sort=`, and how to compare. */
const CASELOAD_COLUMNS: {
  key: string;
  text: string;
  numeric?: boolean;
  /** The order a first click gives (most first for counts and risk). */
  firstOrder: 'asc' | 'desc';
  value: (e: CaseloadEntry) => string | number;
}[] = [
  {
    key: 'name',
    text: 'Name',
    firstOrder: 'asc',
    value: (e) => `${e.lastName}, ${e.firstName}`.toLowerCase(),
  },
  {
    key: 'unread',
    text: 'Unread logs',
    numeric: true,
    firstOrder: 'desc',
    value: (e) => e.unreadLogs,
  },
  {
    key: 'escalations',
    text: 'Open escalations',
    numeric: true,
    firstOrder: 'desc',
    value: (e) => e.overdueEscalations * 10_000 + e.openEscalations,
  },
  {
    key: 'lastLog',
    text: 'Last log',
    firstOrder: 'desc',
    value: (e) => (e.lastLogAt ? new Date(e.lastLogAt).getTime() : 0),
  },
  {
    key: 'mappa',
    text: 'MAPPA',
    firstOrder: 'desc',
    value: (e) => (e.mappaLevel ?? 0) * 10 + (e.mappaCategory ?? 0),
  },
  {
    key: 'rosh',
    text: 'RoSH',
    firstOrder: 'desc',
    value: (e) => (e.roshLevel ? (ROSH_RANK[e.roshLevel] ?? 0) : 0),
  },
];

/**
 * My caseload: the POM's prisoners, sortable, with what waits in their escalations inbox. The
 * column headings are links that sort here (without JavaScript); MoJ Frontend's sortable table
 * turns them into buttons that sort in the page, by the same values.
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
      // What the escalations inbox holds for this POM, counted (no rows read) for the start page.
      const waiting = (q: { status?: EscalationStatus; overdue?: boolean }) =>
        escalations
          .list(user, {
            mine: true,
            ...q,
            establishment: user.activeEstablishment ?? undefined,
            limit: 0,
            offset: 0,
          })
          .then((r) => r.total);
      // The pages work in the establishment chosen in the header (and audit only what they show).
      const [{ items: here }, newCount, acknowledgedCount, overdueCount] = await Promise.all([
        caseload.mine(user, user.activeEstablishment ?? undefined),
        waiting({ status: 'OPEN' }),
        waiting({ status: 'ACKNOWLEDGED' }),
        waiting({ overdue: true }),
      ]);
      const column = CASELOAD_COLUMNS.find((c) => c.key === text(req.query.sort));
      const order =
        text(req.query.order) === 'asc' || text(req.query.order) === 'desc'
          ? text(req.query.order)
          : (column?.firstOrder ?? 'asc');
      const rows = column
        ? [...here].sort((a, b) => {
            const [x, y] = [column.value(a), column.value(b)];
            const c =
              typeof x === 'string' && typeof y === 'string'
                ? compareNatural(x, y)
                : x < y
                  ? -1
                  : x > y
                    ? 1
                    : 0;
            return (
              (order === 'asc' ? c : -c) ||
              compareNatural(`${a.lastName}, ${a.firstName}`, `${b.lastName}, ${b.firstName}`)
            );
          })
        : here;
      // Handover dates that have come with no digest sent to the COM yet (the daily job's marks).
      const due = await digests.due(here.map((e) => e.prisonNumber));
      res.render('pages/pom/caseload', {
        // Each cell's value for MoJ's sortable table, the same the server sorts by.
        entries: rows.map((e) => ({
          ...e,
          digestDue: due.get(e.prisonNumber) ?? null,
          sortValue: Object.fromEntries(CASELOAD_COLUMNS.map((c) => [c.key, c.value(e)])),
        })),
        head: CASELOAD_COLUMNS.map((c) => {
          const sorted = column?.key === c.key;
          const next = sorted ? (order === 'asc' ? 'desc' : 'asc') : c.firstOrder;
          return {
            html: `<a class="govuk-link" href="/caseload?sort=${c.key}&amp;order=${next}" data-qa="sort-${c.key}">${c.text}</a>`,
            format: c.numeric ? 'numeric' : undefined,
            attributes: {
              'aria-sort': sorted ? (order === 'asc' ? 'ascending' : 'descending') : 'none',
            },
          };
        }),
        inbox: { new: newCount, acknowledged: acknowledgedCount, overdue: overdueCount },
      });
    }),
  );

  return router;
}
