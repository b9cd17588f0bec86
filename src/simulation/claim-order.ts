/**
 * The claim order, written once: which waiting call a free listener is given. It mirrors CLAIM_SQL in
 * src/queue/queue.repository.ts (test/integration/claim-order.int-spec.ts checks on PostgreSQL that
 * both pick the same call); the simulator uses nothing else to decide what a listener hears.
 *
 * Not modelled here, because the simulator has neither: calls held back from a listener who released
 * them (cool-down), conflicts of interest, and the limit on calls held at once (a simulated listener
 * claims only when they hold nothing).
 */
import { Tier, Training } from '../common/vocabulary';
import { HOUR_MS } from '../common/clock';
import { ENGLISH } from '../triage/priority-policy';

/** A waiting call as the claim sees it (times in epoch milliseconds). */
export interface ClaimableCall {
  id: string;
  establishment: string;
  tier: Tier;
  effectiveDueAt: number;
  /** Lower case, as triage stores it. */
  language: string;
  requiredTrainings: readonly Training[];
  leadListener: string | null;
}

/** A listener asking for a call. */
export interface ClaimingListener {
  username: string;
  establishments: readonly string[];
  /**
   * The trainings that count now: an expired one does not (currentTrainings in
   * src/staff/training-records.ts, as the claim statement works them out from the staff row).
   */
  trainings: readonly Training[];
  /** Languages spoken besides English (every listener hears English). */
  languages: readonly string[];
}

/** ELIGIBLE: the listener's trainings cover the call's, and they hear its language. */
export function mayHear(listener: ClaimingListener, call: ClaimableCall): boolean {
  return (
    call.requiredTrainings.every((t) => listener.trainings.includes(t)) &&
    (call.language === ENGLISH || listener.languages.includes(call.language))
  );
}

/** The order of each walk of the queue: tier, then effective due time, then id (ties are rare). */
export function queueOrder(a: ClaimableCall, b: ClaimableCall): number {
  return (
    compareText(a.tier, b.tier) || a.effectiveDueAt - b.effectiveDueAt || compareText(a.id, b.id)
  );
}

/** One head of a walk, as the `chosen` step ranks it. */
export interface ClaimCandidate<C extends ClaimableCall> {
  call: C;
  otherLanguage: boolean;
  rankAt: number;
}

/**
 * `chosen`: tier, a call in another language first, then rank (due time less any credit), then id.
 * Ids compare as text: a uuid's lower-case text sorts as PostgreSQL sorts the uuid.
 */
export function candidateOrder(a: ClaimCandidate<ClaimableCall>, b: ClaimCandidate<ClaimableCall>) {
  return (
    compareText(a.call.tier, b.call.tier) ||
    Number(b.otherLanguage) - Number(a.otherLanguage) ||
    a.rankAt - b.rankAt ||
    compareText(a.call.id, b.call.id)
  );
}

/** Where the claim finds the head of each walk; each answer is a call the listener may hear. */
export interface ClaimWalks<C extends ClaimableCall> {
  /** The first call in queue order at the establishment that the listener may hear. */
  best(establishment: string, listener: ClaimingListener): C | null;
  /** The same, kept to one tier and to calls not in English. */
  bestOtherLanguage(establishment: string, listener: ClaimingListener, tier: Tier): C | null;
  /** The first call in queue order, at any of the listener's establishments, of a prisoner they lead. */
  bestLed(listener: ClaimingListener): C | null;
}

/**
 * The call CLAIM_SQL leases: the best of the `general` heads (one per establishment), the `spoken`
 * heads (for a speaker of another language, where the establishment's head is in English) and the
 * `lead` head (ranked earlier by the continuity credit of its establishment).
 */
export function chooseClaim<C extends ClaimableCall>(
  listener: ClaimingListener,
  walks: ClaimWalks<C>,
  continuityCreditHours: (establishment: string) => number,
): C | null {
  const candidates: ClaimCandidate<C>[] = [];
  const speaks = listener.languages.some((l) => l !== ENGLISH);
  for (const establishment of listener.establishments) {
    const head = walks.best(establishment, listener);
    if (!head) continue;
    const otherLanguage = head.language !== ENGLISH;
    candidates.push({ call: head, otherLanguage, rankAt: head.effectiveDueAt });
    if (otherLanguage || !speaks) continue;
    const spoken = walks.bestOtherLanguage(establishment, listener, head.tier);
    if (spoken)
      candidates.push({ call: spoken, otherLanguage: true, rankAt: spoken.effectiveDueAt });
  }
  const led = walks.bestLed(listener);
  if (led) {
    candidates.push({
      call: led,
      otherLanguage: led.language !== ENGLISH,
      rankAt: led.effectiveDueAt - continuityCreditHours(led.establishment) * HOUR_MS,
    });
  }
  candidates.sort(candidateOrder);
  return candidates[0]?.call ?? null;
}

/** The walks over a plain list of waiting calls (the reference the faster index is checked against). */
export function listWalks<C extends ClaimableCall>(calls: readonly C[]): ClaimWalks<C> {
  const first = (keep: (c: C) => boolean): C | null => {
    let best: C | null = null;
    for (const c of calls) if (keep(c) && (!best || queueOrder(c, best) < 0)) best = c;
    return best;
  };
  return {
    best: (establishment, listener) =>
      first((c) => c.establishment === establishment && mayHear(listener, c)),
    bestOtherLanguage: (establishment, listener, tier) =>
      first(
        (c) =>
          c.establishment === establishment &&
          c.tier === tier &&
          c.language !== ENGLISH &&
          mayHear(listener, c),
      ),
    bestLed: (listener) =>
      first(
        (c) =>
          c.leadListener === listener.username &&
          listener.establishments.includes(c.establishment) &&
          mayHear(listener, c),
      ),
  };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
