/**
 * The sentence a head of OMU repeats at a meeting: how the plan does for the most urgent calls under
 * the product's policy, beside arrival order, and what retention would purge unheard.
 */
import { TIERS, Tier } from '../common/vocabulary';
import { PolicyResult } from './model';

/** 99.6 → "99.6%", 41.0 → "41%". */
export const percentText = (n: number) => `${Number.isInteger(n) ? n : n.toFixed(1)}%`;

const hoursText = (h: number) =>
  h % 24 === 0 && h >= 48 ? `${h / 24} days` : `${h} hour${h === 1 ? '' : 's'}`;

const count = (n: number) => n.toLocaleString('en-GB');

/** How the sentence names a policy it compares with. */
const NAMES: Record<string, string> = { FIFO: 'FIFO', MAPPA_LEVEL: 'MAPPA level' };

/**
 * `lead` is the policy the sentence is about (CURRENT when it ran), `others` the ones it is set
 * beside (FIFO first), `slaHours` the lead's SLA of each tier.
 */
export function summarySentence(
  policies: Record<string, PolicyResult>,
  slaHours: Record<Tier, number>,
): string {
  const names = Object.keys(policies);
  if (names.length === 0) return 'No policy was simulated.';
  const lead = names.includes('CURRENT') ? 'CURRENT' : names[0];
  const result = policies[lead];
  const tier = TIERS.find((t) => result.byTier[t].calls > 0);
  if (!tier) return 'With this plan no monitored call arrives in the period.';
  const comparisons = [...names.filter((n) => n === 'FIFO'), ...names.filter((n) => n !== 'FIFO')]
    .filter((n) => n !== lead)
    .map((n) => `${NAMES[n] ?? n}: ${percentText(policies[n].byTier[tier].heardWithinSlaPercent)}`);
  const heard =
    `With this plan ${percentText(result.byTier[tier].heardWithinSlaPercent)} of ${tier} calls ` +
    `are heard within ${hoursText(slaHours[tier])}` +
    (comparisons.length ? ` (${comparisons.join('; ')})` : '');
  const purged = TIERS.filter((t) => result.byTier[t].purgedUnheard > 0)
    .reverse()
    .map((t) => `${count(result.byTier[t].purgedUnheard)} ${t}`);
  const waiting = TIERS.reduce((n, t) => n + result.byTier[t].unheard, 0);
  const purgedTotal = TIERS.reduce((n, t) => n + result.byTier[t].purgedUnheard, 0);
  const tail = purged.length
    ? `${joinAnd(purged)} call${purgedTotal === 1 ? '' : 's'} would be purged unheard`
    : 'no call would be purged unheard';
  const still = waiting > 0 ? `, and ${count(waiting)} would still wait at the end` : '';
  return `${heard}; ${tail}${still}.`;
}

function joinAnd(parts: string[]): string {
  return parts.length <= 1
    ? parts.join('')
    : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}
