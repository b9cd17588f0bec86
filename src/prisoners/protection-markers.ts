import { RoshLevel } from '../common/vocabulary';

/**
 * Public-protection markers (issue 14): what makes an arrival need a decision about monitoring.
 * Alert codes stand for themselves; the rest are named here. Pure: callers pass the facts.
 */
export const PROTECTION_ALERT_CODES = ['RDV', 'RSP', 'OHCO', 'ONCR', 'CPC', 'CPRC'] as const;

export const PROTECTION_MARKERS = [
  ...PROTECTION_ALERT_CODES,
  'MAPPA_LEVEL_2',
  'MAPPA_LEVEL_3',
  'ROSH_HIGH',
  'ROSH_VERY_HIGH',
  'VICTIM_CONTACT',
] as const;
export type ProtectionMarker = (typeof PROTECTION_MARKERS)[number];

export interface ProtectionFacts {
  alertCodes: readonly string[];
  mappaLevel: number | null;
  roshLevel: RoshLevel | null;
  /** A victim among the prisoner's contacts. */
  hasVictimContact: boolean;
}

/** The prisoner's public-protection markers, in the order of PROTECTION_MARKERS. */
export function protectionMarkers(f: ProtectionFacts): ProtectionMarker[] {
  const present = new Set<string>(f.alertCodes.map((c) => c.toUpperCase()));
  if (f.mappaLevel === 2 || f.mappaLevel === 3) present.add(`MAPPA_LEVEL_${f.mappaLevel}`);
  if (f.roshLevel === 'HIGH' || f.roshLevel === 'VERY_HIGH') present.add(`ROSH_${f.roshLevel}`);
  if (f.hasVictimContact) present.add('VICTIM_CONTACT');
  return PROTECTION_MARKERS.filter((m) => present.has(m));
}

/** Markers in `now` that `before` lacked (all of them when there was no before). */
export function addedMarkers(
  before: readonly string[] | null,
  now: readonly ProtectionMarker[],
): ProtectionMarker[] {
  return before ? now.filter((m) => !before.includes(m)) : [...now];
}

const MARKER_WORDS: Record<ProtectionMarker, string> = {
  RDV: 'domestic abuse perpetrator (RDV)',
  RSP: 'stalking perpetrator (RSP)',
  OHCO: 'harassment order (OHCO)',
  ONCR: 'no-contact request (ONCR)',
  CPC: 'person posing a risk to children (CPC)',
  CPRC: 'potential risk to children (CPRC)',
  MAPPA_LEVEL_2: 'MAPPA level 2',
  MAPPA_LEVEL_3: 'MAPPA level 3',
  ROSH_HIGH: 'RoSH high',
  ROSH_VERY_HIGH: 'RoSH very high',
  VICTIM_CONTACT: 'a victim among the contacts',
};

/** "domestic abuse perpetrator (RDV), RoSH high". */
export function markersInWords(markers: readonly string[]): string {
  return markers.map((m) => MARKER_WORDS[m as ProtectionMarker] ?? m).join(', ');
}
