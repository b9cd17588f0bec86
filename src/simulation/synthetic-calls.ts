/**
 * SYNTHETIC calls: the demo world generator (src/demo/demo-world.ts) at a stated size, its calls
 * given the facts the product would store for them (numbers in canonical form, MAPPA and RoSH from
 * the alert codes, the authorisations as approved), so that triage decides them as it would after
 * ingest. Only calls of prisoners under an authorisation are generated: without one the policy
 * gives NOT_MONITORED, and the generator's other nine calls in ten would only cost time.
 *
 * Not generated: transcripts, pattern alerts, escalations, key dates and lead listeners (the plan's
 * listeners are nobody's lead), so no call is lifted by them.
 */
import { canonicalDialledNumber } from '../calls/call-record';
import { DAY_MS } from '../common/clock';
import { buildDemoWorld, DemoWorld } from '../demo/demo-world';
import { deriveRiskFromAlertCodes } from '../prisoners/alert-codes';
import {
  AuthorisationFacts,
  ContactFacts,
  PrisonerFacts,
  PrivilegedEntryFacts,
} from '../triage/triage-facts';
import { SimulatedCall } from './model';

/** Prisoners in a prison of the national average size (87,500 prisoners in 120 prisons). */
export const AVERAGE_PRISONERS = 729;
/** Calls a prisoner makes a day: 210,000 calls a day nationally. */
export const CALLS_PER_PRISONER_PER_DAY = 2.4;
/** Share of prisoners whose calls are monitored: a tenth of the calls. */
export const MONITORED_SHARE = 0.1;

export interface SyntheticOptions {
  /** Codes of the establishments, or how many to invent (AAA, AAB, …). */
  establishments: readonly string[] | number;
  /** Prisoners per establishment. */
  prisoners: number;
  /** The end of the period; calls end before it. */
  to: Date;
  days: number;
  seed: number;
  callsPerPrisonerPerDay?: number;
  monitoredShare?: number;
}

export interface SyntheticCalls {
  calls: SimulatedCall[];
  establishments: string[];
  world: DemoWorld;
}

const canonical = (n: string) => {
  const parsed = canonicalDialledNumber(n);
  return parsed.ok ? parsed.e164 : n;
};

export function syntheticCalls(options: SyntheticOptions): SyntheticCalls {
  const world = buildDemoWorld({
    seed: options.seed,
    now: options.to,
    establishments:
      typeof options.establishments === 'number'
        ? options.establishments
        : options.establishments.map((code) => ({ code, name: `HMP ${code}` })),
    prisonersPerEstablishment: options.prisoners,
    monitoredShare: options.monitoredShare ?? MONITORED_SHARE,
    days: options.days,
    callsPerPrisonerPerDay: options.callsPerPrisonerPerDay ?? CALLS_PER_PRISONER_PER_DAY,
    meanDurationSeconds: 414,
    externalIdPrefix: 'SIM',
    scenarios: true,
  });

  const authorisations = new Map<string, AuthorisationFacts[]>();
  for (const a of world.authorisations) {
    const list = authorisations.get(a.prisonNumber) ?? [];
    list.push({
      type: a.body.type,
      channels: [...a.body.channels],
      startsAt: new Date(a.body.startsAt),
      endsAt: null,
      lookbackDays: a.body.lookbackDays,
    });
    authorisations.set(a.prisonNumber, list);
  }
  const directory = new Map<string, PrivilegedEntryFacts[]>();
  for (const p of world.privilegedNumbers) {
    const n = canonical(p.phoneNumber);
    const list = directory.get(n) ?? [];
    list.push({ kind: p.kind, establishmentCode: p.establishmentCode ?? null });
    directory.set(n, list);
  }
  const people = new Map<string, { prisoner: PrisonerFacts; contacts: ContactFacts[] }>();
  for (const p of world.prisoners) {
    if (!authorisations.has(p.prisonNumber)) continue;
    const alertCodes = [...new Set(p.body.alertCodes.map((c) => c.toUpperCase()))];
    const risk = deriveRiskFromAlertCodes(alertCodes);
    people.set(p.prisonNumber, {
      prisoner: {
        alertCodes,
        mappaCategory: risk.mappaCategory,
        mappaLevel: risk.mappaLevel,
        roshLevel: risk.roshLevel,
        earliestReleaseDate: p.body.earliestReleaseDate
          ? new Date(`${p.body.earliestReleaseDate}T00:00:00Z`)
          : null,
        keyDates: [],
        leadListenerUsername: null,
      },
      contacts: p.contacts.map((c, i) => ({
        id: `${p.prisonNumber}-${i}`,
        name: c.name,
        relationship: c.relationship,
        phoneNumbers: [...new Set(c.phoneNumbers.map(canonical))],
        isVictim: c.isVictim,
        isChild: c.isChild,
        restriction: c.restriction,
      })),
    });
  }

  const calls: SimulatedCall[] = [];
  const from = options.to.getTime() - options.days * DAY_MS;
  for (const call of world.calls(new Set(people.keys()))) {
    const person = people.get(call.prisonNumber);
    if (!person) continue;
    const startedAt = new Date(call.startedAt);
    if (startedAt.getTime() < from) continue;
    const dialled = canonical(call.dialledNumber);
    calls.push({
      id: call.externalId,
      durationSeconds: call.durationSeconds,
      facts: {
        call: {
          dialledNumber: dialled,
          startedAt,
          channel: call.channel,
          language: call.language,
          establishmentCode: call.establishmentCode,
          transcript: null,
        },
        prisoner: person.prisoner,
        contacts: person.contacts,
        privilegedDirectory: directory.get(dialled) ?? [],
        mailCorrespondentKind: null,
        authorisations: authorisations.get(call.prisonNumber)!,
        hasOpenHighConcernEscalation: false,
        openPatternAlertReason: null,
        callsToNumber: null,
      },
    });
  }
  return {
    calls,
    establishments: world.establishments.map((e) => e.code),
    world,
  };
}
