/**
 * The policy simulator: the same calls and staffing plan, run once per policy (README, "Policy
 * simulator"). Pure: no database, no clock; the same input (and seed) gives the same answer.
 */
import { HOUR_MS } from '../common/clock';
import { TIERS, Tier } from '../common/vocabulary';
import { quantile, runEngine } from './engine';
import { drawHandlingTimes } from './handling';
import {
  GroupFigures,
  PolicyResult,
  PolicyRun,
  SimulationInput,
  SimulationResult,
  SimulationSettings,
  TierFigures,
} from './model';
import { policyOf } from './policies';
import { mergeSettings, PreparedCalls, prepareCalls } from './prepare';
import { QueuedCall } from './queue-index';
import { listenersOf } from './shifts';

const round = (n: number, places: number) => Math.round(n * 10 ** places) / 10 ** places;
const percent = (part: number, whole: number) =>
  whole === 0 ? 100 : round((100 * part) / whole, 1);

/** A call heard within its SLA: logged by its due time (as the product's backlog figures count). */
const withinSla = (c: QueuedCall) => c.state === 'HEARD' && c.loggedAt! <= c.dueAt;

/**
 * The calls the SLA percentage is of: those heard, and those due by the end of the period. A call
 * still waiting at the end whose due time is after it has not missed its SLA (yet): counted in
 * `calls` and `unheard`, left out of the percentage, or every call arriving after the last shift
 * of the period would count as a failure of the policy.
 */
const judged = (calls: readonly QueuedCall[], end: number) =>
  calls.filter((c) => c.state === 'HEARD' || c.dueAt <= end).length;

function tierFigures(calls: readonly QueuedCall[], end: number): TierFigures {
  const heard = calls.filter((c) => c.state === 'HEARD');
  const waits = heard.map((c) => (c.claimedAt! - c.arrivedAt) / HOUR_MS).sort((x, y) => x - y);
  const within = calls.filter(withinSla).length;
  return {
    calls: calls.length,
    heard: heard.length,
    heardWithinSla: within,
    heardWithinSlaPercent: percent(within, judged(calls, end)),
    medianWaitHours: round(quantile(waits, 0.5), 2),
    p95WaitHours: round(quantile(waits, 0.95), 2),
    unheard: calls.filter((c) => c.state === 'WAITING' || c.state === 'UNHEARABLE').length,
    purgedUnheard: calls.filter((c) => c.state === 'PURGED').length,
  };
}

function groupFigures(calls: readonly QueuedCall[], end: number): GroupFigures {
  const within = calls.filter(withinSla).length;
  return {
    calls: calls.length,
    heardWithinSla: within,
    heardWithinSlaPercent: percent(within, judged(calls, end)),
  };
}

/** The settings a policy runs under: CURRENT may change them; the others keep the establishment's. */
function settingsOf(run: PolicyRun, base: SimulationSettings): SimulationSettings {
  return run.kind === 'CURRENT' ? mergeSettings(base, run.settings) : base;
}

export function simulate(input: SimulationInput): SimulationResult {
  const names = new Set(input.policies.map((p) => p.name));
  if (names.size !== input.policies.length)
    throw new RangeError('policies: each policy run needs its own name');
  if (input.to.getTime() <= input.from.getTime()) throw new RangeError('to: must be after from');
  const establishments = [...new Set(input.calls.map((c) => c.facts.call.establishmentCode))];
  const listeners = listenersOf(input.staffing, input.from, input.to, establishments);
  const languages = new Set(listeners.flatMap((l) => l.languages));
  const handlingMs = drawHandlingTimes(input.handling, input.calls.length);
  // Triage depends on the settings only: runs under the same settings share it.
  const prepared = new Map<string, PreparedCalls>();
  const result: SimulationResult = {
    calls: 0,
    notQueued: 0,
    awaitingTranslation: 0,
    listenerHours: 0,
    policies: {},
  };

  for (const run of input.policies) {
    const settings = settingsOf(run, input.settings);
    const key = JSON.stringify(settings);
    let triaged = prepared.get(key);
    if (!triaged) {
      triaged = prepareCalls(input.calls, settings, languages, input.from, input.to);
      prepared.set(key, triaged);
    }
    const calls = triaged.queued.map((c) => ({ ...c }));
    const outcome = runEngine({
      calls,
      listeners,
      handlingMs,
      policy: policyOf(run.kind, settings),
      from: input.from.getTime(),
      to: input.to.getTime(),
    });
    const byTier = Object.fromEntries(
      TIERS.map((t) => [
        t,
        tierFigures(
          calls.filter((c) => c.tier === t),
          input.to.getTime(),
        ),
      ]),
    ) as Record<Tier, TierFigures>;
    const policy: PolicyResult = {
      byTier,
      victimContact: groupFigures(
        calls.filter((c) => c.victimContact),
        input.to.getTime(),
      ),
      patternAlert: groupFigures(
        calls.filter((c) => c.patternAlert),
        input.to.getTime(),
      ),
      utilisationPercent:
        outcome.shiftMs === 0 ? 0 : round((100 * outcome.busyMs) / outcome.shiftMs, 1),
      backlogHourly: outcome.backlogHourly.map((b) => ({
        at: new Date(b.at).toISOString(),
        waiting: b.waiting,
      })),
    };
    if (input.trace) {
      policy.claims = calls
        .filter((c) => c.state === 'HEARD')
        .map((c) => ({
          callId: c.id,
          listener: c.listener!,
          claimedAt: new Date(c.claimedAt!),
          loggedAt: new Date(c.loggedAt!),
        }))
        .sort((x, y) => x.claimedAt.getTime() - y.claimedAt.getTime());
    }
    result.policies[run.name] = policy;
    result.calls = calls.length;
    result.notQueued = triaged.notQueued;
    result.awaitingTranslation = triaged.queued.filter((c) => c.state === 'UNHEARABLE').length;
    result.listenerHours = round(outcome.shiftMs / HOUR_MS, 1);
  }
  return result;
}
