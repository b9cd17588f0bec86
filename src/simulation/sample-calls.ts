import { Tier } from '../common/vocabulary';
import { DEFAULT_SETTINGS } from '../establishments/settings';
import { SimulatedCall, SimulationSettings } from './model';

/** The establishment's default settings, as the simulator takes them. */
export const DEFAULT_SIMULATION_SETTINGS: SimulationSettings = {
  slaHours: DEFAULT_SETTINGS.slaHours,
  mailSlaHours: DEFAULT_SETTINGS.mailSlaHours,
  keywordLexicon: [],
  continuityCreditHours: DEFAULT_SETTINGS.continuityCreditHours,
  retentionDays: DEFAULT_SETTINGS.retentionDays,
};

export interface CallShape {
  id: string;
  startedAt: Date;
  /** P1 a victim contact, P2 MAPPA level 2, P3 under an offence-related authorisation, P4 random only. */
  tier?: Tier;
  mappaLevel?: 2 | 3 | null;
  establishment?: string;
  language?: string;
  /** RDV: the listener needs DOMESTIC_ABUSE training. */
  domesticAbuse?: boolean;
  patternAlert?: boolean;
  durationSeconds?: number;
  /** Not covered by any authorisation: triage keeps it out of the queue. */
  unmonitored?: boolean;
}

/** A call whose facts give the tier asked for through the real priority policy. */
export function simulatedCall(shape: CallShape): SimulatedCall {
  const tier = shape.tier ?? 'P3';
  const number = `+44791100${shape.id.replace(/\D/g, '').padStart(4, '0').slice(-4)}`;
  const mappaLevel = shape.mappaLevel ?? (tier === 'P2' ? 2 : null);
  return {
    id: shape.id,
    durationSeconds: shape.durationSeconds ?? 0,
    facts: {
      call: {
        dialledNumber: number,
        startedAt: shape.startedAt,
        channel: 'PHONE',
        language: shape.language ?? 'en',
        establishmentCode: shape.establishment ?? 'NHI',
        transcript: null,
      },
      prisoner: {
        alertCodes: shape.domesticAbuse ? ['RDV'] : [],
        mappaCategory: mappaLevel === null ? null : 1,
        mappaLevel,
        roshLevel: null,
        earliestReleaseDate: null,
        leadListenerUsername: null,
        keyDates: [],
      },
      contacts: [
        {
          id: `contact-${shape.id}`,
          relationship: 'FRIEND',
          phoneNumbers: [number],
          isVictim: tier === 'P1',
          isChild: false,
          restriction: 'NONE',
        },
      ],
      privilegedDirectory: [],
      mailCorrespondentKind: null,
      authorisations: shape.unmonitored
        ? []
        : [
            {
              type: tier === 'P4' ? 'RANDOM' : 'OFFENCE_RELATED',
              channels: ['PHONE'],
              startsAt: new Date(Date.UTC(2020, 0, 1)),
              endsAt: null,
              lookbackDays: 0,
            },
          ],
      hasOpenHighConcernEscalation: false,
      openPatternAlertReason: shape.patternAlert ? 'burst of calls' : null,
      callsToNumber: null,
    },
  };
}
