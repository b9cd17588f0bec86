/* Why this file is long: it is mostly data (the built-in threat lexicon), with the few functions that apply it. */
import {
  KeywordSpotter,
  LexiconEntry,
  spotTranscript,
  SpottedTranscript,
  tokenise,
  TranscriptSegment,
} from './keyword-spotting';

const OBJECTS = ['you', 'her', 'him', 'them'] as const;
const against = (verb: string, objects: readonly string[] = OBJECTS) =>
  objects.map((o) => `${verb} ${o}`);

/**
 * The built-in threat lexicon: phrases that are threatening in themselves. Each establishment adds
 * its own words and phrases (`keywordLexicon` in its settings: local slang, gang names, code words
 * such as "parcel"), and the names of each prisoner's victims and restricted contacts are added per
 * prisoner. Inflections match ("stabbed", "killing"), contractions are expanded ("you're dead",
 * "I'll find you"), so list each phrase once in its plain form.
 *
 * Kept deliberately free of phrases that are common in innocent calls: "when I get out" (release
 * planning), "find you" ("I'll find you a solicitor"), "hurt you" ("I never meant to hurt you"), "bomb" ("costs a
 * bomb"), "shank" alone ("lamb shank"), "stab" alone ("have a stab at it"), "kill" alone ("killing
 * time"), "acid" alone ("acid reflux"), "cut her" ("cut her hair").
 */
export const THREAT_LEXICON: readonly string[] = [
  ...against('kill'),
  'kill your',
  'going to kill',
  ...against('stab'),
  'get stabbed',
  ...against('shank'),
  ...against('shoot'),
  'get a gun',
  'strangle',
  ...against('batter'),
  ...against('end', ['you', 'her', 'him']),
  ...against('slit', ['your throat', 'her throat', 'his throat']),
  ...against('cut', ['your throat', 'her throat', 'his throat']),
  'burn the house',
  'burn your house',
  'burn her house',
  'burn his house',
  'burn the place down',
  'burn it down',
  'petrol through',
  'petrol bomb',
  'pipe bomb',
  'you are dead',
  'you are a dead man',
  'dead man walking',
  'you are going to die',
  ...against('hunt', ['you down', 'her down', 'him down']),
  ...against('track', ['you down', 'her down', 'him down']),
  'know where you live',
  'know where she lives',
  'know where he lives',
  'nobody will find',
  'no one will find',
  'never find the body',
  'never find your body',
  ...against('make', ['you pay', 'her pay', 'him pay']),
  'you will pay for this',
  'she will pay for this',
  ...against('break', ['your legs', 'her legs', 'his legs', 'your neck', 'her neck', 'his neck']),
  'smash your face',
  'kick your head in',
  ...against('put', [
    'you in hospital',
    'her in hospital',
    'you in the ground',
    'her in the ground',
  ]),
  'throw acid',
  'acid in your face',
  'acid attack',
  'watch your back',
  'send someone round',
  'send the boys round',
  'send the lads round',
];

/** A prisoner's contact as triage knows it; only victims and restricted contacts are spotted by name. */
export interface NamedContact {
  name?: string | null;
  isVictim: boolean;
  restriction: string;
}

/** Contacts whose names are listened for: victims, and anyone under a no-contact or harassment order. */
export function isProtectedContact(c: NamedContact): boolean {
  return c.isVictim || c.restriction === 'NO_CONTACT' || c.restriction === 'HARASSMENT_ORDER';
}

/** Titles and name particles that never identify anyone on their own. */
const NOT_A_NAME = new Set([
  'mr',
  'mrs',
  'ms',
  'miss',
  'mx',
  'dr',
  'de',
  'da',
  'di',
  'du',
  'del',
  'della',
  'der',
  'den',
  'van',
  'von',
  'le',
  'la',
  'al',
  'el',
  'bin',
  'bint',
  'ibn',
  'st',
  'jr',
  'sr',
]);

/**
 * First names and surnames that are also everyday words. Said on its own, such a name only counts
 * when the transcript writes it with a capital letter and not at the start of a sentence ("tell Will
 * I said hello", not "will you ring me"). The full name ("Will Hart") always counts.
 */
export const NAMES_THAT_ARE_WORDS: ReadonlySet<string> = new Set([
  // first names
  'will',
  'bill',
  'mark',
  'rob',
  'pat',
  'sue',
  'frank',
  'jack',
  'guy',
  'ray',
  'rose',
  'may',
  'june',
  'april',
  'august',
  'summer',
  'dawn',
  'hope',
  'grace',
  'faith',
  'joy',
  'ruby',
  'amber',
  'holly',
  'ivy',
  'daisy',
  'lily',
  'poppy',
  'violet',
  'hazel',
  'iris',
  'jade',
  'pearl',
  'crystal',
  'sky',
  'rain',
  'star',
  'angel',
  'honey',
  'sunny',
  'candy',
  'penny',
  'chance',
  'chase',
  'hunter',
  'mason',
  'cash',
  'art',
  'don',
  'drew',
  'gene',
  'sandy',
  'rusty',
  'bob',
  'mo',
  'max',
  'dean',
  'miles',
  'nick',
  'pip',
  'mercy',
  'charity',
  'patience',
  'harmony',
  'destiny',
  'liberty',
  'river',
  'storm',
  'autumn',
  'heather',
  'willow',
  'jasmine',
  'olive',
  'sage',
  'clay',
  'reed',
  'rocky',
  'buddy',
  // surnames
  'white',
  'black',
  'brown',
  'green',
  'grey',
  'gray',
  'young',
  'king',
  'wood',
  'woods',
  'hill',
  'hall',
  'bird',
  'cook',
  'baker',
  'long',
  'short',
  'little',
  'rich',
  'fox',
  'moon',
  'price',
  'page',
  'bell',
  'church',
  'ward',
  'wells',
  'mills',
  'banks',
  'lane',
  'field',
  'fields',
  'marsh',
  'stone',
  'parker',
  'turner',
  'walker',
  'cooper',
  'hunt',
  'shaw',
  'knight',
  'rice',
  'best',
  'north',
  'south',
  'west',
  'east',
  'bush',
  'lamb',
  'hart',
  'burns',
  'pool',
  'street',
  'sharp',
  'swift',
  'brook',
  'brooks',
  'love',
  'case',
  'sweet',
  'good',
  'goodman',
  'bond',
  'mann',
  'frost',
  'snow',
  'wolf',
  'fish',
  'house',
  'gold',
  'silver',
  'day',
  'nash',
  'cross',
  'barker',
  'major',
  'porter',
  'slater',
  'potter',
  'miller',
  'chambers',
  'payne',
  'heart',
  // relationships some contact lists use as names
  'mum',
  'mom',
  'mam',
  'mother',
  'dad',
  'father',
  'nan',
  'nana',
  'nanny',
  'gran',
  'granny',
  'grandad',
  'grandma',
  'sister',
  'brother',
  'partner',
  'wife',
  'husband',
  'son',
  'daughter',
  'baby',
  'babe',
  'friend',
  'unknown',
  'contact',
  'auntie',
  'aunt',
  'uncle',
  'cousin',
]);

/** What a hit on a protected person's name is reported as. */
export function protectedLabel(c: NamedContact & { name: string }): string {
  const name = c.name.trim().replace(/\s+/g, ' ');
  if (c.isVictim) return `${name} (victim)`;
  if (c.restriction === 'NO_CONTACT') return `${name} (no-contact restriction)`;
  return `${name} (harassment order)`;
}

/**
 * Lexicon entries for the names of a prisoner's protected contacts: the full name, and each part of it
 * on its own (people say "Jane", not "Jane Doe"), except titles and particles.
 */
export function protectedNameEntries(contacts: readonly NamedContact[]): LexiconEntry[] {
  const out: LexiconEntry[] = [];
  for (const c of contacts) {
    if (!isProtectedContact(c) || !c.name || !c.name.trim()) continue;
    const label = protectedLabel({ ...c, name: c.name });
    const words = tokenise(c.name).map((t) => t.word);
    const parts = words.filter((w) => w.length >= 2 && !NOT_A_NAME.has(w));
    if (words.length >= 2) out.push({ phrase: c.name, label, kind: 'NAME' });
    for (const part of new Set(parts)) {
      out.push({
        phrase: part,
        label,
        kind: 'NAME',
        requireProperNoun: NAMES_THAT_ARE_WORDS.has(part),
      });
    }
  }
  return out;
}

const BUILT_IN_ENTRIES: readonly LexiconEntry[] = THREAT_LEXICON.map((phrase) => ({ phrase }));

const CACHE_LIMIT = 200;
const cache = new Map<string, KeywordSpotter>();

/**
 * The spotter for one prisoner at one establishment: the built-in threat lexicon, the
 * establishment's own phrases and the names of the prisoner's protected contacts. Compiled spotters
 * are kept for reuse (a triage chunk holds many calls of the same prisoners).
 */
export function transcriptSpotter(
  establishmentPhrases: readonly string[],
  contacts: readonly NamedContact[],
): KeywordSpotter {
  const local = establishmentPhrases
    .filter((p): p is string => typeof p === 'string' && p.trim() !== '')
    .map((phrase) => ({ phrase }));
  const names = protectedNameEntries(contacts);
  const key = JSON.stringify([local, names]);
  const cached = cache.get(key);
  if (cached) return cached;
  const spotter = new KeywordSpotter([...BUILT_IN_ENTRIES, ...local, ...names]);
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(key, spotter);
  return spotter;
}

/** At most this many distinct phrases of one call become priority reasons. */
export const MAX_REASON_PHRASES = 10;

/** Spots a stored transcript with the prisoner's lexicon. */
export function spotCallTranscript(
  transcript: { segments: readonly TranscriptSegment[] } | null | undefined,
  establishmentPhrases: readonly string[],
  contacts: readonly NamedContact[],
): SpottedTranscript {
  const segments = transcript?.segments ?? [];
  if (segments.length === 0) return { segments: [], phrases: [] };
  return spotTranscript(segments, transcriptSpotter(establishmentPhrases, contacts));
}

/** The distinct phrases spotted in a call's transcript, as the priority policy takes them. */
export function transcriptHitPhrases(
  transcript: { segments: readonly TranscriptSegment[] } | null | undefined,
  establishmentPhrases: readonly string[],
  contacts: readonly NamedContact[],
): string[] {
  return spotCallTranscript(transcript, establishmentPhrases, contacts).phrases.slice(
    0,
    MAX_REASON_PHRASES,
  );
}
