import { RoshLevel } from '../common/vocabulary';

/**
 * The prison service's alert codes, and what each says about a prisoner's risk (DESIGN.md).
 * Table-driven so the mapping can be read and checked in one place.
 */
interface AlertMeaning {
  mappa?: { category: 1 | 2 | 3 | 4; level: 1 | 2 | 3 | null };
  rosh?: RoshLevel;
  flags?: RiskFlag[];
}

export type RiskFlag =
  | 'CHILD_CONTACT' // CC1-CC4, CPC, CPRC, RCC, RCS: calls to children matter
  | 'PPRC' // person (or potential person) posing a risk to children
  | 'DOMESTIC_ABUSE' // RDV
  | 'STALKING' // RSP
  | 'HARASSMENT_ORDER' // OHCO
  | 'NO_CONTACT_REQUEST' // ONCR
  | 'VICTIM_ENQUIRY' // OVI
  | 'RISK_TO_KNOWN_ADULT'; // RKC, RKS

export const ALERT_CODES: Readonly<Record<string, AlertMeaning>> = {
  P11: { mappa: { category: 1, level: null } },
  P22: { mappa: { category: 1, level: 1 } },
  P33: { mappa: { category: 1, level: 2 } },
  P44: { mappa: { category: 1, level: 3 } },
  P55: { mappa: { category: 2, level: null } },
  P66: { mappa: { category: 2, level: 1 } },
  P77: { mappa: { category: 2, level: 2 } },
  P88: { mappa: { category: 2, level: 3 } },
  P99: { mappa: { category: 3, level: 2 } },
  PA1: { mappa: { category: 3, level: 3 } },
  P100: { mappa: { category: 4, level: null } },
  P101: { mappa: { category: 4, level: 1 } },
  P102: { mappa: { category: 4, level: 2 } },
  P103: { mappa: { category: 4, level: 3 } },
  CC1: { flags: ['CHILD_CONTACT'] },
  CC2: { flags: ['CHILD_CONTACT'] },
  CC3: { flags: ['CHILD_CONTACT'] },
  CC4: { flags: ['CHILD_CONTACT'] },
  CPC: { flags: ['CHILD_CONTACT', 'PPRC'] },
  CPRC: { flags: ['CHILD_CONTACT', 'PPRC'] },
  RCC: { flags: ['CHILD_CONTACT'] },
  RCS: { flags: ['CHILD_CONTACT'] },
  OHCO: { flags: ['HARASSMENT_ORDER'] },
  ONCR: { flags: ['NO_CONTACT_REQUEST'] },
  OVI: { flags: ['VICTIM_ENQUIRY'] },
  RDV: { flags: ['DOMESTIC_ABUSE'] },
  RSP: { flags: ['STALKING'] },
  RKC: { flags: ['RISK_TO_KNOWN_ADULT'] },
  RKS: { flags: ['RISK_TO_KNOWN_ADULT'] },
  ROM: { rosh: 'MEDIUM' },
  ROH: { rosh: 'HIGH' },
  ROV: { rosh: 'VERY_HIGH' },
};

const ROSH_ORDER: RoshLevel[] = ['LOW', 'MEDIUM', 'HIGH', 'VERY_HIGH'];

export interface DerivedRisk {
  mappaCategory: 1 | 2 | 3 | 4 | null;
  mappaLevel: 1 | 2 | 3 | null;
  roshLevel: RoshLevel | null;
  flags: RiskFlag[];
  unknownCodes: string[];
}

/**
 * Derives MAPPA category and level, RoSH and risk flags from alert codes. Where several MAPPA codes
 * are present the highest level wins (then the lowest category number, as the more specific one);
 * the highest RoSH wins. Unknown codes are kept on the prisoner but reported.
 */
export function deriveRiskFromAlertCodes(codes: readonly string[]): DerivedRisk {
  let mappa: AlertMeaning['mappa'] | undefined;
  let rosh: RoshLevel | null = null;
  const flags = new Set<RiskFlag>();
  const unknownCodes: string[] = [];
  for (const raw of codes) {
    const code = raw.trim().toUpperCase();
    const meaning = ALERT_CODES[code];
    if (!meaning) {
      unknownCodes.push(raw);
      continue;
    }
    if (meaning.mappa && (!mappa || mappaRank(meaning.mappa) > mappaRank(mappa)))
      mappa = meaning.mappa;
    if (
      meaning.rosh &&
      (rosh === null || ROSH_ORDER.indexOf(meaning.rosh) > ROSH_ORDER.indexOf(rosh))
    ) {
      rosh = meaning.rosh;
    }
    for (const f of meaning.flags ?? []) flags.add(f);
  }
  return {
    mappaCategory: mappa?.category ?? null,
    mappaLevel: mappa?.level ?? null,
    roshLevel: rosh,
    flags: [...flags].sort(),
    unknownCodes,
  };
}

function mappaRank(m: NonNullable<AlertMeaning['mappa']>): number {
  return (m.level ?? 0) * 10 + (5 - m.category);
}
