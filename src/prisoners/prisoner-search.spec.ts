import { readPrisonerQuery } from './prisoner-search';

describe('readPrisonerQuery', () => {
  it('reads a prison number in any case, spaces and all', () => {
    const q = readPrisonerQuery('  a1234 bc ');
    expect(q).toMatchObject({ ok: true, query: 'a1234 bc', prisonNumber: 'A1234BC' });
  });

  it('one word: the start of a first or a last name', () => {
    expect(readPrisonerQuery('zeb')).toEqual({
      ok: true,
      query: 'zeb',
      prisonNumber: null,
      pairs: [
        { first: 'zeb', last: null },
        { first: null, last: 'zeb' },
      ],
    });
  });

  it('more words: first then last, either order, split at any space', () => {
    const q = readPrisonerQuery('Mary  Ann Smith');
    expect(q.ok && q.pairs).toEqual([
      { first: 'Mary', last: 'Ann Smith' },
      { first: 'Ann Smith', last: 'Mary' },
      { first: 'Mary Ann', last: 'Smith' },
      { first: 'Smith', last: 'Mary Ann' },
    ]);
  });

  it('refuses an empty search and one over 100 characters', () => {
    expect(readPrisonerQuery('   ')).toMatchObject({ ok: false, error: { field: 'q' } });
    expect(readPrisonerQuery('x'.repeat(100)).ok).toBe(true);
    expect(readPrisonerQuery('x'.repeat(101))).toMatchObject({
      ok: false,
      error: { message: 'Search must be 100 characters or fewer' },
    });
  });
});
