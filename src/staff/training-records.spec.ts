import {
  currentTrainings,
  trainingCounts,
  trainingDatesProblem,
  TrainingRecord,
} from './training-records';

const record = (over: Partial<TrainingRecord>): TrainingRecord => ({
  code: 'DOMESTIC_ABUSE',
  completedOn: null,
  expiresOn: null,
  ...over,
});

describe('training records', () => {
  it('counts a training until the day before it expires, not on the expiry day (the near miss)', () => {
    expect(trainingCounts(record({ expiresOn: '2026-12-03' }), '2026-12-02')).toBe(true);
    expect(trainingCounts(record({ expiresOn: '2026-12-02' }), '2026-12-02')).toBe(false);
    expect(trainingCounts(record({ expiresOn: '2025-01-01' }), '2026-12-02')).toBe(false);
  });

  it('counts one without an expiry date always (a plain code)', () => {
    expect(trainingCounts(record({}), '2100-01-01')).toBe(true);
  });

  it('keeps only the codes that count, in the order recorded', () => {
    expect(
      currentTrainings(
        [
          record({ code: 'CHILD_SAFEGUARDING' }),
          record({ code: 'PUBLIC_PROTECTION', expiresOn: '2026-11-30' }),
          record({ code: 'DOMESTIC_ABUSE', expiresOn: '2027-11-30' }),
        ],
        '2026-12-02',
      ),
    ).toEqual(['CHILD_SAFEGUARDING', 'DOMESTIC_ABUSE']);
  });

  it('refuses an expiry on or before completion, naming expiresOn', () => {
    const problem = { field: 'expiresOn', message: 'must be after completedOn' };
    expect(trainingDatesProblem({ completedOn: '2026-02-01', expiresOn: '2026-01-31' })).toEqual(
      problem,
    );
    expect(trainingDatesProblem({ completedOn: '2026-02-01', expiresOn: '2026-02-01' })).toEqual(
      problem,
    );
    expect(trainingDatesProblem({ completedOn: '2026-02-01', expiresOn: '2026-02-02' })).toBeNull();
    expect(trainingDatesProblem({ completedOn: null, expiresOn: '2020-01-01' })).toBeNull();
  });
});
