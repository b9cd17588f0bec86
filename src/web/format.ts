// How the workbench writes numbers, durations and lists for people: one place, en-GB.
import { DAY_MS, HOUR_MS } from '../common/clock';

const whole = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('en-GB', {
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
});
const upToOneDecimal = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 });
const percent = new Intl.NumberFormat('en-GB', { style: 'percent', maximumFractionDigits: 0 });

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** `1234.5` → `1,235`; `0.25` with `decimals` 1 → `0.3`; anything not a number → ''. */
export function formatNumber(value: unknown, decimals: 0 | 1 = 0): string {
  if (!isNumber(value)) return '';
  return decimals === 1 ? upToOneDecimal.format(value) : whole.format(value);
}

/** Minutes with one decimal: `0.11666…` → `0.1 minutes`, `1` → `1.0 minute`. */
export function formatMinutes(minutes: unknown): string {
  if (!isNumber(minutes)) return '';
  const text = oneDecimal.format(minutes);
  return `${text} ${text === '1.0' ? 'minute' : 'minutes'}`;
}

/** A share (0.42) as a whole percentage: `42%`. */
export function formatPercent(share: unknown): string {
  return isNumber(share) ? percent.format(share) : '';
}

const collator = new Intl.Collator('en-GB', { numeric: true, sensitivity: 'base' });

/** Natural order of names: listener1, listener2, listener10. */
export const compareNatural = (a: string, b: string): number => collator.compare(a, b);

/**
 * How long ago `due` passed, in the largest whole unit ("4 weeks", "3 days", "5 hours"), or null if
 * it is not past yet.
 */
export function overdueBy(due: unknown, now: Date): string | null {
  const at = due instanceof Date ? due : typeof due === 'string' ? new Date(due) : null;
  if (!at || Number.isNaN(at.getTime())) return null;
  const late = now.getTime() - at.getTime();
  if (late <= 0) return null;
  const plural = (n: number, unit: string) => `${whole.format(n)} ${unit}${n === 1 ? '' : 's'}`;
  if (late >= 14 * DAY_MS) return plural(Math.floor(late / (7 * DAY_MS)), 'week');
  if (late >= DAY_MS) return plural(Math.floor(late / DAY_MS), 'day');
  if (late >= HOUR_MS) return plural(Math.floor(late / HOUR_MS), 'hour');
  return plural(Math.max(1, Math.floor(late / 60_000)), 'minute');
}

/**
 * Each reason once, in words: the triage may give a reason and the same reason with the hours it
 * brings the call forward ("MAPPA level 3" and "MAPPA level 3 (+12 h)"); one is shown, with the
 * hours, in the first one's place.
 */
export function uniqueReasons(reasons: readonly string[]): string[] {
  const credit = /\s*\(\+(\d+(?:\.\d+)?) h\)\s*$/;
  const stem = (r: string) => r.replace(credit, '').trim().toLowerCase();
  const kept: string[] = [];
  for (const reason of reasons) {
    const i = kept.findIndex((k) => stem(k) === stem(reason));
    if (i === -1) kept.push(reason);
    else if (credit.test(reason)) kept[i] = reason;
  }
  return kept.map((r) => {
    const words = r.replace(credit, (_m, h: string) =>
      h === '1' ? ' (brought forward 1 hour)' : ` (brought forward ${h} hours)`,
    );
    return words.charAt(0).toUpperCase() + words.slice(1);
  });
}

/**
 * People by their display names in natural order, each with the `name` a page shows: the display
 * name, and the username beside it only where two people share a display name.
 */
export function namedPeople<T extends { displayName: string; username: string }>(
  people: readonly T[],
): (T & { name: string })[] {
  const count = new Map<string, number>();
  for (const p of people) {
    const key = p.displayName.trim().toLowerCase();
    count.set(key, (count.get(key) ?? 0) + 1);
  }
  return people
    .map((p) => ({
      ...p,
      name:
        (count.get(p.displayName.trim().toLowerCase()) ?? 0) > 1
          ? `${p.displayName} (${p.username})`
          : p.displayName,
    }))
    .sort((a, b) => compareNatural(a.name, b.name) || compareNatural(a.username, b.username));
}
