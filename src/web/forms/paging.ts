import { text } from './values';

/** Paging a list: `?page=` and govukPagination's links (mojPagination's too, with the count). */

/** `?page=` as a whole number from 1: 1 when missing or nonsense. */
export function pageNumber(v: unknown): number {
  const page = Number.parseInt(text(v), 10);
  return Number.isInteger(page) && page > 0 && page < 100_000 ? page : 1;
}

/**
 * govukPagination's links for a list of `total` items shown `pageSize` at a time, keeping the other
 * query parameters (empty ones left out); null when everything fits on one page. `results` is what
 * mojPagination says under the links ("Showing 21 to 40 of 45 total calls"); govukPagination
 * ignores it.
 */
export function pagination(
  path: string,
  page: number,
  total: number,
  pageSize: number,
  query: Record<string, string | undefined> = {},
  noun = 'results',
) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (pages <= 1) return null;
  const href = (p: number) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v) q.set(k, v);
    if (p > 1) q.set('page', String(p));
    const s = q.toString();
    return s ? `${path}?${s}` : path;
  };
  return {
    previous: page > 1 ? { href: href(page - 1) } : undefined,
    next: page < pages ? { href: href(page + 1) } : undefined,
    items: Array.from({ length: pages }, (_, i) => ({
      number: i + 1,
      href: href(i + 1),
      current: i + 1 === page,
    })),
    // None past the last page (`?page=` from a stale link): it shows nothing to count.
    results:
      page <= pages
        ? {
            from: (page - 1) * pageSize + 1,
            to: Math.min(page * pageSize, total),
            count: total,
            text: noun,
          }
        : undefined,
  };
}
