import { IsInt, Max } from 'class-validator';
import { checkDto, fieldWording, toFormErrors } from './form-errors';
import { dayValues, londonTime, parseDate, parseDay } from './dates';

class Sample {
  @IsInt() @Max(10) count!: number;
}

describe('the forms kit', () => {
  it('keeps the first error of each input, capitalised, linking to the input', () => {
    const errors = toFormErrors([
      { field: 'note', message: 'must be shorter' },
      { field: 'note', message: 'second' },
      { field: 'tags[2]', message: 'bad tag' },
    ]);
    expect(errors.summary).toEqual([
      { text: 'Must be shorter', href: '#note' },
      { text: 'Bad tag', href: '#tags' },
    ]);
    expect(errors.byId.note).toEqual({ text: 'Must be shorter' });
  });

  it('a field wording maps fields to inputs, puts them in page order and words them', () => {
    const wording = fieldWording(
      { type: 'type', endsAt: 'endsAt-day' },
      { endsAt: (raw) => (raw === 'too early' ? 'The end date must be later' : undefined) },
    );
    const errors = toFormErrors(
      [
        { field: 'other', message: 'is wrong' },
        { field: 'endsAt', message: 'too early' },
        { field: 'type', message: 'must be one of' },
      ],
      wording,
    );
    expect(errors.summary.map((e) => e.href)).toEqual(['#type', '#endsAt-day', '#other']);
    expect(errors.byId['endsAt-day'].text).toBe('The end date must be later');
    expect(errors.byId.type.text).toBe('Must be one of');
  });

  it('checks values as the API would, leaving out undefined and refusing unknown fields', async () => {
    expect((await checkDto(Sample, { count: 3, extra: undefined })).errors).toEqual([]);
    const refused = await checkDto(Sample, { count: 11, extra: 'x' });
    expect(refused.errors.map((e) => e.field).sort()).toEqual(['count', 'extra']);
  });

  it('reads a date input as a London day, or says what is wrong with it', () => {
    expect(parseDate({ day: '', month: '', year: '' }, 'The date')).toEqual({});
    expect(parseDate({ day: '1', month: '', year: '2026' }, 'The date').error).toBe(
      'The date must include a day, month and year',
    );
    expect(parseDate({ day: '30', month: '2', year: '2026' }, 'The date').error).toBe(
      'The date must be a real date',
    );
    expect(parseDate({ day: '1', month: '7', year: '2026' }, 'The date').date?.toISOString()).toBe(
      '2026-06-30T23:00:00.000Z',
    );
    expect(
      parseDate({ day: '1', month: '7', year: '2026' }, 'The date', true).date?.toISOString(),
    ).toBe('2026-07-01T22:59:59.000Z');
  });

  it('reads a date input as a calendar day for the API, and shows a day back in the inputs', () => {
    expect(parseDay({ day: '1', month: '2', year: '2026' }, 'The date')).toEqual({
      day: '2026-02-01',
    });
    expect(parseDay({ day: '07', month: '11', year: '2027' }, 'The date').day).toBe('2027-11-07');
    expect(parseDay({ day: '', month: '', year: '' }, 'The date')).toEqual({});
    expect(parseDay({ day: '29', month: '2', year: '2027' }, 'The date').error).toBe(
      'The date must be a real date',
    );
    expect(dayValues('2028-02-01')).toEqual({ day: '1', month: '2', year: '2028' });
    expect(dayValues(null)).toEqual({ day: '', month: '', year: '' });
  });

  it('a London date and time that does not exist is null', () => {
    expect(londonTime(2026, 2, 30, 10, 0)).toBeNull();
    expect(londonTime(2026, 1, 15, 25, 0)).toBeNull();
    expect(londonTime(2026, 7, 1, 10, 0)?.toISOString()).toBe('2026-07-01T09:00:00.000Z');
  });
});
