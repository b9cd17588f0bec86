import { initialValues, inputOf, planRequest, readPlan, wordingOf } from './plan-staffing-form';

describe('the Plan staffing form', () => {
  it('starts on the last full month, with two rows and every policy', () => {
    const v = initialValues('2026-12-02');
    expect(v.from).toEqual({ day: '1', month: '11', year: '2026' });
    expect(v.to).toEqual({ day: '30', month: '11', year: '2026' });
    expect(v.rows).toHaveLength(2);
    expect(v.policies).toEqual(['CURRENT', 'FIFO', 'MAPPA_LEVEL']);
    expect(initialValues('2026-01-15').from).toEqual({ day: '1', month: '12', year: '2025' });
  });

  it('becomes the API’s request body, leaving out rows with no listeners', () => {
    const values = readPlan({
      rows: '3',
      'from-day': '1',
      'from-month': '10',
      'from-year': '2026',
      'to-day': '31',
      'to-month': '10',
      'to-year': '2026',
      'row-0-listeners': '',
      'row-1-listeners': '3',
      'row-1-days': ['MON', 'TUE'],
      'row-1-start': '08:00',
      'row-1-end': '16:00',
      'row-1-trainings': 'DOMESTIC_ABUSE',
      'row-1-languages': 'PL, ur',
      'row-2-listeners': 'two',
      'row-2-days': 'SAT',
      'row-2-start': '16:00',
      'row-2-end': '22:00',
      policies: ['CURRENT', 'FIFO'],
      handling: 'FIXED',
      meanMinutes: '9',
      sdMinutes: '4',
    });
    const { body, rowOf, errors } = planRequest('NHI', values);
    expect(errors).toEqual([]);
    expect(rowOf).toEqual([1, 2]);
    expect(body).toEqual({
      establishment: 'NHI',
      source: { kind: 'HISTORY', from: '2026-10-01', to: '2026-10-31' },
      staffing: [
        {
          listeners: 3,
          days: ['MON', 'TUE'],
          start: '08:00',
          end: '16:00',
          trainings: ['DOMESTIC_ABUSE'],
          languages: ['pl', 'ur'],
        },
        {
          listeners: 'two',
          days: ['SAT'],
          start: '16:00',
          end: '22:00',
          trainings: [],
          languages: [],
        },
      ],
      handling: { kind: 'FIXED', meanMinutes: 9, sdMinutes: 4 },
      policies: ['CURRENT', 'FIFO'],
    });
  });

  it('asks for at least one row and one policy', () => {
    const { errors } = planRequest('NHI', { ...initialValues('2026-12-02'), policies: [] });
    expect(errors.map((e) => e.field)).toEqual(['row-0-listeners', 'policies']);
  });

  it('puts the API’s field errors on the form row they came from, in the form’s words', () => {
    expect(inputOf('staffing[1].end', [0, 2])).toBe('row-2-end');
    expect(inputOf('source.to', [])).toBe('to-day');
    expect(inputOf('source.from', [])).toBe('from-day');
    expect(inputOf('handling.meanMinutes', [])).toBe('meanMinutes');
    expect(wordingOf('row-2-end', 'must be after start')).toBe('End must be after the start');
    expect(wordingOf('to-day', 'the period may be at most 92 days (it is 400)')).toBe(
      'The period must be at most 92 days',
    );
    expect(wordingOf('from-day', 'is not a day of the calendar')).toBe(
      'First day must be a real date',
    );
  });
});
