/* Why this file is long: one deterministic generator, whose parts share one seeded random stream and
   must stay in one order to give the same world byte for byte; split, the order would be easy to break. */
/**
 * A believable, deterministic prison world for the demo (`npm run seed:demo`) and for benchmarks at
 * national scale. Pure: no clock, no Math.random, no I/O. The same options (seed and `now`) give the
 * same world, byte for byte; calls are produced lazily by `world.calls()` so that millions of them
 * never sit in memory.
 *
 * Shapes follow the HTTP API (API.md): prisoners are PUT bodies, contacts POST bodies, calls records
 * of POST /api/calls/batch, authorisations POST bodies of a monitoring request.
 */

export type DemoRole = 'LISTENER' | 'POM' | 'HEAD_OF_OMU' | 'SECURITY_MANAGER' | 'INGEST';
export type DemoTraining = 'PUBLIC_PROTECTION' | 'DOMESTIC_ABUSE' | 'CHILD_SAFEGUARDING';
export type DemoRelationship =
  | 'PARTNER'
  | 'EX_PARTNER'
  | 'CHILD'
  | 'PARENT'
  | 'SIBLING'
  | 'OTHER_FAMILY'
  | 'FRIEND'
  | 'PROFESSIONAL'
  | 'LEGAL_ADVISER'
  | 'OTHER'
  | 'UNKNOWN';
export type DemoRestriction =
  'NONE' | 'NO_CONTACT' | 'CHILD_CONTACT_RESTRICTED' | 'HARASSMENT_ORDER';
export type DemoAuthorisationType = 'MANDATORY' | 'OFFENCE_RELATED' | 'INTELLIGENCE_LED' | 'RANDOM';
export type DemoGround = 'NATIONAL_SECURITY' | 'CRIME' | 'PUBLIC_SAFETY' | 'PRISON_SECURITY';
export type DemoPrivilegedKind = 'LEGAL_ADVISER' | 'SAMARITANS' | 'MP' | 'OMBUDSMAN' | 'CCRC';
export type Population = 'MALE' | 'FEMALE';

export interface EstablishmentSpec {
  code: string;
  name: string;
  /** Overrides `prisonersPerEstablishment` for this establishment. */
  prisoners?: number;
  /** Women's or men's prison: only changes names. Default MALE. */
  population?: Population;
}

export interface DemoWorldOptions {
  seed: number;
  /** The instant the world is built for; calls end before it. */
  now: Date;
  /** The establishments, or how many to invent (codes AAA, AAB, ...). */
  establishments: readonly EstablishmentSpec[] | number;
  prisonersPerEstablishment?: number;
  /** Share of prisoners on monitoring (default 0.12). */
  monitoredShare?: number;
  /** Days of calls before `now` (default 30). */
  days?: number;
  callsPerPrisonerPerDay?: number;
  meanDurationSeconds?: number;
  /** First part of every call's externalId (default DEMO): `DEMO-NHI-0000001`. */
  externalIdPrefix?: string;
  /** Plant the notable cases (the 43-calls-a-day domestic abuser and others). Default true. */
  scenarios?: boolean;
}

export interface DemoStaff {
  username: string;
  displayName: string;
  roles: DemoRole[];
  establishments: string[];
  trainings: DemoTraining[];
  languages: string[];
  /** One line on what this person does in the demo. */
  duty: string;
}

/** Body of PUT /api/prisoners/{prisonNumber}. */
export interface DemoPrisonerBody {
  firstName: string;
  lastName: string;
  establishmentCode: string;
  alertCodes: string[];
  earliestReleaseDate: string | null;
  pomUsername: string | null;
  leadListenerUsername: string | null;
  languages: string[];
}

/** Body of POST /api/prisoners/{prisonNumber}/contacts. */
export interface DemoContactBody {
  name: string;
  relationship: DemoRelationship;
  phoneNumbers: string[];
  isVictim: boolean;
  isChild: boolean;
  restriction: DemoRestriction;
}

export type ScenarioKind =
  | 'HEAVY_DOMESTIC_ABUSE'
  | 'STALKER'
  | 'MAPPA_L2_WITH_CHILDREN'
  | 'UNTRANSLATED_LANGUAGE'
  | 'PRE_RELEASE_LEVEL_NOT_SET'
  | 'HIGH_RISK_NOT_MONITORED';

/** How a prisoner uses the phone; read by `calls()`. */
export interface CallingProfile {
  /** Expected calls a day to the prisoner's ordinary circle (contacts, privileged, unlisted). */
  ratePerDay: number;
  /** Language of most calls; English prisoners always call in English. */
  language: string;
  /** Share of calls in English for a prisoner whose first language is not English. */
  englishShare: number;
  /** Numbers the prisoner calls that are not on the contact list (unique to this prisoner). */
  unlistedNumbers: string[];
  /** Share of calls to a victim on the contact list (a breach; zero for most). */
  victimShare: number;
  /** Extra calls to unlisted numbers a day (the stalker). */
  extraUnlistedPerDay: number;
  /** The inspection's case: a flood of calls to a new partner, with one day of 43 calls. */
  heavy: { number: string; peakDate: string; peakCalls: number; otherDaysPerDay: number } | null;
}

export interface DemoPrisoner {
  prisonNumber: string;
  body: DemoPrisonerBody;
  contacts: DemoContactBody[];
  monitored: boolean;
  scenario: ScenarioKind | null;
  /** A sentence for the demo's "cases to look at" list (scenario prisoners only). */
  story: string | null;
  calling: CallingProfile;
}

/** POST /api/prisoners/{prisonNumber}/monitoring-authorisations, then approve. */
export interface DemoAuthorisation {
  prisonNumber: string;
  establishmentCode: string;
  requestedBy: string;
  approvedBy: string;
  body: {
    type: DemoAuthorisationType;
    grounds: DemoGround[];
    channels: ['PHONE'];
    justification: string;
    startsAt: string;
    lookbackDays: number;
  };
  approvalNote: string;
}

/** Body of POST /api/privileged-numbers. */
export interface DemoPrivilegedNumber {
  phoneNumber: string;
  organisation: string;
  kind: DemoPrivilegedKind;
  establishmentCode?: string;
}

/** One record of POST /api/calls/batch. */
export interface DemoCall {
  externalId: string;
  prisonNumber: string;
  establishmentCode: string;
  dialledNumber: string;
  startedAt: string;
  durationSeconds: number;
  channel: 'PHONE';
  recordingRef: string;
  language: string;
}

export interface DemoWorld {
  seed: number;
  now: string;
  days: number;
  establishments: Required<EstablishmentSpec>[];
  staff: DemoStaff[];
  prisoners: DemoPrisoner[];
  privilegedNumbers: DemoPrivilegedNumber[];
  authorisations: DemoAuthorisation[];
  /**
   * A fresh iterator over every call, day by day, in time order within each establishment-day.
   * With `only`, just those prisoners' calls (the same calls; their externalIds are numbered among
   * themselves): the policy simulator needs only the monitored tenth.
   */
  calls(only?: ReadonlySet<string>): Generator<DemoCall, void, undefined>;
}

export const DEMO_SEED = 20261127;
export const DEMO_PASSWORD = 'demo-password-1';
export const DEMO_ESTABLISHMENTS: readonly Required<EstablishmentSpec>[] = [
  { code: 'NHI', name: 'HMP New Hall', prisoners: 850, population: 'FEMALE' },
  { code: 'LEI', name: 'HMP Leeds', prisoners: 150, population: 'MALE' },
];
export const RECORDING_REFS = [1, 2, 3, 4, 5, 6].map((n) => `demo/clip-${n}.wav`);
export const SAMARITANS_NUMBER = '116 123';

/** Body of PUT /api/staff/{username} for a member of the demo staff. */
export function staffPutBody(s: DemoStaff, password: string) {
  return {
    displayName: s.displayName,
    password,
    roles: s.roles,
    establishments: s.establishments,
    trainings: s.trainings,
    languages: s.languages,
  };
}

/** The options `npm run seed:demo` uses: about 1,000 prisoners in two prisons. */
export function demoWorldOptions(seed: number, now: Date): DemoWorldOptions {
  return {
    seed,
    now,
    establishments: DEMO_ESTABLISHMENTS,
    monitoredShare: 0.12,
    days: 30,
    callsPerPrisonerPerDay: 2.4,
    meanDurationSeconds: 420,
  };
}

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

// ---------------------------------------------------------------------------------------------
// Randomness: a seeded PRNG (mulberry32) and a hash to derive independent streams from it.
// ---------------------------------------------------------------------------------------------

/** Mixes integers into a 32-bit seed (murmur3 finaliser per part). */
export function hash32(...parts: number[]): number {
  let h = 0x9e3779b9 ^ parts.length;
  for (const part of parts) {
    const lo = part | 0;
    const hi = Math.floor(part / 4294967296) | 0;
    for (const word of [lo, hi]) {
      h = Math.imul(h ^ word, 0x85ebca6b);
      h ^= h >>> 13;
      h = Math.imul(h, 0xc2b2ae35);
      h ^= h >>> 16;
    }
  }
  return h >>> 0;
}

export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** One of the items, with probability proportional to its weight. */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    const total = items.reduce((s, [, w]) => s + w, 0);
    let r = this.next() * total;
    for (const [item, w] of items) {
      r -= w;
      if (r < 0) return item;
    }
    return items[items.length - 1][0];
  }

  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  exponential(): number {
    return -Math.log(1 - this.next());
  }

  poisson(lambda: number): number {
    if (lambda <= 0) return 0;
    if (lambda > 30) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * this.normal()));
    const limit = Math.exp(-lambda);
    let k = 0;
    let p = this.next();
    while (p > limit) {
      k++;
      p *= this.next();
    }
    return k;
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [items[i], items[j]] = [items[j], items[i]];
    }
    return items;
  }
}

// ---------------------------------------------------------------------------------------------
// Identifiers: prison numbers and phone numbers, unique by construction (bijections of a counter).
// ---------------------------------------------------------------------------------------------

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const PRISON_NUMBER_SPACE = 2 * 10_000 * 676; // first letter A or G, 4 digits, 2 letters
const PRISON_NUMBER_STEP = 48_271; // coprime with the space, so n -> n * step + offset is a bijection

/** The n-th prison number of a world, `A1234BC` form; distinct n give distinct numbers. */
export function prisonNumberFor(seed: number, n: number): string {
  const offset = hash32(seed, 0x9e1) % PRISON_NUMBER_SPACE;
  const k = (n * PRISON_NUMBER_STEP + offset) % PRISON_NUMBER_SPACE;
  const half = PRISON_NUMBER_SPACE / 2;
  const first = k < half ? 'A' : 'G';
  const r = k % half;
  const digits = String(Math.floor(r / 676)).padStart(4, '0');
  return `${first}${digits}${LETTERS[Math.floor((r % 676) / 26)]}${LETTERS[r % 26]}`;
}

/** Ofcom's ranges for drama and fiction: numbers that are never allocated to anyone. */
const LANDLINE_RANGES: readonly ((n: number) => string)[] = [
  (n) => `0113 496 0${pad(n, 3)}`,
  (n) => `020 7946 0${pad(n, 3)}`,
  (n) => `0121 496 0${pad(n, 3)}`,
  (n) => `0114 496 0${pad(n, 3)}`,
  (n) => `0161 496 0${pad(n, 3)}`,
  (n) => `0115 496 0${pad(n, 3)}`,
  (n) => `0116 496 0${pad(n, 3)}`,
  (n) => `0117 496 0${pad(n, 3)}`,
  (n) => `0118 496 0${pad(n, 3)}`,
  (n) => `0131 496 0${pad(n, 3)}`,
  (n) => `0141 496 0${pad(n, 3)}`,
  (n) => `0151 496 0${pad(n, 3)}`,
  (n) => `0191 498 0${pad(n, 3)}`,
  (n) => `01632 960${pad(n, 3)}`,
];
const MOBILE_PREFIXES = ['4', '5', '7', '8', '9'] as const; // 074, 075, 077, 078, 079 (not 076 pagers)
const MOBILE_SPACE = MOBILE_PREFIXES.length * 100_000_000;
const MOBILE_STEP = 2_654_435_761 % MOBILE_SPACE; // odd and not a multiple of 5: coprime with 5e8

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** Hands out phone numbers; every number it gives is different from every other. */
class PhoneBook {
  private mobiles = 0;
  private landlines = 0;
  private readonly mobileOffset: number;
  private readonly landlineOffset: number;

  constructor(seed: number) {
    this.mobileOffset = hash32(seed, 0x70b) % MOBILE_SPACE;
    this.landlineOffset = hash32(seed, 0x1a4d) % 1000;
  }

  /** A UK mobile in national form, e.g. "07911 123456". */
  mobile(): string {
    const k = (this.mobiles++ * MOBILE_STEP + this.mobileOffset) % MOBILE_SPACE;
    const digits = `07${MOBILE_PREFIXES[Math.floor(k / 100_000_000)]}${pad(k % 100_000_000, 8)}`;
    return `${digits.slice(0, 5)} ${digits.slice(5)}`;
  }

  /** A landline from the drama ranges, e.g. "0113 496 0123". */
  landline(): string {
    const n = this.landlines++;
    const range = Math.floor(n / 1000);
    if (range >= LANDLINE_RANGES.length) throw new Error('Out of fictional landline numbers');
    return LANDLINE_RANGES[range](((n % 1000) * 7 + this.landlineOffset) % 1000);
  }
}

/** The form a telephony feed reports a dialled number in: digits, sometimes international. */
function asDialled(national: string, international: boolean): string {
  const digits = national.replace(/\s/g, '');
  return international && digits.startsWith('0') ? `+44${digits.slice(1)}` : digits;
}

// ---------------------------------------------------------------------------------------------
// Names.
// ---------------------------------------------------------------------------------------------

type Language = 'en' | 'pl' | 'ur' | 'ro';

const words = (text: string): readonly string[] => text.split(' ');

const FIRST_NAMES: Record<Language, Record<Population, readonly string[]>> = {
  en: {
    FEMALE: words(
      'Amy Chloe Danielle Emma Gemma Hannah Jade Kayleigh Kelly Laura Leanne Lisa Megan Natalie Rachel Rebecca Sarah Sophie Stacey Tracey Zoe Charlotte Jessica Louise Michelle Nicola Samantha Shannon Toni Vicky Joanne Claire Donna Holly Abbie Paige',
    ),
    MALE: words(
      'Adam Ben Callum Craig Daniel Darren Dean Gary James Jamie Jason Jordan Kevin Kyle Lee Liam Luke Mark Matthew Michael Nathan Paul Reece Ryan Scott Shane Stephen Steven Tom Wayne Connor Aaron Carl Dale Jack Kieran',
    ),
  },
  pl: {
    FEMALE: words('Anna Katarzyna Magdalena Agnieszka Joanna Ewa Monika Karolina'),
    MALE: words('Piotr Tomasz Krzysztof Marek Pawel Michal Jakub Lukasz'),
  },
  ur: {
    FEMALE: words('Ayesha Fatima Sana Nadia Saima Rukhsana Samina Nazia'),
    MALE: words('Imran Asif Tariq Zahid Kamran Usman Bilal Faisal'),
  },
  ro: {
    FEMALE: words('Ioana Elena Andreea Mihaela Cristina Alina Roxana Daniela'),
    MALE: words('Andrei Ionut Florin Marius Bogdan Gheorghe Adrian Catalin'),
  },
};

const SURNAMES: Record<Language, readonly string[]> = {
  en: words(
    'Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson Evans Walker White Roberts Green Hall Wood Jackson Clarke Hughes Edwards Turner Harris Martin Cooper Hill Ward Morris Moore Baker Harrison Mitchell Atkinson Shaw Holmes Barker Lawson Booth Sutcliffe Hirst Ackroyd Firth Marsden Haigh',
  ),
  pl: words('Nowak Mazur Krawczyk Zajac Krol Wieczorek Wrobel Dudek'),
  ur: words('Khan Hussain Ahmed Iqbal Akhtar Mahmood Rashid Shah'),
  ro: words('Popescu Ionescu Stan Dumitru Munteanu Lungu Radu Matei'),
};

const TOWNS = words(
  'Ashworth Bramley Castleford Denby Eastmoor Farnley Garforth Hemsworth Ilkley Keighley Lofthouse Morley Normanton Ossett Pudsey Rothwell Shipley Thornhill Upton Wetherby Yeadon Allerton Birstall Cleckheaton Dewsbury Elland Featherstone Guiseley Holmfirth Knottingley Liversedge Mirfield Netherton Otley Pontefract Ripponden Silsden Todmorden Walton Horbury',
);

const FIRMS = [
  'Hartley & Rowe Solicitors',
  'Bennett Okafor LLP',
  'Fairweather Criminal Defence',
  'Ashdown Legal',
  'Pennine Defence Solicitors',
  'Greaves & Co',
  'Northgate Law',
  'Calder Valley Solicitors',
  'Whitcombe Prison Law',
  'Marsh Lane Legal',
  'Aire Street Chambers',
  'Holloway & Kaur',
  'Sterling Rights Law',
  'Brightside Solicitors',
  'Okonjo Mensah LLP',
  'Lowther Defence',
];

function fullName(rng: Rng, language: Language, population: Population): [string, string] {
  return [rng.pick(FIRST_NAMES[language][population]), rng.pick(SURNAMES[language])];
}

function generatedEstablishments(count: number): Required<EstablishmentSpec>[] {
  return Array.from({ length: count }, (_, i) => {
    const code = `${LETTERS[Math.floor(i / 676) % 26]}${LETTERS[Math.floor(i / 26) % 26]}${LETTERS[i % 26]}`;
    const town = TOWNS[i % TOWNS.length];
    const round = Math.floor(i / TOWNS.length);
    return {
      code,
      name: `HMP ${town}${round ? ` ${round + 1}` : ''}`,
      prisoners: 0,
      population: i % 10 === 3 ? 'FEMALE' : 'MALE',
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Risk: alert codes and what follows from them.
// ---------------------------------------------------------------------------------------------

const MAPPA_LEVEL: Record<string, 1 | 2 | 3 | null> = {
  P11: null,
  P22: 1,
  P33: 2,
  P44: 3,
  P55: null,
  P66: 1,
  P77: 2,
  P88: 3,
  P99: 2,
  PA1: 3,
  P100: null,
  P101: 1,
  P102: 2,
  P103: 3,
};
export const MAPPA_CODES = Object.keys(MAPPA_LEVEL);
const CHILD_CONTACT_CODES = ['CC1', 'CC2', 'CC3', 'CC4', 'CPC', 'CPRC', 'RCC', 'RCS'];

/** The MAPPA level the alert codes give (the highest), or undefined when there is no MAPPA code. */
export function mappaLevelOf(codes: readonly string[]): 1 | 2 | 3 | null | undefined {
  let level: 1 | 2 | 3 | null | undefined;
  for (const c of codes) {
    if (!(c in MAPPA_LEVEL)) continue;
    const l = MAPPA_LEVEL[c];
    if (level === undefined || (l ?? 0) > (level ?? 0)) level = l;
  }
  return level;
}

/** Trainings a lead listener needs for this prisoner (DESIGN.md "Claiming"). */
export function trainingsNeeded(codes: readonly string[]): DemoTraining[] {
  const level = mappaLevelOf(codes);
  const out: DemoTraining[] = [];
  if (level === 2 || level === 3 || codes.includes('CPC') || codes.includes('CPRC'))
    out.push('PUBLIC_PROTECTION');
  if (codes.includes('RDV') || codes.includes('RSP')) out.push('DOMESTIC_ABUSE');
  if (['CC1', 'CC2', 'CC3', 'CC4', 'CPC', 'CPRC', 'RCC', 'RCS'].some((c) => codes.includes(c)))
    out.push('CHILD_SAFEGUARDING');
  return out;
}

interface RiskPlan {
  codes: string[];
  releaseInDays: number;
}

function planRisk(rng: Rng, monitored: boolean, scenario: ScenarioKind | null): RiskPlan {
  const codes: string[] = [];
  let releaseInDays: number | null = null;

  switch (scenario) {
    case 'HEAVY_DOMESTIC_ABUSE':
      return { codes: ['P66', 'RDV', 'ROH', 'RKC'], releaseInDays: rng.int(200, 500) };
    case 'STALKER':
      return { codes: ['P66', 'RSP', 'OHCO', 'ROH'], releaseInDays: rng.int(150, 700) };
    case 'MAPPA_L2_WITH_CHILDREN':
      return { codes: ['P77', 'CC2', 'ROH'], releaseInDays: rng.int(250, 900) };
    case 'PRE_RELEASE_LEVEL_NOT_SET':
      return { codes: ['P55', 'ROM', 'RKS'], releaseInDays: rng.int(100, 140) };
    case 'HIGH_RISK_NOT_MONITORED':
      return { codes: ['RDV', 'ROH'], releaseInDays: rng.int(300, 900) };
    case 'UNTRANSLATED_LANGUAGE':
      return { codes: ['P66', 'ROM', 'OVI'], releaseInDays: rng.int(300, 1200) };
    case null:
      break;
    default:
      break;
  }

  if (monitored) {
    const mappa = rng.weighted<string | null>([
      ['P66', 40],
      ['P22', 18],
      ['P77', 7],
      ['P33', 4],
      ['P99', 3],
      ['P88', 2],
      ['P44', 1],
      ['PA1', 1],
      ['P55', 7],
      ['P11', 1],
      ['P101', 1],
      [null, 15],
    ]);
    if (mappa) codes.push(mappa);
    const level = mappaLevelOf(codes);
    if (level === null) releaseInDays = rng.int(30, 175);
    const rosh =
      level === 3
        ? rng.weighted([
            ['ROV', 1],
            ['ROH', 2],
          ])
        : level === 2
          ? rng.weighted([
              ['ROH', 4],
              ['ROM', 1],
              ['ROV', 0.3],
            ])
          : rng.weighted<string | null>([
              ['ROM', 48],
              ['ROH', 36],
              ['ROV', 4],
              [null, 12],
            ]);
    if (rosh) codes.push(rosh);
    if (rng.chance(0.3)) codes.push('RDV');
    if (rng.chance(0.07)) codes.push('RSP');
    if ((codes.includes('RDV') || codes.includes('RSP')) && rng.chance(0.15)) codes.push('OHCO');
    if (rng.chance(0.2))
      codes.push(
        rng.weighted([
          ['CC1', 3],
          ['CC2', 3],
          ['CC3', 2],
          ['CC4', 1],
          ['CPC', 2],
          ['CPRC', 1],
          ['RCC', 1],
        ]),
      );
    if (rng.chance(0.06)) codes.push('ONCR');
    if (rng.chance(0.08)) codes.push('OVI');
    if (rng.chance(0.05)) codes.push(rng.pick(['RKC', 'RKS']));
  } else {
    const mappa = rng.weighted<string | null>([
      ['P66', 7],
      ['P22', 4],
      ['P77', 0.6],
      ['P33', 0.3],
      ['P55', 1.5],
      ['P11', 0.5],
      [null, 86],
    ]);
    if (mappa) codes.push(mappa);
    const rosh = rng.weighted<string | null>([
      ['ROM', 25],
      ['ROH', 4],
      [null, 71],
    ]);
    if (rosh) codes.push(rosh);
    if (rng.chance(0.05)) codes.push('RDV');
    if (rng.chance(0.03)) codes.push(rng.pick(CHILD_CONTACT_CODES.slice(0, 4)));
    if (rng.chance(0.02)) codes.push('OVI');
  }

  if (releaseInDays === null) {
    releaseInDays = rng.weighted<() => number>([
      [() => rng.int(20, 180), 15],
      [() => rng.int(181, 730), 35],
      [() => rng.int(731, 1825), 35],
      [() => rng.int(1826, 4400), 15],
    ])();
  }
  return { codes, releaseInDays };
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

// ---------------------------------------------------------------------------------------------
// Staff.
// ---------------------------------------------------------------------------------------------

interface EstablishmentPlan {
  spec: Required<EstablishmentSpec>;
  index: number;
  prisoners: number;
  monitored: number;
  listeners: DemoStaff[];
  poms: DemoStaff[];
  head: DemoStaff;
  security: DemoStaff;
  firms: { name: string; phone: string; inDirectory: boolean }[];
  /** A language some prisoners speak and no listener here does (null: they speak them all). */
  untranslatedLanguage: Language | null;
}

const TRAINING_SHORT: Record<DemoTraining, string> = {
  PUBLIC_PROTECTION: 'public protection',
  DOMESTIC_ABUSE: 'domestic abuse',
  CHILD_SAFEGUARDING: 'child safeguarding',
};
const LANGUAGE_NAMES: Record<string, string> = {
  pl: 'Polish',
  ur: 'Urdu',
  ro: 'Romanian',
  en: 'English',
};

/**
 * Listener j of an establishment: the first is trained in everything (so every case has someone
 * eligible), the rest have a mix. Languages follow a fixed rule so that every establishment lacks
 * at least one of Polish, Urdu and Romanian: its calls wait for translation.
 */
function listenerSkills(
  rng: Rng,
  j: number,
  estIndex: number,
): { trainings: DemoTraining[]; languages: string[] } {
  let trainings: DemoTraining[];
  if (j === 0) trainings = ['PUBLIC_PROTECTION', 'DOMESTIC_ABUSE', 'CHILD_SAFEGUARDING'];
  else if (j === 1) trainings = ['PUBLIC_PROTECTION', 'CHILD_SAFEGUARDING'];
  else if (j === 2) trainings = ['DOMESTIC_ABUSE', 'CHILD_SAFEGUARDING'];
  else {
    trainings = [];
    if (rng.chance(0.5)) trainings.push('PUBLIC_PROTECTION');
    if (rng.chance(0.45)) trainings.push('DOMESTIC_ABUSE');
    if (rng.chance(0.4)) trainings.push('CHILD_SAFEGUARDING');
  }
  const languages: string[] = [];
  if (j === 1 || j === 9) languages.push('pl');
  if (j === 4 || j === 14) languages.push('ur');
  if (j === 3 && estIndex % 2 === 1) languages.push('ro');
  return { trainings, languages };
}

/** What a listener does, with their trainings and languages. */
export function describeListener(s: {
  trainings: readonly string[];
  languages: readonly string[];
}): string {
  const trained = s.trainings.length
    ? `trained: ${s.trainings.map((t) => TRAINING_SHORT[t as DemoTraining] ?? t).join(', ')}`
    : 'no specialist training yet';
  const speaks = s.languages.length
    ? `; speaks ${s.languages.map((l) => LANGUAGE_NAMES[l] ?? l).join(', ')}`
    : '';
  return `Takes calls from the listening queue (${trained}${speaks})`;
}

// ---------------------------------------------------------------------------------------------
// The world.
// ---------------------------------------------------------------------------------------------

interface PrisonerInternal extends DemoPrisoner {
  globalIndex: number;
  estIndex: number;
}

/** Builds the world. Deterministic: the same options give the same world. */
export function buildDemoWorld(options: DemoWorldOptions): DemoWorld {
  const seed = options.seed >>> 0;
  const nowMs = options.now.getTime();
  if (!Number.isFinite(nowMs)) throw new Error('now must be a valid date');
  const days = options.days ?? 30;
  const monitoredShare = options.monitoredShare ?? 0.12;
  const callsPerDay = options.callsPerPrisonerPerDay ?? 2.4;
  const meanDuration = options.meanDurationSeconds ?? 420;
  const perEstablishment = options.prisonersPerEstablishment ?? 500;
  const withScenarios = options.scenarios ?? true;
  const externalIdPrefix = options.externalIdPrefix ?? 'DEMO';
  if (days < 1) throw new Error('days must be at least 1');

  const specs: Required<EstablishmentSpec>[] = (
    typeof options.establishments === 'number'
      ? generatedEstablishments(options.establishments)
      : options.establishments.map((e) => ({
          code: e.code,
          name: e.name,
          prisoners: e.prisoners ?? 0,
          population: e.population ?? 'MALE',
        }))
  ).map((e) => ({ ...e, prisoners: e.prisoners || perEstablishment }));
  if (new Set(specs.map((e) => e.code)).size !== specs.length)
    throw new Error('establishment codes must be unique');

  const rng = new Rng(hash32(seed, 0x5eed));
  const phones = new PhoneBook(seed);
  const staffName = (): string =>
    fullName(rng, 'en', rng.chance(0.5) ? 'FEMALE' : 'MALE').join(' ');

  // Staff, establishment by establishment; usernames are numbered across the whole world.
  let listenerNo = 0;
  let pomNo = 0;
  const plans: EstablishmentPlan[] = specs.map((spec, index) => {
    const monitored = Math.round(spec.prisoners * monitoredShare);
    const listeners = Array.from({ length: Math.max(3, Math.round(monitored / 5)) }, (_, j) => {
      const skills = listenerSkills(rng, j, index);
      const s: DemoStaff = {
        username: `listener${++listenerNo}`,
        displayName: staffName(),
        roles: ['LISTENER'],
        establishments: [spec.code],
        ...skills,
        duty: describeListener(skills),
      };
      return s;
    });
    const poms = Array.from(
      { length: Math.max(2, Math.floor(spec.prisoners / 100)) },
      (): DemoStaff => ({
        username: `pom${++pomNo}`,
        displayName: staffName(),
        roles: ['POM'],
        establishments: [spec.code],
        trainings: [],
        languages: [],
        duty: 'Prison offender manager: reads logs for their caseload, acts on escalations',
      }),
    );
    const head: DemoStaff = {
      username: `head${index + 1}`,
      displayName: staffName(),
      roles: ['HEAD_OF_OMU'],
      establishments: [spec.code],
      trainings: [],
      languages: [],
      duty: 'Head of offender management: backlog, SLAs, risk flags, IRMM; approves monitoring',
    };
    const security: DemoStaff = {
      username: `security${index + 1}`,
      displayName: staffName(),
      roles: ['SECURITY_MANAGER'],
      establishments: [spec.code],
      trainings: ['PUBLIC_PROTECTION'],
      languages: [],
      duty: 'Security manager: requests and reviews monitoring, privileged numbers, audit',
    };
    const spoken = new Set(listeners.flatMap((l) => l.languages));
    const untranslatedLanguage = (['ro', 'ur', 'pl'] as const).find((l) => !spoken.has(l)) ?? null;
    const firmNames = rng.shuffle([...FIRMS]).slice(0, 5);
    const firms = firmNames.map((name, k) => ({
      name,
      phone: phones.landline(),
      inDirectory: k < 2,
    }));
    return {
      spec,
      index,
      prisoners: spec.prisoners,
      monitored,
      listeners,
      poms,
      head,
      security,
      firms,
      untranslatedLanguage,
    };
  });
  // The first head of OMU and security manager also cover the second establishment.
  if (plans.length > 1) {
    plans[0].head.establishments.push(plans[1].spec.code);
    plans[0].security.establishments.push(plans[1].spec.code);
  }
  const feed: DemoStaff = {
    username: 'feed',
    displayName: 'Telephony feed',
    roles: ['INGEST'],
    establishments: [],
    trainings: [],
    languages: [],
    duty: 'Machine account of the telephony feed: posts call records',
  };
  const staff: DemoStaff[] = [
    ...plans.flatMap((p) => p.listeners),
    ...plans.flatMap((p) => p.poms),
    ...plans.map((p) => p.head),
    ...plans.map((p) => p.security),
    feed,
  ];
  const firstCovering = (list: DemoStaff[], code: string) =>
    list.find((s) => s.establishments.includes(code))!;
  const heads = plans.map((p) => p.head);
  const securities = plans.map((p) => p.security);

  // The privileged-number directory.
  const privilegedNumbers: DemoPrivilegedNumber[] = [
    { phoneNumber: SAMARITANS_NUMBER, organisation: 'Samaritans', kind: 'SAMARITANS' },
    {
      phoneNumber: phones.landline(),
      organisation: 'Prisons and Probation Ombudsman',
      kind: 'OMBUDSMAN',
    },
    {
      phoneNumber: phones.landline(),
      organisation: 'Criminal Cases Review Commission',
      kind: 'CCRC',
    },
    {
      phoneNumber: phones.landline(),
      organisation: "Prisoners' Advice Service",
      kind: 'LEGAL_ADVISER',
    },
    {
      phoneNumber: phones.landline(),
      organisation: 'Howard & Pryce Prison Law',
      kind: 'LEGAL_ADVISER',
    },
  ];
  const nationalPrivileged = privilegedNumbers.map((p) => p.phoneNumber);
  const localPrivileged = new Map<string, string[]>();
  for (const plan of plans) {
    const town = plan.spec.name.replace(/^HMP\s+/, '');
    const local: DemoPrivilegedNumber[] = [
      {
        phoneNumber: phones.landline(),
        organisation: `Constituency office of the MP for ${town}`,
        kind: 'MP',
        establishmentCode: plan.spec.code,
      },
      ...plan.firms
        .filter((f) => f.inDirectory)
        .map((f): DemoPrivilegedNumber => ({
          phoneNumber: f.phone,
          organisation: f.name,
          kind: 'LEGAL_ADVISER',
          establishmentCode: plan.spec.code,
        })),
    ];
    privilegedNumbers.push(...local);
    localPrivileged.set(plan.spec.code, [
      ...nationalPrivileged,
      ...local.map((p) => p.phoneNumber),
    ]);
  }

  // Prisoners.
  const prisoners: PrisonerInternal[] = [];
  const authorisations: DemoAuthorisation[] = [];
  let globalIndex = 0;
  const windowStartMs = nowMs - days * DAY_MS;
  const peakDate = isoDate(nowMs - Math.min(9, days - 1) * DAY_MS);

  for (const plan of plans) {
    const code = plan.spec.code;
    const estRng = new Rng(hash32(seed, 0xe57, plan.index));
    const order = estRng.shuffle(Array.from({ length: plan.prisoners }, (_, i) => i));
    const scenarioOf = new Map<number, ScenarioKind>();
    if (withScenarios && plan.monitored >= 6 && plan.monitored < plan.prisoners) {
      const monitoredScenarios: ScenarioKind[] = [
        ...(plan.spec.population === 'MALE' || plans.every((p) => p.spec.population === 'FEMALE')
          ? (['HEAVY_DOMESTIC_ABUSE'] as const)
          : []),
        'STALKER',
        'MAPPA_L2_WITH_CHILDREN',
        ...(plan.untranslatedLanguage ? (['UNTRANSLATED_LANGUAGE'] as const) : []),
        'PRE_RELEASE_LEVEL_NOT_SET',
      ];
      monitoredScenarios.forEach((s, k) => scenarioOf.set(order[k], s));
      scenarioOf.set(order[plan.monitored], 'HIGH_RISK_NOT_MONITORED');
    }
    const monitoredSet = new Set(order.slice(0, plan.monitored));
    const leadLoad = new Map<string, number>(plan.listeners.map((l) => [l.username, 0]));
    const pomWeights = plan.poms.map((p, k) => [p.username, k === 0 ? 2 : 1] as const);

    for (let i = 0; i < plan.prisoners; i++) {
      const n = globalIndex++;
      const prng = new Rng(hash32(seed, 0x9150, n));
      const monitored = monitoredSet.has(i);
      const scenario = scenarioOf.get(i) ?? null;
      const risk = planRisk(prng, monitored, scenario);

      const language: Language =
        scenario === 'UNTRANSLATED_LANGUAGE' && plan.untranslatedLanguage
          ? plan.untranslatedLanguage
          : scenario
            ? 'en'
            : prng.weighted<Language>([
                ['en', 91.5],
                ['pl', 4.5],
                ['ur', 2.5],
                ['ro', 1.5],
              ]);
      const [firstName, lastName] = fullName(prng, language, plan.spec.population);
      const languages =
        language === 'en' ? ['en'] : prng.chance(0.5) ? [language, 'en'] : [language];

      const needed = trainingsNeeded(risk.codes);
      let leadListenerUsername: string | null = null;
      if (monitored) {
        const eligible = plan.listeners.filter((l) => needed.every((t) => l.trainings.includes(t)));
        const speakers = eligible.filter((l) => l.languages.includes(language));
        const pool = language !== 'en' && speakers.length ? speakers : eligible;
        const lead = pool.reduce((best, l) =>
          leadLoad.get(l.username)! < leadLoad.get(best.username)! ? l : best,
        );
        leadLoad.set(lead.username, leadLoad.get(lead.username)! + 1);
        leadListenerUsername = lead.username;
      }
      const pomUsername = monitored || prng.chance(0.45) ? prng.weighted(pomWeights) : null;

      const prisonNumber = prisonNumberFor(seed, n);
      const contacts = buildContacts(prng, phones, plan, risk.codes, lastName, language, scenario);
      const unlistedNumbers = Array.from({ length: prng.int(1, 3) }, () => phones.mobile());
      const hasVictim = contacts.some((c) => c.isVictim);
      const calling: CallingProfile = {
        ratePerDay: callsPerDay * (0.4 + 0.6 * prng.exponential()),
        language,
        englishShare: language === 'en' ? 1 : 0.15,
        unlistedNumbers,
        victimShare: hasVictim && prng.chance(0.3) ? 0.01 + prng.next() * 0.03 : 0,
        extraUnlistedPerDay: 0,
        heavy: null,
      };
      let story: string | null = null;
      switch (scenario) {
        case 'HEAVY_DOMESTIC_ABUSE': {
          const newPartner = phones.mobile();
          calling.ratePerDay = 1.5;
          calling.heavy = {
            number: newPartner,
            peakDate,
            peakCalls: 43,
            otherDaysPerDay: 432 / Math.max(1, days - 1),
          };
          story = `Domestic abuse perpetrator (MAPPA 2 level 1, RoSH high): about 475 calls this month to a new partner on ${newPartner}, not on his contact list, 43 of them on ${peakDate}`;
          break;
        }
        case 'STALKER':
          calling.extraUnlistedPerDay = 5;
          calling.victimShare = 0.04;
          calling.unlistedNumbers.push(phones.mobile(), phones.mobile());
          story =
            'Stalking perpetrator under a harassment order: calls the protected person and several unknown numbers';
          break;
        case 'MAPPA_L2_WITH_CHILDREN':
          story = `MAPPA level 2 with child-contact restrictions: calls ${plan.spec.population === 'FEMALE' ? 'her' : 'his'} children and their carer`;
          break;
        case 'UNTRANSLATED_LANGUAGE':
          story = `Speaks ${LANGUAGE_NAMES[language]}; no listener at ${code} does, so the calls wait for translation`;
          break;
        case 'PRE_RELEASE_LEVEL_NOT_SET':
          story = `MAPPA category 2 with no level set, released on ${isoDate(nowMs + risk.releaseInDays * DAY_MS)}`;
          break;
        case 'HIGH_RISK_NOT_MONITORED':
          story = 'Domestic abuse perpetrator with high RoSH who is not on monitoring';
          break;
        case null:
          break;
        default:
          break;
      }

      prisoners.push({
        prisonNumber,
        globalIndex: n,
        estIndex: plan.index,
        body: {
          firstName,
          lastName,
          establishmentCode: code,
          alertCodes: risk.codes,
          earliestReleaseDate: isoDate(nowMs + risk.releaseInDays * DAY_MS),
          pomUsername,
          leadListenerUsername,
          languages,
        },
        contacts,
        monitored,
        scenario,
        story,
        calling,
      });

      if (monitored) {
        authorisations.push(
          planAuthorisation(prng, {
            prisonNumber,
            establishmentCode: code,
            codes: risk.codes,
            scenario,
            nowMs,
            requestedBy: firstCovering(securities, code).username,
            approvedBy: firstCovering(heads, code).username,
          }),
        );
      }
    }
  }

  const world: DemoWorld = {
    seed,
    now: new Date(nowMs).toISOString(),
    days,
    establishments: specs,
    staff,
    prisoners: prisoners.map(({ globalIndex: _g, estIndex: _e, ...p }): DemoPrisoner => p),
    privilegedNumbers,
    authorisations,
    calls: (only?: ReadonlySet<string>) =>
      generateCalls({
        only: only ?? null,
        seed,
        nowMs,
        windowStartMs,
        meanDuration,
        externalIdPrefix,
        plans,
        prisoners,
        directoryFor: (code) => localPrivileged.get(code) ?? nationalPrivileged,
      }),
  };
  return world;
}

// ---------------------------------------------------------------------------------------------
// Contacts.
// ---------------------------------------------------------------------------------------------

function buildContacts(
  rng: Rng,
  phones: PhoneBook,
  plan: EstablishmentPlan,
  codes: readonly string[],
  surname: string,
  language: Language,
  scenario: ScenarioKind | null,
): DemoContactBody[] {
  const contacts: DemoContactBody[] = [];
  const female = plan.spec.population === 'FEMALE';
  const nameLanguage: Language = rng.chance(0.85) ? language : 'en';
  const person = (gender: Population, sameSurname: boolean): string => {
    const [first, last] = fullName(rng, nameLanguage, gender);
    return `${first} ${sameSurname ? surname : last}`;
  };
  const add = (
    name: string,
    relationship: DemoRelationship,
    extra: Partial<Omit<DemoContactBody, 'name' | 'relationship'>> = {},
  ) => {
    const phoneNumbers = [phones.mobile()];
    if (relationship !== 'CHILD' && rng.chance(0.12)) phoneNumbers.push(phones.mobile());
    contacts.push({
      name,
      relationship,
      phoneNumbers,
      isVictim: false,
      isChild: false,
      restriction: 'NONE',
      ...extra,
    });
  };
  const childContact = codes.some((c) => CHILD_CONTACT_CODES.includes(c));
  const partnerGender: Population = female
    ? rng.chance(0.85)
      ? 'MALE'
      : 'FEMALE'
    : rng.chance(0.95)
      ? 'FEMALE'
      : 'MALE';

  // Victims first: they matter most to the policy.
  const harassment = codes.includes('OHCO');
  if (scenario === 'HEAVY_DOMESTIC_ABUSE' || (codes.includes('RDV') && rng.chance(0.7))) {
    add(person(partnerGender, false), 'EX_PARTNER', {
      isVictim: true,
      restriction: harassment ? 'HARASSMENT_ORDER' : 'NO_CONTACT',
    });
  }
  if (codes.includes('RSP')) {
    add(person(rng.chance(0.8) ? 'FEMALE' : 'MALE', false), 'OTHER', {
      isVictim: true,
      restriction: harassment ? 'HARASSMENT_ORDER' : 'NO_CONTACT',
    });
  }
  if ((codes.includes('OVI') || codes.includes('ONCR')) && rng.chance(0.8)) {
    add(
      person(rng.chance(0.6) ? 'FEMALE' : 'MALE', false),
      rng.pick(['UNKNOWN', 'OTHER'] as const),
      {
        isVictim: true,
        restriction: 'NO_CONTACT',
      },
    );
  }

  if (scenario !== 'HEAVY_DOMESTIC_ABUSE' && rng.chance(scenario === 'STALKER' ? 0 : 0.6)) {
    add(person(partnerGender, rng.chance(0.3)), 'PARTNER');
  }
  const children = scenario === 'MAPPA_L2_WITH_CHILDREN' ? 2 : rng.chance(0.42) ? rng.int(1, 3) : 0;
  for (let k = 0; k < children; k++) {
    add(person(rng.chance(0.5) ? 'FEMALE' : 'MALE', true), 'CHILD', {
      isChild: true,
      restriction:
        childContact && (scenario === 'MAPPA_L2_WITH_CHILDREN' || rng.chance(0.5))
          ? 'CHILD_CONTACT_RESTRICTED'
          : 'NONE',
    });
  }
  if (scenario === 'MAPPA_L2_WITH_CHILDREN') add(person('FEMALE', false), 'OTHER_FAMILY');
  if (rng.chance(0.65) || scenario === 'HEAVY_DOMESTIC_ABUSE') {
    add(person('FEMALE', true), 'PARENT');
    if (rng.chance(0.3)) add(person('MALE', true), 'PARENT');
  }
  if (rng.chance(0.45)) {
    const n = rng.int(1, 2);
    for (let k = 0; k < n; k++) add(person(rng.chance(0.5) ? 'FEMALE' : 'MALE', true), 'SIBLING');
  }
  if (rng.chance(0.2))
    add(person(rng.chance(0.6) ? 'FEMALE' : 'MALE', rng.chance(0.5)), 'OTHER_FAMILY');
  if (rng.chance(0.4)) {
    const n = rng.int(1, 2);
    for (let k = 0; k < n; k++) add(person(rng.chance(0.5) ? 'FEMALE' : 'MALE', false), 'FRIEND');
  }
  if (rng.chance(0.08)) {
    const who = rng.pick([
      'Housing support worker',
      'Drug and alcohol recovery worker',
      'Family support worker',
    ]);
    add(`${who} (${person(rng.chance(0.5) ? 'FEMALE' : 'MALE', false)})`, 'PROFESSIONAL');
  }
  if (!contacts.some((c) => !c.isVictim && c.relationship !== 'LEGAL_ADVISER')) {
    add(person('FEMALE', true), 'PARENT');
  }
  if (rng.chance(0.35)) {
    const firm = rng.pick(plan.firms);
    contacts.push({
      name: firm.name,
      relationship: 'LEGAL_ADVISER',
      phoneNumbers: [firm.phone],
      isVictim: false,
      isChild: false,
      restriction: 'NONE',
    });
  }
  return contacts;
}

// ---------------------------------------------------------------------------------------------
// Monitoring authorisations.
// ---------------------------------------------------------------------------------------------

function planAuthorisation(
  rng: Rng,
  p: {
    prisonNumber: string;
    establishmentCode: string;
    codes: string[];
    scenario: ScenarioKind | null;
    nowMs: number;
    requestedBy: string;
    approvedBy: string;
  },
): DemoAuthorisation {
  const level = mappaLevelOf(p.codes);
  const has = (c: string) => p.codes.includes(c);
  const domestic = has('RDV') || has('RSP') || has('OHCO');
  const children = p.codes.some((c) => CHILD_CONTACT_CODES.includes(c));
  let type: DemoAuthorisationType;
  if (level === 3) type = 'MANDATORY';
  else if (p.scenario) type = 'OFFENCE_RELATED';
  else
    type = rng.weighted<DemoAuthorisationType>([
      ['OFFENCE_RELATED', 76],
      ['INTELLIGENCE_LED', 16],
      ['RANDOM', level === 2 || domestic || children ? 0 : 8],
    ]);

  const grounds: DemoGround[] =
    type === 'RANDOM'
      ? ['PRISON_SECURITY']
      : type === 'INTELLIGENCE_LED'
        ? ['PRISON_SECURITY', 'CRIME']
        : has('P101') || has('P102') || has('P103')
          ? ['NATIONAL_SECURITY', 'PUBLIC_SAFETY']
          : ['PUBLIC_SAFETY', 'CRIME'];

  const startsDaysAgo =
    p.scenario === 'HEAVY_DOMESTIC_ABUSE'
      ? 12
      : type === 'INTELLIGENCE_LED'
        ? rng.int(20, 40)
        : type === 'RANDOM'
          ? rng.int(10, 28)
          : rng.int(40, 55);
  const startsAt = new Date(
    Math.floor((p.nowMs - startsDaysAgo * DAY_MS) / MINUTE_MS) * MINUTE_MS,
  ).toISOString();

  const why: string[] = [];
  if (level === 3) why.push('is managed at MAPPA level 3');
  else if (level === 2) why.push('is managed at MAPPA level 2');
  else if (level === 1) why.push('is a MAPPA level 1 case');
  else if (level === null) why.push('is a MAPPA case whose level is not yet set');
  if (has('ROV')) why.push('is assessed as a very high risk of serious harm');
  else if (has('ROH')) why.push('is assessed as a high risk of serious harm');
  if (has('RDV')) why.push('has a history of domestic abuse against partners');
  if (has('RSP')) why.push('has stalked the victim of the index offence');
  if (has('OHCO')) why.push('is subject to a restraining order');
  if (children) why.push('poses a risk to children');
  if (has('OVI') || has('ONCR')) why.push('has a victim who has asked not to be contacted');

  let justification: string;
  if (type === 'RANDOM') {
    justification =
      'Selected for random monitoring under the establishment security strategy. Listening to a sample of calls is necessary to detect threats to good order and is proportionate: phone only, lowest priority, reviewed monthly.';
  } else if (type === 'INTELLIGENCE_LED') {
    justification = `Security intelligence reports indicate the prisoner is arranging the conveyance of illicit items through telephone contacts${why.length ? ` and the prisoner ${why.join(', ')}` : ''}. Monitoring of telephone calls is necessary to prevent crime and protect prison security and is proportionate as it is limited to phone calls and reviewed monthly.`;
  } else {
    const subject = why.length
      ? `The prisoner ${why.join(', ')}.`
      : 'The index offence involved threats made by telephone.';
    justification = `${subject} Monitoring of telephone contact is necessary to protect the public and known victims from harm and to detect any breach of licence or order conditions; it is proportionate because it is limited to phone calls and reviewed at the set interval.`;
  }
  if (p.scenario === 'HEAVY_DOMESTIC_ABUSE') {
    justification +=
      ' He was not placed on monitoring on arrival; the calls of the last 30 days are to be heard as well.';
  }

  return {
    prisonNumber: p.prisonNumber,
    establishmentCode: p.establishmentCode,
    requestedBy: p.requestedBy,
    approvedBy: p.approvedBy,
    body: {
      type,
      grounds,
      channels: ['PHONE'],
      justification,
      startsAt,
      lookbackDays: p.scenario === 'HEAVY_DOMESTIC_ABUSE' ? 30 : 0,
    },
    approvalNote: 'Necessity and proportionality considered; authorised for phone calls.',
  };
}

// ---------------------------------------------------------------------------------------------
// Calls.
// ---------------------------------------------------------------------------------------------

const RELATIONSHIP_WEIGHT: Record<DemoRelationship, number> = {
  PARTNER: 5,
  EX_PARTNER: 1,
  CHILD: 2,
  PARENT: 3,
  SIBLING: 1.5,
  OTHER_FAMILY: 1,
  FRIEND: 1.5,
  PROFESSIONAL: 0.3,
  OTHER: 0.5,
  UNKNOWN: 0.5,
  LEGAL_ADVISER: 0,
};
const PRIVILEGED_SHARE = 0.02;
const UNLISTED_SHARE = 0.08;
const DURATION_SIGMA = 0.7;

interface CallContext {
  /** Only these prisoners' calls, or (null) everyone's. */
  only: ReadonlySet<string> | null;
  seed: number;
  nowMs: number;
  windowStartMs: number;
  meanDuration: number;
  externalIdPrefix: string;
  plans: EstablishmentPlan[];
  prisoners: PrisonerInternal[];
  /** Directory numbers a prisoner of the establishment may call (national and local). */
  directoryFor: (establishmentCode: string) => string[];
}

interface DialPlan {
  prisoner: PrisonerInternal;
  circle: { numbers: string[]; weight: number }[];
  circleWeight: number;
  victims: string[];
  legal: string[];
  directory: string[];
}

function dialPlan(p: PrisonerInternal, directory: string[]): DialPlan {
  const circle = p.contacts
    .filter((c) => !c.isVictim && RELATIONSHIP_WEIGHT[c.relationship] > 0)
    .map((c) => ({ numbers: c.phoneNumbers, weight: RELATIONSHIP_WEIGHT[c.relationship] }));
  return {
    prisoner: p,
    circle,
    circleWeight: circle.reduce((s, c) => s + c.weight, 0),
    victims: p.contacts.filter((c) => c.isVictim).flatMap((c) => c.phoneNumbers),
    legal: p.contacts
      .filter((c) => c.relationship === 'LEGAL_ADVISER')
      .flatMap((c) => c.phoneNumbers),
    directory,
  };
}

/** Minute of the UTC day: mostly 08:00-21:30, with evening and lunchtime peaks. */
function minuteOfDay(rng: Rng): number {
  const r = rng.next();
  if (r < 0.03) return 390 + rng.next() * 90; // 06:30-08:00
  if (r < 0.06) return 1290 + rng.next() * 120; // 21:30-23:30
  const s = rng.next();
  if (s < 0.55) return 480 + rng.next() * 810; // 08:00-21:30
  if (s < 0.88) return 1020 + rng.next() * 270; // 17:00-21:30
  return 690 + rng.next() * 150; // 11:30-14:00
}

function* generateCalls(ctx: CallContext): Generator<DemoCall, void, undefined> {
  const plansByEst = ctx.plans.map((plan) => ({
    plan,
    dials: ctx.prisoners
      .filter((p) => p.estIndex === plan.index && (!ctx.only || ctx.only.has(p.prisonNumber)))
      .map((p) => dialPlan(p, ctx.directoryFor(plan.spec.code))),
  }));
  const mu = Math.log(ctx.meanDuration) - (DURATION_SIGMA * DURATION_SIGMA) / 2;
  const firstDay = Math.floor(ctx.windowStartMs / DAY_MS) * DAY_MS;
  const lastDay = Math.floor(ctx.nowMs / DAY_MS) * DAY_MS;
  const counters = new Map<string, number>();

  for (let dayStart = firstDay, d = 0; dayStart <= lastDay; dayStart += DAY_MS, d++) {
    const date = isoDate(dayStart);
    for (const { plan, dials } of plansByEst) {
      const day: { at: number; call: Omit<DemoCall, 'externalId' | 'startedAt'> }[] = [];
      for (const dial of dials) {
        const p = dial.prisoner;
        const rng = new Rng(hash32(ctx.seed, 0xca11, p.globalIndex, d));
        const emit = (number: string, durationSeconds: number, minute: number) => {
          const at = dayStart + Math.floor(minute * 60) * 1000;
          if (at <= ctx.windowStartMs || at + durationSeconds * 1000 > ctx.nowMs) return;
          const language =
            p.calling.language === 'en' || rng.chance(p.calling.englishShare)
              ? 'en'
              : p.calling.language;
          day.push({
            at,
            call: {
              prisonNumber: p.prisonNumber,
              establishmentCode: p.body.establishmentCode,
              dialledNumber: asDialled(number, rng.chance(0.1)),
              durationSeconds,
              channel: 'PHONE',
              recordingRef: rng.pick(RECORDING_REFS),
              language,
            },
          });
        };
        const duration = () =>
          Math.min(1800, Math.max(10, Math.round(Math.exp(mu + DURATION_SIGMA * rng.normal()))));

        const ordinary = rng.poisson(p.calling.ratePerDay);
        for (let k = 0; k < ordinary; k++) {
          const r = rng.next();
          let number: string;
          if (r < PRIVILEGED_SHARE) {
            // Their own solicitor most often; otherwise the directory (Samaritans, ombudsman, MP, ...).
            number =
              dial.legal.length && rng.chance(0.6)
                ? rng.pick(dial.legal)
                : rng.pick(dial.directory);
          } else if (r < PRIVILEGED_SHARE + UNLISTED_SHARE) {
            number = rng.weighted(
              p.calling.unlistedNumbers.map((n, i) => [n, 1 / (i + 1)] as const),
            );
          } else if (dial.victims.length && rng.chance(p.calling.victimShare)) {
            number = rng.pick(dial.victims);
          } else {
            let w = rng.next() * dial.circleWeight;
            let chosen = dial.circle[dial.circle.length - 1];
            for (const c of dial.circle) {
              w -= c.weight;
              if (w < 0) {
                chosen = c;
                break;
              }
            }
            number = rng.pick(chosen.numbers);
          }
          emit(number, duration(), minuteOfDay(rng));
        }
        const extra = rng.poisson(p.calling.extraUnlistedPerDay);
        for (let k = 0; k < extra; k++) {
          emit(rng.pick(p.calling.unlistedNumbers), duration(), minuteOfDay(rng));
        }
        const heavy = p.calling.heavy;
        if (heavy) {
          const peak = date === heavy.peakDate;
          const n = peak ? heavy.peakCalls : rng.poisson(heavy.otherDaysPerDay);
          for (let k = 0; k < n; k++) {
            // Short calls through the day and into the evening.
            const minute = peak ? 480 + ((k + rng.next()) * 900) / n : minuteOfDay(rng);
            emit(heavy.number, rng.int(20, 240), minute);
          }
        }
      }
      day.sort((a, b) => a.at - b.at);
      let counter = counters.get(plan.spec.code) ?? 0;
      for (const { at, call } of day) {
        counter++;
        yield {
          externalId: `${ctx.externalIdPrefix}-${plan.spec.code}-${pad(counter, 7)}`,
          ...call,
          startedAt: new Date(at).toISOString(),
        };
      }
      counters.set(plan.spec.code, counter);
    }
  }
}
