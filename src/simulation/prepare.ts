import { DEFAULT_SETTINGS } from '../establishments/settings';
/**
 * The calls of a period as the product's triage would queue them under the given settings: the real
 * priority policy (triageCall) decides status, tier, due times and required trainings; nothing of it
 * is re-implemented here.
 */
import { DAY_MS } from '../common/clock';
import { resolveContact, triageCall } from '../triage/priority-policy';
import { SettingsOverride, SimulatedCall, SimulationSettings } from './model';
import { QueuedCall } from './queue-index';

export interface PreparedCalls {
  /** In order of arrival. */
  queued: QueuedCall[];
  notQueued: number;
}

/** Stored overrides win, key by key (as the establishment's settings are resolved). */
export function mergeSettings(
  base: SimulationSettings,
  override: SettingsOverride | undefined,
): SimulationSettings {
  if (!override) return base;
  return {
    ...base,
    ...override,
    slaHours: { ...base.slaHours, ...(override.slaHours ?? {}) },
    mailSlaHours: { ...base.mailSlaHours, ...(override.mailSlaHours ?? {}) },
  };
}

export function arrivalOf(call: SimulatedCall): number {
  return (
    call.arrivedAt?.getTime() ?? call.facts.call.startedAt.getTime() + call.durationSeconds * 1000
  );
}

/**
 * Triage of every call arriving in [from, to). `listenerLanguages` are the languages the plan's
 * listeners speak: a call in another is queued as the product would (awaiting translation) and,
 * translation not being simulated, is never heard.
 */
export function prepareCalls(
  calls: readonly SimulatedCall[],
  settings: SimulationSettings,
  listenerLanguages: ReadonlySet<string>,
  from: Date,
  to: Date,
): PreparedCalls {
  const queued: QueuedCall[] = [];
  let notQueued = 0;
  calls.forEach((call, index) => {
    const arrivedAt = arrivalOf(call);
    if (arrivedAt < from.getTime() || arrivedAt >= to.getTime()) return;
    const decision = triageCall(
      {
        ...call.facts,
        settings: {
          slaHours: settings.slaHours,
          mailSlaHours: settings.mailSlaHours,
          keywordLexicon: settings.keywordLexicon,
          // Key dates and bursts are not simulated yet: the product's defaults.
          preReleaseWindowDays: DEFAULT_SETTINGS.preReleaseWindowDays,
          preReleaseMarginHours: DEFAULT_SETTINGS.preReleaseMarginHours,
          burstP1Cap: DEFAULT_SETTINGS.burstP1Cap,
        },
        listenerLanguages,
      },
      new Date(arrivedAt),
    );
    if (decision.status !== 'PENDING' && decision.status !== 'AWAITING_TRANSLATION') {
      notQueued += 1;
      return;
    }
    const { facts } = call;
    const startedAt = facts.call.startedAt.getTime();
    queued.push({
      id: call.id,
      index,
      establishment: facts.call.establishmentCode,
      tier: decision.tier,
      effectiveDueAt: decision.effectiveDueAt.getTime(),
      language: facts.call.language.toLowerCase(),
      requiredTrainings: decision.requiredTrainings,
      leadListener: decision.leadListenerUsername,
      startedAt,
      arrivedAt,
      dueAt: decision.dueAt.getTime(),
      purgeAt: startedAt + settings.retentionDays * DAY_MS,
      mappaLevel: facts.prisoner?.mappaLevel ?? null,
      victimContact: resolveContact(facts.call.dialledNumber, facts.contacts)?.isVictim ?? false,
      patternAlert: facts.openPatternAlertReason !== null,
      state: decision.status === 'PENDING' ? 'WAITING' : 'UNHEARABLE',
      claimedAt: null,
      loggedAt: null,
      listener: null,
    });
  });
  queued.sort((a, b) => a.arrivedAt - b.arrivedAt || a.index - b.index);
  return { queued, notQueued };
}
