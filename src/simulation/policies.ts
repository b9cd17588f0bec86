/**
 * The policies compared: CURRENT is the product's claim order (claim-order.ts) under its settings;
 * FIFO and MAPPA_LEVEL are what a prison without it might do. Every policy keeps eligibility: a
 * listener only ever takes a call they are trained for and whose language they speak.
 */
import { ClaimingListener, chooseClaim, queueOrder } from './claim-order';
import { PolicyKind, SimulationSettings } from './model';
import { QueueIndex, QueuedCall } from './queue-index';

export interface Policy {
  /** The order of the queue's walks. */
  order: (a: QueuedCall, b: QueuedCall) => number;
  /** The call a free listener takes, or null. */
  choose: (listener: ClaimingListener, walks: QueueIndex) => QueuedCall | null;
}

const byArrival = (a: QueuedCall, b: QueuedCall) => a.arrivedAt - b.arrivedAt || a.index - b.index;

/** MAPPA level 3 first, then level 2, then every other call. */
const mappaRank = (c: QueuedCall) => (c.mappaLevel === 3 ? 0 : c.mappaLevel === 2 ? 1 : 2);

/** The first call in the policy's order at any of the listener's establishments. */
function firstInOrder(order: Policy['order']): Policy['choose'] {
  return (listener, walks) => {
    let best: QueuedCall | null = null;
    for (const e of listener.establishments) {
      const head = walks.best(e, listener);
      if (head && (!best || order(head, best) < 0)) best = head;
    }
    return best;
  };
}

export function policyOf(kind: PolicyKind, settings: SimulationSettings): Policy {
  switch (kind) {
    case 'CURRENT':
      return {
        order: queueOrder,
        choose: (listener, walks) =>
          chooseClaim(listener, walks, () => settings.continuityCreditHours),
      };
    case 'FIFO':
      return { order: byArrival, choose: firstInOrder(byArrival) };
    case 'MAPPA_LEVEL': {
      const order = (a: QueuedCall, b: QueuedCall) =>
        mappaRank(a) - mappaRank(b) || byArrival(a, b);
      return { order, choose: firstInOrder(order) };
    }
  }
}
