import { Ground } from '../common/vocabulary';
import { ProtectionMarker } from '../prisoners/protection-markers';

/**
 * The monitoring request a decision to MONITOR starts from (the workbench fills the form with it;
 * the decider reads, changes and submits it): the grounds the markers point to, phone calls, and a
 * justification that says why the decision was asked for. Pure.
 */
const GROUNDS_OF: Record<ProtectionMarker, Ground[]> = {
  RDV: ['CRIME', 'PUBLIC_SAFETY'],
  RSP: ['CRIME', 'PUBLIC_SAFETY'],
  OHCO: ['CRIME', 'RIGHTS_AND_FREEDOMS'],
  ONCR: ['RIGHTS_AND_FREEDOMS'],
  CPC: ['PUBLIC_SAFETY', 'RIGHTS_AND_FREEDOMS'],
  CPRC: ['PUBLIC_SAFETY', 'RIGHTS_AND_FREEDOMS'],
  MAPPA_LEVEL_2: ['PUBLIC_SAFETY'],
  MAPPA_LEVEL_3: ['PUBLIC_SAFETY'],
  ROSH_HIGH: ['PUBLIC_SAFETY'],
  ROSH_VERY_HIGH: ['PUBLIC_SAFETY'],
  VICTIM_CONTACT: ['CRIME', 'RIGHTS_AND_FREEDOMS'],
};

const GROUND_ORDER: Ground[] = [
  'NATIONAL_SECURITY',
  'CRIME',
  'PUBLIC_SAFETY',
  'PRISON_SECURITY',
  'HEALTH_OR_MORALS',
  'RIGHTS_AND_FREEDOMS',
];

export interface RequestDraft {
  type: 'OFFENCE_RELATED';
  grounds: Ground[];
  channels: ['PHONE'];
  justification: string;
}

export function monitoringRequestDraft(d: {
  prisonNumber: string;
  reason: string;
  markers: readonly string[];
}): RequestDraft {
  const grounds = new Set<Ground>(
    d.markers.flatMap((m) => GROUNDS_OF[m as ProtectionMarker] ?? ['PUBLIC_SAFETY']),
  );
  return {
    type: 'OFFENCE_RELATED',
    grounds: GROUND_ORDER.filter((g) => grounds.has(g)),
    channels: ['PHONE'],
    justification:
      `${d.reason}. Monitoring ${d.prisonNumber}'s phone calls is necessary to protect the people ` +
      'these markers name and to prevent further offending; it is proportionate: phone calls only, ' +
      'for the offence-related review period.',
  };
}
