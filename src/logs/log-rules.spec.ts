import { checkLogRules, LogDraft } from './log-rules';

const valid = (): LogDraft => ({
  contact: { contactId: null, relationship: 'PARTNER', confidence: 'CONFIRMED' },
  themes: [{ code: 'CONTROLLING_BEHAVIOUR' }],
  threats: [],
  concernLevel: 'MEDIUM',
  summary: 'Spoke to his partner Jane about money; told her who she may see while he is inside.',
});
const fields = (draft: LogDraft) => checkLogRules(draft).map((e) => e.field);

describe('log rules', () => {
  it('accepts a complete log', () => {
    expect(checkLogRules(valid())).toEqual([]);
  });

  describe('who was called', () => {
    it('needs a known contact or a relationship', () => {
      const d = valid();
      d.contact = { contactId: null, confidence: 'PROBABLE' };
      expect(fields(d)).toEqual(['contact.relationship']);
    });

    it('accepts a known contact without a relationship', () => {
      const d = valid();
      d.contact = { contactId: '0b7a3c2e-8f0e-4a51-9d43-3f1f3c7d8e21', confidence: 'CONFIRMED' };
      expect(checkLogRules(d)).toEqual([]);
    });

    it('allows UNKNOWN only with confidence UNIDENTIFIED', () => {
      const d = valid();
      d.contact = { relationship: 'UNKNOWN', confidence: 'PROBABLE' };
      expect(fields(d)).toEqual(['contact.confidence']);
      d.contact = { relationship: 'UNKNOWN', confidence: 'UNIDENTIFIED' };
      expect(checkLogRules(d)).toEqual([]);
    });

    it('does not call a known contact unidentified', () => {
      const d = valid();
      d.contact = { contactId: '0b7a3c2e-8f0e-4a51-9d43-3f1f3c7d8e21', confidence: 'UNIDENTIFIED' };
      expect(fields(d)).toEqual(['contact.confidence']);
    });
  });

  describe('themes', () => {
    it('needs at least one', () => {
      const d = valid();
      d.themes = [];
      expect(fields(d)).toContain('themes');
    });

    it('refuses NO_CONCERNS with another theme', () => {
      const d = valid();
      d.concernLevel = 'NONE';
      d.themes = [{ code: 'NO_CONCERNS' }, { code: 'RELEASE_PLANNING' }];
      expect(fields(d)).toEqual(['themes']);
    });

    it('refuses NO_CONCERNS with a threat', () => {
      const d = valid();
      d.concernLevel = 'NONE';
      d.themes = [{ code: 'NO_CONCERNS' }];
      d.threats = [{ target: 'partner', type: 'PHYSICAL' }];
      expect(fields(d)).toEqual(['threats']);
    });

    it.each(['HIGH', 'IMMEDIATE'] as const)(
      '%s concern needs a theme other than NO_CONCERNS',
      (concernLevel) => {
        const d = valid();
        d.concernLevel = concernLevel;
        d.themes = [{ code: 'NO_CONCERNS' }];
        expect(fields(d)).toEqual(['themes']);
        d.themes = [{ code: 'THREATS_TO_HARM' }];
        expect(checkLogRules(d)).toEqual([]);
      },
    );

    it('refuses the same theme twice', () => {
      const d = valid();
      d.themes = [{ code: 'SELF_HARM' }, { code: 'SELF_HARM' }];
      expect(fields(d)).toEqual(['themes[1].code']);
    });
  });

  describe('threats', () => {
    it('each needs a target and a type', () => {
      const d = valid();
      d.concernLevel = 'HIGH';
      d.threats = [
        { target: 'partner', type: 'KILL' },
        { target: '  ', type: 'PHYSICAL' },
        { target: 'her brother', type: '' },
      ];
      expect(fields(d)).toEqual(['threats[1].target', 'threats[2].type']);
    });

    it.each([
      ['KILL', 'UNSPECIFIED'],
      ['PHYSICAL', 'IMMEDIATE'],
    ])('a %s threat (%s) below HIGH is refused, naming concernLevel', (type, imminence) => {
      const d = valid();
      d.threats = [{ target: 'partner', type, imminence }];
      expect(checkLogRules(d)).toEqual([
        {
          field: 'concernLevel',
          message: `a threat to kill or a threat marked imminent must be logged at HIGH or IMMEDIATE, not MEDIUM`,
        },
      ]);
      d.concernLevel = 'HIGH';
      expect(checkLogRules(d)).toEqual([]);
    });

    it('an ordinary threat at MEDIUM stands (near miss)', () => {
      const d = valid();
      d.threats = [{ target: 'partner', type: 'PHYSICAL', imminence: 'ON_RELEASE' }];
      expect(checkLogRules(d)).toEqual([]);
    });
  });

  describe('summary', () => {
    it('is at least 40 characters, not counting surrounding spaces', () => {
      const d = valid();
      d.summary = '   conversation with a lady              ';
      expect(fields(d)).toEqual(['summary']);
      d.summary = 'x'.repeat(40);
      expect(checkLogRules(d)).toEqual([]);
    });
  });
});
