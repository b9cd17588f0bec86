/**
 * The waiting calls of one simulated run, kept so that each walk of the claim order is the minimum
 * of a few heaps: calls are bucketed by what decides who may hear them (establishment, tier,
 * language, required trainings) and each bucket is a heap in the policy's order. A call that leaves
 * the queue (heard, purged) is dropped from its heap when it reaches the top.
 */
import { Tier } from '../common/vocabulary';
import { ENGLISH } from '../triage/priority-policy';
import { ClaimableCall, ClaimingListener, ClaimWalks, mayHear } from './claim-order';
import { Heap } from './heap';

export type CallState = 'WAITING' | 'UNHEARABLE' | 'HEARD' | 'PURGED';

/** A call of one run: what triage made of it, and what happened to it. */
export interface QueuedCall extends ClaimableCall {
  /** Its place in the simulation's input (its handling time is drawn for that place). */
  index: number;
  startedAt: number;
  arrivedAt: number;
  dueAt: number;
  purgeAt: number;
  mappaLevel: number | null;
  victimContact: boolean;
  patternAlert: boolean;
  /** UNHEARABLE: in a language nobody in the plan speaks (it would wait for a translation). */
  state: CallState;
  claimedAt: number | null;
  loggedAt: number | null;
  listener: string | null;
}

interface Bucket {
  establishment: string;
  tier: Tier;
  /** A call of the bucket: every call in it has the same establishment, tier, language and trainings. */
  sample: QueuedCall;
  heap: Heap<QueuedCall>;
}

export class QueueIndex implements ClaimWalks<QueuedCall> {
  private readonly byEstablishment = new Map<string, Map<string, Bucket>>();
  private readonly byLeader = new Map<string, Map<string, Bucket>>();

  /** `leaders`: the simulated listeners; calls led by anyone else are never in a lead walk. */
  constructor(
    private readonly order: (a: QueuedCall, b: QueuedCall) => number,
    private readonly leaders: ReadonlySet<string>,
  ) {}

  add(call: QueuedCall): void {
    this.bucketIn(this.byEstablishment, call.establishment, call).heap.push(call);
    if (call.leadListener !== null && this.leaders.has(call.leadListener))
      this.bucketIn(this.byLeader, call.leadListener, call).heap.push(call);
  }

  best(establishment: string, listener: ClaimingListener): QueuedCall | null {
    return this.first(this.byEstablishment.get(establishment), listener, () => true);
  }

  bestOtherLanguage(establishment: string, listener: ClaimingListener, tier: Tier) {
    return this.first(
      this.byEstablishment.get(establishment),
      listener,
      (b) => b.tier === tier && b.sample.language !== ENGLISH,
    );
  }

  bestLed(listener: ClaimingListener): QueuedCall | null {
    return this.first(this.byLeader.get(listener.username), listener, (b) =>
      listener.establishments.includes(b.establishment),
    );
  }

  private first(
    buckets: Map<string, Bucket> | undefined,
    listener: ClaimingListener,
    keep: (b: Bucket) => boolean,
  ): QueuedCall | null {
    let best: QueuedCall | null = null;
    for (const b of buckets?.values() ?? []) {
      if (!keep(b) || !mayHear(listener, b.sample)) continue;
      let head = b.heap.peek();
      while (head && head.state !== 'WAITING') {
        b.heap.pop();
        head = b.heap.peek();
      }
      if (head && (!best || this.order(head, best) < 0)) best = head;
    }
    return best;
  }

  private bucketIn(map: Map<string, Map<string, Bucket>>, key: string, call: QueuedCall): Bucket {
    let buckets = map.get(key);
    if (!buckets) map.set(key, (buckets = new Map<string, Bucket>()));
    const k = `${call.establishment}|${call.tier}|${call.language}|${[...call.requiredTrainings].sort().join(',')}`;
    let bucket = buckets.get(k);
    if (!bucket) {
      bucket = {
        establishment: call.establishment,
        tier: call.tier,
        sample: call,
        heap: new Heap(this.order),
      };
      buckets.set(k, bucket);
    }
    return bucket;
  }
}
