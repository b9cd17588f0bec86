import type { CaseloadEntry } from './caseload.repository';

/**
 * The rules for narrowing and ordering a POM's caseload: which prisoners a filter keeps, the
 * orders besides the default (most urgent first, as the repository reads them), and what each
 * compares. Pure, so that the web's in-page sort can use the same values.
 */

const ROSH_RANK: Record<string, number> = { LOW: 1, MEDIUM: 2, HIGH: 3, VERY_HIGH: 4 };

/** Each order's `?sort=` key and the value it compares. */
export const CASELOAD_SORTS = {
  name: (e: CaseloadEntry) => `${e.lastName}, ${e.firstName}`.toLowerCase(),
  unread: (e: CaseloadEntry) => e.unreadLogs,
  escalations: (e: CaseloadEntry) => e.overdueEscalations * 10_000 + e.openEscalations,
  lastLog: (e: CaseloadEntry) => (e.lastLogAt ? new Date(e.lastLogAt).getTime() : 0),
  mappa: (e: CaseloadEntry) => (e.mappaLevel ?? 0) * 10 + (e.mappaCategory ?? 0),
  rosh: (e: CaseloadEntry) => (e.roshLevel ? (ROSH_RANK[e.roshLevel] ?? 0) : 0),
} satisfies Record<string, (e: CaseloadEntry) => string | number>;

export type CaseloadSort = keyof typeof CASELOAD_SORTS;

export const isCaseloadSort = (key: string): key is CaseloadSort =>
  Object.prototype.hasOwnProperty.call(CASELOAD_SORTS, key);

/** Longer than any name and prison number together: a longer search is a mistake, not a name. */
export const CASELOAD_SEARCH_MAX_LENGTH = 100;

export interface CaseloadFilter {
  /** Words each found in the prisoner's first name, last name or prison number (any case). */
  search?: string;
  withUnreadLogs?: boolean;
  withOverdueEscalations?: boolean;
  monitored?: boolean;
}

/** How many of the whole caseload each of the filters would keep. */
export interface CaseloadCounts {
  prisoners: number;
  withUnreadLogs: number;
  withOverdueEscalations: number;
  monitored: number;
}

const words = (s: string) =>
  s
    .toLowerCase()
    .split(/[\s,]+/)
    .filter(Boolean);

export function matchesCaseloadFilter(e: CaseloadEntry, f: CaseloadFilter): boolean {
  if (f.withUnreadLogs && e.unreadLogs === 0) return false;
  if (f.withOverdueEscalations && e.overdueEscalations === 0) return false;
  if (f.monitored && e.monitoringStatus !== 'ACTIVE') return false;
  const wanted = words(f.search ?? '');
  if (wanted.length === 0) return true;
  const own = words(`${e.firstName} ${e.lastName} ${e.prisonNumber}`);
  return wanted.every((w) => own.some((o) => o.includes(w)));
}

export function caseloadCounts(rows: readonly CaseloadEntry[]): CaseloadCounts {
  return {
    prisoners: rows.length,
    withUnreadLogs: rows.filter((e) => e.unreadLogs > 0).length,
    withOverdueEscalations: rows.filter((e) => e.overdueEscalations > 0).length,
    monitored: rows.filter((e) => e.monitoringStatus === 'ACTIVE').length,
  };
}

/** Names in natural order (Smith2 before Smith10), whatever their case and accents. */
const natural = new Intl.Collator('en-GB', { numeric: true, sensitivity: 'base' });
const byName = (a: CaseloadEntry, b: CaseloadEntry) =>
  natural.compare(`${a.lastName}, ${a.firstName}`, `${b.lastName}, ${b.firstName}`);

/** The rows in `sort` order (ties by name), or as they came (most urgent first) without one. */
export function sortCaseload(
  rows: readonly CaseloadEntry[],
  sort: CaseloadSort | undefined,
  order: 'asc' | 'desc',
): CaseloadEntry[] {
  if (!sort) return [...rows];
  const value = CASELOAD_SORTS[sort];
  return [...rows].sort((a, b) => {
    const [x, y] = [value(a), value(b)];
    const c =
      typeof x === 'string' && typeof y === 'string'
        ? natural.compare(x, y)
        : x < y
          ? -1
          : x > y
            ? 1
            : 0;
    return (order === 'asc' ? c : -c) || byName(a, b);
  });
}
