import Holidays from 'date-holidays';
import { DAY_MS } from './clock';

/**
 * Working days in England and Wales: not a weekend, not a bank holiday. Bank holidays (with their
 * substitute days) come from the maintained date-holidays data set, not a hand-typed list.
 */
export class WorkingCalendar {
  private readonly byYear = new Map<number, Set<string>>();

  constructor(private readonly holidaysOf: (year: number) => string[]) {}

  /** The London calendar date (YYYY-MM-DD) of an instant. */
  static londonDate(at: Date): string {
    return LONDON_DATE.format(at);
  }

  isWorkingDay(isoDate: string): boolean {
    const weekday = new Date(`${isoDate}T12:00:00Z`).getUTCDay();
    if (weekday === 0 || weekday === 6) return false;
    return !this.holidays(Number(isoDate.slice(0, 4))).has(isoDate);
  }

  /**
   * The same time of day, `days` working days after `from` (counted in London dates). A due time
   * from a weekend or bank holiday counts from the next working day.
   */
  addWorkingDays(from: Date, days: number): Date {
    let date = WorkingCalendar.londonDate(from);
    let steps = 0;
    let counted = 0;
    while (counted < days) {
      date = nextDate(date);
      steps += 1;
      if (this.isWorkingDay(date)) counted += 1;
    }
    return new Date(from.getTime() + steps * DAY_MS);
  }

  /** The next date (after `from`'s London date) falling on `weekday` (0 Sunday … 6 Saturday) that is a working day. */
  nextWorkingWeekday(from: Date, weekday: number): string {
    let date = nextDate(WorkingCalendar.londonDate(from));
    for (let i = 0; i < 366; i += 1) {
      if (new Date(`${date}T12:00:00Z`).getUTCDay() === weekday && this.isWorkingDay(date))
        return date;
      date = nextDate(date);
    }
    throw new Error(`No working ${weekday} within a year of ${from.toISOString()}`);
  }

  private holidays(year: number): Set<string> {
    let set = this.byYear.get(year);
    if (!set) {
      set = new Set(this.holidaysOf(year));
      this.byYear.set(year, set);
    }
    return set;
  }
}

const LONDON_DATE = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

function nextDate(isoDate: string): string {
  return new Date(Date.parse(`${isoDate}T12:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
}

let englandAndWales: WorkingCalendar | null = null;

/** Bank holidays of England and Wales (GB-ENG: the same days apply in Wales). */
export function englandAndWalesCalendar(): WorkingCalendar {
  if (!englandAndWales) {
    const data = new Holidays('GB', 'ENG');
    englandAndWales = new WorkingCalendar((year) =>
      data
        .getHolidays(year)
        .filter((h) => h.type === 'public')
        .map((h) => h.date.slice(0, 10)),
    );
  }
  return englandAndWales;
}
