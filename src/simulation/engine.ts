/**
 * The discrete-event run of one policy over a period. Events, in time order (and at the same instant
 * in this order): a listener logs a call, a shift ends, a shift starts, a call is purged at the end
 * of its retention, a call arrives, the backlog is counted on the hour.
 *
 * A free listener on shift takes the call the policy gives them; nothing given, they wait until a
 * call they may hear arrives. They never start a call they could not finish within their shift:
 * given one that would run past its end, they stop for the day.
 */
import { HOUR_MS } from '../common/clock';
import { mayHear } from './claim-order';
import { Heap } from './heap';
import { Policy } from './policies';
import { QueueIndex, QueuedCall } from './queue-index';
import { SimulatedListener } from './shifts';

export interface EngineRun {
  /** This run's own copies, in order of arrival. */
  calls: QueuedCall[];
  listeners: readonly SimulatedListener[];
  /** Handling time of each input call, by its index. */
  handlingMs: readonly number[];
  policy: Policy;
  from: number;
  to: number;
}

export interface EngineOutcome {
  busyMs: number;
  shiftMs: number;
  backlogHourly: { at: number; waiting: number }[];
}

interface OnDuty {
  listener: SimulatedListener;
  shiftEnd: number | null;
  busy: boolean;
}

type ShiftEvent = { at: number; starts: boolean; who: OnDuty; end: number };

const COMPLETION = 0;
const SHIFT_END = 1;
const SHIFT_START = 2;
const PURGE = 3;
const ARRIVAL = 4;
const SAMPLE = 5;

export function runEngine(run: EngineRun): EngineOutcome {
  const { calls, handlingMs, policy, from, to } = run;
  const walks = new QueueIndex(policy.order, new Set(run.listeners.map((l) => l.username)));
  const duty: OnDuty[] = run.listeners.map((listener) => ({
    listener,
    shiftEnd: null,
    busy: false,
  }));
  const shiftEvents: ShiftEvent[] = duty
    .flatMap((who) =>
      who.listener.shifts.flatMap((s) => [
        { at: s.start, starts: true, who, end: s.end },
        { at: s.end, starts: false, who, end: s.end },
      ]),
    )
    .sort((a, b) => a.at - b.at || Number(a.starts) - Number(b.starts));
  const purges = [...calls].sort((a, b) => a.purgeAt - b.purgeAt || a.index - b.index);
  const completions = new Heap<{ at: number; who: OnDuty }>((a, b) => a.at - b.at);
  /** Listeners waiting for a call, by establishment, longest waiting first. */
  const idle = new Map<string, Set<OnDuty>>();
  const outcome: EngineOutcome = { busyMs: 0, shiftMs: 0, backlogHourly: [] };
  for (const l of run.listeners) for (const s of l.shifts) outcome.shiftMs += s.end - s.start;
  let waiting = 0;

  const stopWaiting = (who: OnDuty) => {
    for (const e of who.listener.establishments) idle.get(e)?.delete(who);
  };

  const takeNext = (who: OnDuty, now: number) => {
    if (who.shiftEnd === null || who.busy) return;
    const call = policy.choose(who.listener, walks);
    if (!call) {
      for (const e of who.listener.establishments) {
        let set = idle.get(e);
        if (!set) idle.set(e, (set = new Set()));
        set.add(who);
      }
      return;
    }
    const handling = handlingMs[call.index];
    if (now + handling > who.shiftEnd) {
      who.shiftEnd = null;
      return;
    }
    call.state = 'HEARD';
    call.claimedAt = now;
    call.loggedAt = now + handling;
    call.listener = who.listener.username;
    waiting -= 1;
    who.busy = true;
    outcome.busyMs += handling;
    completions.push({ at: now + handling, who });
  };

  let a = 0;
  let p = 0;
  let s = 0;
  let sample = from;
  for (;;) {
    // The next event: the earliest instant, and at one instant the lowest kind.
    let at = Infinity;
    let kind = -1;
    const consider = (t: number | undefined, k: number) => {
      if (t !== undefined && t < at) [at, kind] = [t, k];
    };
    consider(completions.peek()?.at, COMPLETION);
    consider(shiftEvents[s] && !shiftEvents[s].starts ? shiftEvents[s].at : undefined, SHIFT_END);
    consider(shiftEvents[s]?.starts ? shiftEvents[s].at : undefined, SHIFT_START);
    consider(purges[p]?.purgeAt, PURGE);
    consider(calls[a]?.arrivedAt, ARRIVAL);
    consider(sample <= to ? sample : undefined, SAMPLE);
    if (kind < 0 || at > to) break;

    switch (kind) {
      case COMPLETION: {
        const { who } = completions.pop()!;
        who.busy = false;
        takeNext(who, at);
        break;
      }
      case SHIFT_END:
      case SHIFT_START: {
        const { who, starts, end } = shiftEvents[s++];
        if (starts) {
          who.shiftEnd = end;
          takeNext(who, at);
        } else {
          who.shiftEnd = null;
          stopWaiting(who);
        }
        break;
      }
      case PURGE: {
        const call = purges[p++];
        if (call.arrivedAt <= at && (call.state === 'WAITING' || call.state === 'UNHEARABLE')) {
          call.state = 'PURGED';
          waiting -= 1;
        }
        break;
      }
      case ARRIVAL: {
        const call = calls[a++];
        waiting += 1;
        if (call.state !== 'WAITING') break;
        walks.add(call);
        for (const who of [...(idle.get(call.establishment) ?? [])]) {
          if (!mayHear(who.listener, call)) continue;
          stopWaiting(who);
          takeNext(who, at);
          if (call.state !== 'WAITING') break;
        }
        break;
      }
      case SAMPLE:
        outcome.backlogHourly.push({ at, waiting });
        sample += HOUR_MS;
        break;
    }
  }
  return outcome;
}

/** Nearest-rank quantile of sorted values (0 when there are none). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)];
}
