import type { CaseloadEntry } from './caseload.repository';
import { caseloadCounts, matchesCaseloadFilter, sortCaseload } from './caseload-view';

const entry = (over: Partial<CaseloadEntry>): CaseloadEntry => ({
  prisonNumber: 'A1234BC',
  firstName: 'Kim',
  lastName: 'Casey',
  establishmentCode: 'LEI',
  mappaCategory: null,
  mappaLevel: null,
  roshLevel: null,
  earliestReleaseDate: null,
  unreadLogs: 0,
  openEscalations: 0,
  overdueEscalations: 0,
  lastLogAt: null,
  lastLogConcern: null,
  monitoringStatus: 'NONE',
  monitoringReviewDueAt: null,
  ...over,
});

describe('the caseload’s filter and order', () => {
  it('finds a prisoner by each word of the search, in names or prison number, in any case', () => {
    const e = entry({ firstName: 'Kim', lastName: "O'Neill", prisonNumber: 'A1234BC' });
    for (const search of ['', 'kim', "o'neill, kim", 'KIM o', 'a1234', '  neill  ']) {
      expect(matchesCaseloadFilter(e, { search })).toBe(true);
    }
    for (const search of ['kim smith', 'B1234', 'zed']) {
      expect(matchesCaseloadFilter(e, { search })).toBe(false);
    }
  });

  it('keeps only what each ticked box asks for, and counts the whole caseload for each', () => {
    const rows = [
      entry({ prisonNumber: 'A1', unreadLogs: 2 }),
      entry({ prisonNumber: 'A2', overdueEscalations: 1, openEscalations: 1 }),
      entry({ prisonNumber: 'A3', monitoringStatus: 'ACTIVE', unreadLogs: 1 }),
      entry({ prisonNumber: 'A4', monitoringStatus: 'REQUESTED' }),
    ];
    const kept = (f: Parameters<typeof matchesCaseloadFilter>[1]) =>
      rows.filter((e) => matchesCaseloadFilter(e, f)).map((e) => e.prisonNumber);
    expect(kept({ withUnreadLogs: true })).toEqual(['A1', 'A3']);
    expect(kept({ withOverdueEscalations: true })).toEqual(['A2']);
    expect(kept({ monitored: true })).toEqual(['A3']);
    expect(kept({ monitored: true, withUnreadLogs: true })).toEqual(['A3']);
    expect(caseloadCounts(rows)).toEqual({
      prisoners: 4,
      withUnreadLogs: 2,
      withOverdueEscalations: 1,
      monitored: 1,
    });
  });

  it('sorts by a column either way, ties by last name, and keeps the given order without one', () => {
    const rows = [
      entry({ lastName: 'Bell', unreadLogs: 1 }),
      entry({ lastName: 'Adams', unreadLogs: 1 }),
      entry({ lastName: 'Cole', unreadLogs: 3 }),
    ];
    const names = (r: CaseloadEntry[]) => r.map((e) => e.lastName);
    expect(names(sortCaseload(rows, undefined, 'asc'))).toEqual(['Bell', 'Adams', 'Cole']);
    expect(names(sortCaseload(rows, 'unread', 'desc'))).toEqual(['Cole', 'Adams', 'Bell']);
    expect(names(sortCaseload(rows, 'unread', 'asc'))).toEqual(['Adams', 'Bell', 'Cole']);
    expect(names(sortCaseload(rows, 'name', 'desc'))).toEqual(['Cole', 'Bell', 'Adams']);
  });
});
