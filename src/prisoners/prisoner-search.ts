import { FieldError } from '../common/errors';
import { PRISON_NUMBER } from '../common/vocabulary';

/** The longest search the workbench takes, in characters (once trimmed). */
export const PRISONER_SEARCH_MAX = 100;

/** The most prisoners one search lists. */
export const PRISONER_SEARCH_LIMIT = 50;

/** A prefix of the first name and of the last name that a match must have (null: any). */
export interface NamePair {
  first: string | null;
  last: string | null;
}

/** What was typed, understood: a prison number, else the ways it may name someone. */
export type PrisonerQuery =
  | { ok: true; query: string; prisonNumber: string | null; pairs: NamePair[] }
  | { ok: false; query: string; error: FieldError };

/**
 * Reads a search: "a1234bc" or " A1234 BC " is the prison number A1234BC (it may also be the
 * start of nobody's name, so the names are searched if no prisoner has it); one word is the
 * start of a first or a last name; more words are the start of the first name then of the last,
 * in either order and split at any space ("Mary Ann Smith", "Smith Mary Ann").
 */
export function readPrisonerQuery(raw: string): PrisonerQuery {
  const query = raw.trim();
  if (query === '') {
    return { ok: false, query, error: { field: 'q', message: 'Enter a prison number or a name' } };
  }
  if (query.length > PRISONER_SEARCH_MAX) {
    return {
      ok: false,
      query,
      error: {
        field: 'q',
        message: `Search must be ${PRISONER_SEARCH_MAX} characters or fewer`,
      },
    };
  }
  const compact = query.replace(/\s+/g, '').toUpperCase();
  const words = query.split(/\s+/);
  const pairs: NamePair[] =
    words.length === 1
      ? [
          { first: words[0], last: null },
          { first: null, last: words[0] },
        ]
      : words.slice(1).flatMap((_, i) => {
          const a = words.slice(0, i + 1).join(' ');
          const b = words.slice(i + 1).join(' ');
          return [
            { first: a, last: b },
            { first: b, last: a },
          ];
        });
  return { ok: true, query, prisonNumber: PRISON_NUMBER.test(compact) ? compact : null, pairs };
}
