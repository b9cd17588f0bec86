import {
  KeywordSpotter,
  LexiconEntry,
  normalise,
  spotTranscript,
  stem,
  tokenise,
} from './keyword-spotting';
import {
  isProtectedContact,
  protectedNameEntries,
  THREAT_LEXICON,
  transcriptHitPhrases,
  transcriptSpotter,
} from './lexicon';

const spotter = (...entries: (string | LexiconEntry)[]) =>
  new KeywordSpotter(entries.map((e) => (typeof e === 'string' ? { phrase: e } : e)));
/** The labels hit in a text. */
const phrasesIn = (s: KeywordSpotter, text: string) => s.spot(text).map((h) => h.phrase);
/** The original text under each hit. */
const spans = (s: KeywordSpotter, text: string) =>
  s.spot(text).map((h) => text.slice(h.start, h.end));

const builtIn = transcriptSpotter([], []);

describe('keyword spotting', () => {
  describe('normalisation', () => {
    it('lower-cases and drops punctuation', () => {
      expect(normalise('STOP! Right... now, OK?')).toBe('stop right now ok');
    });

    it('strips diacritics and compatibility forms', () => {
      expect(normalise('Zoë Ångström café naïve')).toBe('zoe angstrom cafe naive');
      expect(normalise('Zoe\u0308')).toBe('zoe'); // decomposed diaeresis
      expect(normalise('ｋｉｌｌ ﬁnd')).toBe('kill find'); // full-width letters, ligature
    });

    it('unifies apostrophes before expanding contractions', () => {
      for (const apostrophe of ["'", '\u2019', '\u2018', '\u02bc', '`', '\u00b4']) {
        expect(normalise(`you${apostrophe}re dead`)).toBe('you are dead');
      }
    });

    it('expands contractions and spoken forms', () => {
      expect(normalise("I'm gonna, I'll, you're, won't, can't, didn't, we've, he'd")).toBe(
        'i am going to i will you are will not can not did not we have he would',
      );
      expect(normalise('wanna gotta imma ya ur')).toBe('want to got to i am going to you your');
    });

    it("reads 's as 'is' after a pronoun and as a possessive otherwise", () => {
      expect(normalise("she's dead, it's over")).toBe('she is dead it is over');
      expect(normalise("Ann's brother, the O'Briens' car")).toBe('ann brother the obriens car');
    });

    it('ignores invisible characters inside a word', () => {
      expect(normalise('kil\u00adl her')).toBe('kill her'); // soft hyphen
      expect(normalise('ki\u200bll')).toBe('kill'); // zero-width space
    });

    it('keeps numbers as words', () => {
      expect(normalise('Flat 3B, 42 Acacia Road')).toBe('flat 3b 42 acacia road');
    });

    it('tokens keep their span in the original text', () => {
      const text = 'Tell Zoë — I’m here';
      expect(tokenise(text).map((t) => [t.word, text.slice(t.start, t.end)])).toEqual([
        ['tell', 'Tell'],
        ['zoe', 'Zoë'],
        ['i', 'I’m'],
        ['am', 'I’m'],
        ['here', 'here'],
      ]);
    });
  });

  describe('stemming', () => {
    it.each([
      ['kill', ['kill', 'kills', 'killed', 'killing']],
      ['stab', ['stab', 'stabs', 'stabbed', 'stabbing']],
      ['hurt', ['hurt', 'hurts', 'hurting']],
      ['burn', ['burn', 'burns', 'burnt', 'burned', 'burning']],
      ['die', ['die', 'dies', 'died', 'dying']],
      ['strangl', ['strangle', 'strangles', 'strangled', 'strangling']],
      ['shoot', ['shoot', 'shoots', 'shooting']],
      ['leg', ['leg', 'legs']],
      ['hous', ['house', 'houses']],
      ['liv', ['live', 'lives', 'lived', 'living']],
      ['mak', ['make', 'makes', 'making']],
      ['watch', ['watch', 'watches', 'watched', 'watching']],
      ['baby', ['baby', 'babies']],
      ['knif', ['knife', 'knives']],
      ['bleed', ['bleed', 'bleeds', 'bleeding']],
    ])('maps the forms of "%s" together', (expected, forms) => {
      for (const form of forms) expect(stem(form)).toBe(expected);
    });

    it('keeps apart words that only look alike', () => {
      expect(stem('skill')).not.toBe(stem('kill'));
      expect(stem('bomber')).not.toBe(stem('bomb'));
      expect(stem('thing')).toBe('thing');
      expect(stem('bring')).toBe('bring');
      expect(stem('glass')).toBe('glass');
      expect(stem('bus')).toBe('bus');
      expect(stem('this')).toBe('this');
    });
  });

  describe('phrases that must match', () => {
    it.each([
      ["I'm going to kill her when I get out", 'going to kill'],
      ['I AM GOING TO KILL HER', 'kill her'],
      ["I'm gonna kill you", 'kill you'],
      ['he got stabbed… no, I will get stabbed', 'get stabbed'],
      ['Stabbed him twice', 'stab him'],
      ['you’re dead', 'you are dead'],
      ["you're fucking dead", 'you are dead'],
      ["I'll break your fucking legs", 'break your legs'],
      ['break your legs', 'break your legs'],
      ['I know where she lives', 'know where she lives'],
      ['I know where you live, mate', 'know where you live'],
      ['nobody will find you', 'nobody will find'],
      ["no one'll find her", 'no one will find'],
      ["she's gonna pay for this... I'll make her pay", 'make her pay'],
      ['I will strangle her', 'strangle'],
      ['strangling', 'strangle'],
      ['burning the house down', 'burn the house'],
      ['watch your back', 'watch your back'],
      ['Killing them, killing them all', 'kill them'],
    ])('"%s" hits "%s"', (text, phrase) => {
      expect(phrasesIn(builtIn, text)).toContain(phrase);
    });

    it('matches a phrase across punctuation and line breaks', () => {
      expect(phrasesIn(builtIn, 'I swear — kill,\nher')).toContain('kill her');
    });
  });

  describe('phrases that must not match', () => {
    it.each([
      'she has great skills',
      'the skilled workers',
      'he was killed in the war', // no object after it
      'killing time before the visit',
      'my feet are killing me',
      'the bomber jacket',
      'it costs a bomb',
      'have a stab at it',
      'a lamb shank for dinner',
      'when I get out we are going to Spain',
      "I'll find you a solicitor",
      'I never meant to hurt you',
      'acid reflux again',
      "she's going to cut her hair",
      'scary stuff on the telly',
      'the pay phone was broken',
      'I know where the bus goes',
    ])('"%s" hits nothing', (text) => {
      expect(builtIn.spot(text)).toEqual([]);
    });

    it('never matches inside another word', () => {
      const s = spotter('kill', 'car', 'bomb', 'ann');
      expect(phrasesIn(s, 'skill scar bomber annual Joanna')).toEqual([]);
      expect(phrasesIn(s, 'kill car bomb ann')).toEqual(['kill', 'car', 'bomb', 'ann']);
    });

    it('does not let ordinary words stand in for the gap of a phrase', () => {
      expect(phrasesIn(builtIn, 'kill the lights, then her')).not.toContain('kill her');
      expect(phrasesIn(builtIn, 'break all your legs')).toEqual([]);
    });

    it('allows at most two filler words in a gap', () => {
      expect(phrasesIn(builtIn, 'break your really fucking legs')).toEqual(['break your legs']);
      expect(phrasesIn(builtIn, 'break your um really fucking legs')).toEqual([]);
    });
  });

  describe('hits', () => {
    it('give offsets into the original text', () => {
      const text = 'Listen. I’m GONNA kill her, Zoë.';
      const hits = builtIn.spot(text);
      expect(hits).toEqual([
        { start: 12, end: 22, phrase: 'going to kill' },
        { start: 18, end: 26, phrase: 'kill her' },
      ]);
      expect(spans(builtIn, text)).toEqual(['GONNA kill', 'kill her']);
    });

    it('cover a word with combining marks and invisible characters whole', () => {
      const s = spotter('zoe');
      const text = 'to Zoe\u0308 and kil\u00adl';
      expect(spans(s, text)).toEqual(['Zoe\u0308']);
      expect(spans(spotter('kill'), text)).toEqual(['kil\u00adl']);
    });

    it('report each occurrence, labelled with the lexicon phrase', () => {
      expect(spotter({ phrase: 'Parcel', label: 'parcel' }).spot('a parcel, two PARCELS')).toEqual([
        { start: 2, end: 8, phrase: 'parcel' },
        { start: 14, end: 21, phrase: 'parcel' },
      ]);
    });

    it('ignore empty and punctuation-only lexicon entries', () => {
      const s = spotter('', '  ', '!!!', 'parcel');
      expect(s.size).toBe(1);
    });
  });

  describe('names', () => {
    const victims = protectedNameEntries([
      { name: 'Jane Doe', isVictim: true, restriction: 'NONE' },
    ]);
    const names = new KeywordSpotter(victims);

    it('match the first name, the surname or the full name as whole words, in any case', () => {
      expect(phrasesIn(names, 'tell Jane I said hello')).toEqual(['Jane Doe (victim)']);
      expect(phrasesIn(names, 'tell jane i said hello')).toEqual(['Jane Doe (victim)']);
      expect(phrasesIn(names, 'the Does next door')).toEqual([]);
      expect(phrasesIn(names, 'Mrs Doe called')).toEqual(['Jane Doe (victim)']);
    });

    it('report the full name once, not its parts again', () => {
      expect(names.spot('Jane Doe is here')).toEqual([
        { start: 0, end: 8, phrase: 'Jane Doe (victim)' },
      ]);
    });

    it("match a possessive (Ann's) but not a longer word (Annual, Annie)", () => {
      const ann = new KeywordSpotter(
        protectedNameEntries([{ name: 'Ann Smith', isVictim: true, restriction: 'NONE' }]),
      );
      expect(phrasesIn(ann, "I saw Ann's mum")).toEqual(['Ann Smith (victim)']);
      expect(spans(ann, "I saw Ann's mum")).toEqual(["Ann's"]);
      expect(phrasesIn(ann, 'the annual review with Annie')).toEqual([]);
    });

    it('are not stemmed', () => {
      const s = new KeywordSpotter(
        protectedNameEntries([{ name: 'James Manning', isVictim: true, restriction: 'NONE' }]),
      );
      expect(phrasesIn(s, 'the games, a man')).toEqual([]);
      expect(phrasesIn(s, 'James rang')).toEqual(['James Manning (victim)']);
    });

    it('that are also ordinary words count alone only as a proper noun mid-sentence', () => {
      const will = new KeywordSpotter(
        protectedNameEntries([{ name: 'Will Wood', isVictim: false, restriction: 'NO_CONTACT' }]),
      );
      const label = 'Will Wood (no-contact restriction)';
      expect(phrasesIn(will, 'tell Will I said hello')).toEqual([label]);
      expect(phrasesIn(will, 'I will ring you from the wood yard')).toEqual([]);
      expect(phrasesIn(will, 'Will you ring me? Will you?')).toEqual([]);
      expect(phrasesIn(will, 'will wood be there')).toEqual([label]); // the full name always counts
      // Without any capitals the transcript says nothing about proper nouns.
      expect(phrasesIn(will, 'tell will i said hello')).toEqual([]);
    });

    it('skip titles and particles', () => {
      const entries = protectedNameEntries([
        { name: 'Mrs Maria de la Cruz', isVictim: true, restriction: 'NONE' },
      ]);
      const parts = entries.filter((e) => !e.phrase.includes(' ')).map((e) => e.phrase);
      expect(parts).toEqual(['maria', 'cruz']);
    });

    it('come only from victims and no-contact or harassment-order contacts', () => {
      expect(isProtectedContact({ isVictim: true, restriction: 'NONE' })).toBe(true);
      expect(isProtectedContact({ isVictim: false, restriction: 'NO_CONTACT' })).toBe(true);
      expect(isProtectedContact({ isVictim: false, restriction: 'HARASSMENT_ORDER' })).toBe(true);
      expect(isProtectedContact({ isVictim: false, restriction: 'CHILD_CONTACT_RESTRICTED' })).toBe(
        false,
      );
      expect(isProtectedContact({ isVictim: false, restriction: 'NONE' })).toBe(false);
      expect(
        protectedNameEntries([
          { name: 'Sam Friend', isVictim: false, restriction: 'NONE' },
          { name: '', isVictim: true, restriction: 'NONE' },
          { isVictim: true, restriction: 'NONE' },
        ]),
      ).toEqual([]);
    });

    it('are labelled with why the person is protected', () => {
      const labels = (restriction: string, isVictim = false) =>
        new Set(
          protectedNameEntries([{ name: 'Kim Lee', isVictim, restriction }]).map((e) => e.label),
        );
      expect(labels('NONE', true)).toEqual(new Set(['Kim Lee (victim)']));
      expect(labels('NO_CONTACT')).toEqual(new Set(['Kim Lee (no-contact restriction)']));
      expect(labels('HARASSMENT_ORDER')).toEqual(new Set(['Kim Lee (harassment order)']));
    });
  });

  describe('transcripts', () => {
    it('read segments as one text and split a hit over the segments it spans', () => {
      const spotted = spotTranscript(
        [
          { at: 0, text: 'Listen. I am going to' },
          { at: 4.5, text: 'kill her. Bye.' },
        ],
        builtIn,
      );
      expect(spotted.phrases).toEqual(['going to kill', 'kill her']);
      expect(spotted.segments).toEqual([
        [{ start: 13, end: 21, phrase: 'going to kill' }],
        [
          { start: 0, end: 8, phrase: 'kill her' },
          { start: 0, end: 4, phrase: 'going to kill' },
        ],
      ]);
    });

    it('list each phrase once, in order of first appearance', () => {
      const phrases = transcriptHitPhrases(
        { segments: [{ text: 'a parcel. kill her. parcel again. Jane!' }] },
        ['parcel'],
        [{ name: 'Jane Doe', isVictim: true, restriction: 'NONE' }],
      );
      expect(phrases).toEqual(['parcel', 'kill her', 'Jane Doe (victim)']);
    });

    it('give no phrases for an empty or missing transcript', () => {
      expect(transcriptHitPhrases(null, ['parcel'], [])).toEqual([]);
      expect(transcriptHitPhrases({ segments: [] }, ['parcel'], [])).toEqual([]);
      expect(transcriptHitPhrases({ segments: [{ text: '' }] }, ['parcel'], [])).toEqual([]);
    });

    it('give at most ten phrases to the priority policy', () => {
      const local = Array.from({ length: 15 }, (_, i) => `codeword${i}`);
      const phrases = transcriptHitPhrases({ segments: [{ text: local.join(' ') }] }, local, []);
      expect(phrases).toHaveLength(10);
    });

    it('handle a long transcript quickly', () => {
      const text = 'we talked about the kids and the visit and money for the canteen. '.repeat(
        3000,
      );
      const started = Date.now();
      expect(transcriptHitPhrases({ segments: [{ text }] }, ['parcel'], [])).toEqual([]);
      expect(Date.now() - started).toBeLessThan(2000);
    });
  });

  describe('the built-in lexicon', () => {
    it('compiles every phrase', () => {
      expect(builtIn.size).toBe(new Set(THREAT_LEXICON).size);
    });

    it('leaves out phrases common in innocent calls', () => {
      for (const phrase of ['when i get out', 'find you', 'kill', 'stab', 'bomb', 'acid']) {
        expect(THREAT_LEXICON).not.toContain(phrase);
      }
    });

    it('each phrase finds itself', () => {
      for (const phrase of THREAT_LEXICON) expect(phrasesIn(builtIn, phrase)).toContain(phrase);
    });
  });
});
