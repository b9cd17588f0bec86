/* Why this file is long: the normaliser, the stemmer and the matcher are one algorithm whose steps
   must agree on the same word forms; the spec beside it tests them together. */
/**
 * Keyword spotting in speech-to-text transcripts. Pure functions, no I/O.
 *
 * Text is normalised (Unicode compatibility forms, diacritics dropped, lower case, one apostrophe,
 * common contractions and spoken forms expanded), cut into whole words, and each word is reduced to a
 * light stem (kill / kills / killed / killing → kill). A lexicon phrase matches a run of whole words
 * whose stems equal the phrase's stems, in order; a few filler words ("fucking", "really", "um") may
 * sit between them. Nothing ever matches inside another word: "skill" is not "kill", "bomber" is not
 * "bomb". Names match whole words without stemming ("Ann's" is Ann, "Annual" is not).
 *
 * Every hit carries its span in the ORIGINAL text (UTF-16 offsets, end exclusive), so a listener's
 * screen can highlight exactly what the provider wrote.
 *
 * What this does not do: understand negation ("I'd never kill her" still hits "kill her"), sarcasm or
 * context. A hit moves a call up the queue; a transcript never replaces listening.
 */

/** One word of a text, with where it came from. */
export interface Token {
  /** The normalised word: lower case, no diacritics, contractions expanded, possessive 's dropped. */
  word: string;
  /** The light stem of `word` (see `stem`). */
  stem: string;
  /** Start of the original word in the original text (UTF-16 offset). */
  start: number;
  /** End of the original word (exclusive). */
  end: number;
  /** The original word began with a capital letter. */
  capitalised: boolean;
  /** The original word begins a sentence (start of text, or after . ! ? …). */
  sentenceInitial: boolean;
}

/** A lexicon entry: a threat phrase, a local phrase, or a protected person's name. */
export interface LexiconEntry {
  /** The words to find, e.g. "going to kill" or "Jane Doe". */
  phrase: string;
  /** What a hit is reported as (the reason and the highlight); defaults to the phrase, trimmed. */
  label?: string;
  /**
   * `PHRASE` matches stems (inflections match); `NAME` matches whole words without stemming.
   * Default `PHRASE`.
   */
  kind?: 'PHRASE' | 'NAME';
  /**
   * Only for a one-word NAME: the word must be written with a capital letter and not open a
   * sentence (a name that is also an ordinary word, such as Will, Rose or Wood).
   */
  requireProperNoun?: boolean;
}

/** A hit in one text: the span in the original text and the lexicon label that matched. */
export interface Hit {
  start: number;
  end: number;
  phrase: string;
}

/** Words that may sit between the words of a phrase ("break your fucking legs"). */
export const FILLER_WORDS: ReadonlySet<string> = new Set([
  'fucking',
  'fuckin',
  'fking',
  'effing',
  'frigging',
  'friggin',
  'freaking',
  'bloody',
  'really',
  'actually',
  'literally',
  'just',
  'proper',
  'um',
  'umm',
  'uh',
  'er',
  'erm',
  'ah',
  'eh',
]);

/** At most this many filler words between two words of a phrase. */
export const MAX_FILLERS = 2;

// ---------------------------------------------------------------------------------------------
// Normalisation with an offset map back to the original text
// ---------------------------------------------------------------------------------------------

const APOSTROPHES = /['\u2018\u2019\u201a\u201b\u02bc\u02b9\u0060\u00b4\u2032\uff07]/g;
const DOUBLE_QUOTES = /[\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033]/g;
const MARKS = /[\p{M}\p{Cf}]/gu;

interface Mapped {
  /** Normalised text. */
  text: string;
  /** For each UTF-16 unit of `text`: the start of the original character it came from… */
  from: number[];
  /** …and the end of that original character (extended over following combining marks). */
  to: number[];
}

/**
 * Normalises character by character (NFKD, combining marks and format characters dropped, lower
 * case, apostrophes and quotes unified) and remembers, for each normalised unit, the original
 * character it came from.
 */
function mapNormalise(original: string): Mapped {
  let text = '';
  const from: number[] = [];
  const to: number[] = [];
  let i = 0;
  for (const ch of original) {
    const end = i + ch.length;
    // Apostrophes first: NFKD would turn an acute accent used as one into a space and a mark.
    const n = ch
      .replace(APOSTROPHES, "'")
      .replace(DOUBLE_QUOTES, '"')
      .normalize('NFKD')
      .toLowerCase()
      .normalize('NFKD')
      .replace(MARKS, '')
      .replace(APOSTROPHES, "'");
    if (n.length === 0) {
      // A combining mark or invisible character: it belongs to the character before it.
      if (to.length > 0) to[to.length - 1] = end;
    } else {
      for (let k = 0; k < n.length; k++) {
        from.push(i);
        to.push(end);
      }
      text += n;
    }
    i = end;
  }
  return { text, from, to };
}

/** Whole-word forms spoken or written as one word, expanded before matching. */
const WHOLE_WORDS: Readonly<Record<string, string>> = {
  "i'm": 'i am',
  "ain't": 'is not',
  "won't": 'will not',
  "can't": 'can not',
  cannot: 'can not',
  "shan't": 'shall not',
  "let's": 'let us',
  "y'all": 'you all',
  gonna: 'going to',
  gotta: 'got to',
  wanna: 'want to',
  imma: 'i am going to',
  ima: 'i am going to',
  gimme: 'give me',
  lemme: 'let me',
  dunno: 'do not know',
  innit: 'is it not',
  ya: 'you',
  yah: 'you',
  u: 'you',
  yer: 'your',
  ur: 'your',
  youre: 'you are',
  youll: 'you will',
  em: 'them',
  dont: 'do not',
  didnt: 'did not',
  doesnt: 'does not',
};

/** Words whose 's means "is" ("she's dead"); on any other word it is a possessive ("Ann's"). */
const IS_CONTRACTIONS = new Set([
  'he',
  'she',
  'it',
  'that',
  'there',
  'here',
  'what',
  'who',
  'where',
  'how',
  'this',
]);

const SUFFIX_CONTRACTIONS: readonly [string, string][] = [
  ["n't", 'not'],
  ["'ll", 'will'],
  ["'re", 'are'],
  ["'ve", 'have'],
  ["'d", 'would'],
  ["'m", 'am'],
];

/** Expands one raw word (lower case, may hold apostrophes) into the words it stands for. */
function expandWord(raw: string): string[] {
  const whole = WHOLE_WORDS[raw];
  if (whole) return whole.split(' ');
  if (raw.includes("'")) {
    for (const [suffix, expansion] of SUFFIX_CONTRACTIONS) {
      if (raw.endsWith(suffix) && raw.length > suffix.length) {
        return [...expandWord(raw.slice(0, -suffix.length)), expansion];
      }
    }
    if (raw.endsWith("'s") && raw.length > 2) {
      const base = raw.slice(0, -2);
      return IS_CONTRACTIONS.has(base) ? [base, 'is'] : expandWord(base);
    }
    // O'Brien, d'Souza: one word.
    return [raw.replace(/'/g, '')];
  }
  return [raw];
}

const WORD = /[\p{L}\p{N}]+(?:'[\p{L}\p{N}]+)*/gu;
const SENTENCE_END = /[.!?\u2026]/;
const SKIPPED_BEFORE_WORD = /[\s"'([{\-\u2013\u2014\u2018\u201c]/;

function isSentenceInitial(original: string, start: number): boolean {
  let i = start - 1;
  while (i >= 0 && SKIPPED_BEFORE_WORD.test(original[i])) i--;
  return i < 0 || SENTENCE_END.test(original[i]);
}

/** Cuts a text into normalised words with their original spans. */
export function tokenise(original: string): Token[] {
  const mapped = mapNormalise(original);
  const out: Token[] = [];
  for (const m of mapped.text.matchAll(WORD)) {
    const at = m.index;
    const start = mapped.from[at];
    const end = mapped.to[at + m[0].length - 1];
    const first = original.slice(start, start + (original.codePointAt(start)! > 0xffff ? 2 : 1));
    const capitalised = first !== first.toLowerCase();
    const sentenceInitial = isSentenceInitial(original, start);
    for (const word of expandWord(m[0])) {
      if (word.length === 0) continue;
      out.push({ word, stem: stem(word), start, end, capitalised, sentenceInitial });
    }
  }
  return out;
}

/** The normalised words of a text joined by single spaces (for display and tests). */
export function normalise(text: string): string {
  return tokenise(text)
    .map((t) => t.word)
    .join(' ');
}

// ---------------------------------------------------------------------------------------------
// Light English stemming
// ---------------------------------------------------------------------------------------------

/** Irregular forms that matter for threats; the result is stemmed again like any word. */
const IRREGULAR: Readonly<Record<string, string>> = {
  died: 'die',
  dies: 'die',
  dying: 'die',
  lying: 'lie',
  lies: 'lie',
  lied: 'lie',
  tying: 'tie',
  burnt: 'burn',
  paid: 'pay',
  knives: 'knife',
  wives: 'wife',
  goes: 'go',
  men: 'man',
  women: 'woman',
  children: 'child',
  teeth: 'tooth',
  beaten: 'beat',
  broken: 'break',
};

const VOWEL = /[aeiouy]/;
const DOUBLE_CONSONANT = /([b-df-hj-km-np-rtv-xz])\1$/; // not l, s or z (kill, miss, buzz)

/**
 * A light suffix stripper, not a full stemmer: plural and third-person -s/-es/-ies, -ing and -ed (with
 * the doubled consonant undone: stabbed → stab), then a final silent e (strangle / strangled /
 * strangling → strangl). It only has to map a word and its inflections to the same key; the key need
 * not be an English word. It never strips -er, so "bomber" stays apart from "bomb".
 */
export function stem(word: string): string {
  const irregular = IRREGULAR[word];
  if (irregular) return stripFinalE(irregular);
  if (word.length <= 3 || !/^[a-z]+$/.test(word)) return word;
  let s = word;
  if (s.endsWith('ies') && s.length > 4) s = `${s.slice(0, -3)}y`;
  else if (s.endsWith('sses')) s = s.slice(0, -2);
  else if (/(?:ches|shes|xes|zes)$/.test(s)) s = s.slice(0, -2);
  else if (s.endsWith('s') && !/(?:ss|us|is)$/.test(s)) s = s.slice(0, -1);

  const strip = (suffix: string): boolean => {
    if (!s.endsWith(suffix)) return false;
    const base = s.slice(0, -suffix.length);
    if (base.length < 3 || !VOWEL.test(base)) return false;
    s = DOUBLE_CONSONANT.test(base) ? base.slice(0, -1) : base;
    return true;
  };
  if (!strip('ing') && !s.endsWith('eed')) strip('ed');
  return stripFinalE(s);
}

function stripFinalE(s: string): string {
  return s.length > 3 && s.endsWith('e') && !s.endsWith('ee') ? s.slice(0, -1) : s;
}

// ---------------------------------------------------------------------------------------------
// Matching
// ---------------------------------------------------------------------------------------------

interface Pattern {
  keys: string[];
  label: string;
  byStem: boolean;
  requireProperNoun: boolean;
}

/** A compiled lexicon. Build once per lexicon; `spot` and `spotTokens` are then cheap. */
export class KeywordSpotter {
  private readonly byStem = new Map<string, Pattern[]>();
  private readonly byWord = new Map<string, Pattern[]>();
  readonly size: number;

  constructor(entries: readonly LexiconEntry[]) {
    const seen = new Set<string>();
    let size = 0;
    for (const entry of entries) {
      const tokens = tokenise(entry.phrase);
      if (tokens.length === 0) continue;
      const byStem = (entry.kind ?? 'PHRASE') === 'PHRASE';
      const label = (entry.label ?? entry.phrase).trim().replace(/\s+/g, ' ');
      const keys = tokens.map((t) => (byStem ? t.stem : t.word));
      const id = `${byStem ? 'S' : 'W'}|${keys.join(' ')}|${label}`;
      if (seen.has(id)) continue;
      seen.add(id);
      const pattern: Pattern = {
        keys,
        label,
        byStem,
        requireProperNoun: !byStem && keys.length === 1 && entry.requireProperNoun === true,
      };
      const index = byStem ? this.byStem : this.byWord;
      const list = index.get(keys[0]);
      if (list) list.push(pattern);
      else index.set(keys[0], [pattern]);
      size++;
    }
    this.size = size;
  }

  /** Hits in one text, in order of where they start. */
  spot(text: string): Hit[] {
    return this.spotTokens(tokenise(text), /\p{Lu}/u.test(text)).map(({ first, last, label }) => ({
      start: first.start,
      end: last.end,
      phrase: label,
    }));
  }

  /**
   * Hits over a token sequence (which may run across several texts). `hasCase` says whether the
   * text carries capitals at all; without it a name that is also an ordinary word cannot be told
   * from the word, and is not matched on its own.
   */
  spotTokens<T extends Token>(
    tokens: readonly T[],
    hasCase: boolean,
  ): { first: T; last: T; firstIndex: number; lastIndex: number; label: string }[] {
    const out: { first: T; last: T; firstIndex: number; lastIndex: number; label: string }[] = [];
    for (let i = 0; i < tokens.length; i++) {
      const candidates = [
        ...(this.byStem.get(tokens[i].stem) ?? []),
        ...(this.byWord.get(tokens[i].word) ?? []),
      ];
      for (const p of candidates) {
        const last = matchFrom(tokens, i, p, hasCase);
        if (last >= 0) {
          out.push({
            first: tokens[i],
            last: tokens[last],
            firstIndex: i,
            lastIndex: last,
            label: p.label,
          });
        }
      }
    }
    return withoutContained(out);
  }
}

/**
 * Drops a hit lying wholly inside another hit with the same label ("Jane" inside "Jane Doe" when
 * both the full name and the first name are in the lexicon under one label).
 */
function withoutContained<H extends { firstIndex: number; lastIndex: number; label: string }>(
  hits: H[],
): H[] {
  const order = [...hits.keys()].sort(
    (a, b) =>
      hits[a].firstIndex - hits[b].firstIndex || hits[b].lastIndex - hits[a].lastIndex || a - b,
  );
  const reach = new Map<string, number>();
  const keep = new Set<number>();
  for (const i of order) {
    const h = hits[i];
    const furthest = reach.get(h.label) ?? -1;
    if (h.lastIndex <= furthest) continue;
    reach.set(h.label, h.lastIndex);
    keep.add(i);
  }
  return hits.filter((_, i) => keep.has(i));
}

/** Index of the last token of a match of `p` starting at `i`, or -1. */
function matchFrom(tokens: readonly Token[], i: number, p: Pattern, hasCase: boolean): number {
  const key = (t: Token) => (p.byStem ? t.stem : t.word);
  if (p.requireProperNoun) {
    const t = tokens[i];
    if (!hasCase || !t.capitalised || t.sentenceInitial) return -1;
  }
  let at = i;
  for (let k = 1; k < p.keys.length; k++) {
    let j = at + 1;
    let fillers = 0;
    while (
      j < tokens.length &&
      key(tokens[j]) !== p.keys[k] &&
      FILLER_WORDS.has(tokens[j].word) &&
      fillers < MAX_FILLERS
    ) {
      j++;
      fillers++;
    }
    if (j >= tokens.length || key(tokens[j]) !== p.keys[k]) return -1;
    at = j;
  }
  // Two words expanded from one written word ("I'm") are one span; a phrase ending inside it is fine.
  return at;
}

// ---------------------------------------------------------------------------------------------
// Transcripts (several segments)
// ---------------------------------------------------------------------------------------------

export interface TranscriptSegment {
  at?: number;
  text: string;
}

export interface SpottedTranscript {
  /** Per segment, the highlighted spans (a phrase running over two segments is split across them). */
  segments: Hit[][];
  /** The distinct labels that matched, in order of first appearance. */
  phrases: string[];
}

/**
 * Spots over a whole transcript: segments are read as one continuous text (a provider may cut a
 * sentence between segments), and each hit is reported in the segment(s) it falls in.
 */
export function spotTranscript(
  segments: readonly TranscriptSegment[],
  spotter: KeywordSpotter,
): SpottedTranscript {
  const tokens: (Token & { segment: number })[] = [];
  segments.forEach((seg, segment) => {
    for (const t of tokenise(seg.text)) tokens.push({ ...t, segment });
  });
  const hasCase = segments.some((s) => /\p{Lu}/u.test(s.text));
  const perSegment: Hit[][] = segments.map(() => []);
  const phrases: string[] = [];
  const seen = new Set<string>();
  for (const hit of spotter.spotTokens(tokens, hasCase)) {
    if (!seen.has(hit.label)) {
      seen.add(hit.label);
      phrases.push(hit.label);
    }
    // Split at segment boundaries: one span per segment the hit touches.
    let runStart = hit.firstIndex;
    for (let k = hit.firstIndex; k <= hit.lastIndex; k++) {
      const endsRun = k === hit.lastIndex || tokens[k + 1].segment !== tokens[k].segment;
      if (endsRun) {
        perSegment[tokens[k].segment].push({
          start: tokens[runStart].start,
          end: tokens[k].end,
          phrase: hit.label,
        });
        runStart = k + 1;
      }
    }
  }
  for (const hits of perSegment) hits.sort((a, b) => a.start - b.start || b.end - a.end);
  return { segments: perSegment, phrases };
}
