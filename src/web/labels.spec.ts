import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AUTHORISATION_STATUSES,
  AUTHORISATION_TYPES,
  CALL_STATUSES,
  CHANNELS,
  CONCERN_LEVELS,
  CONFIDENCES,
  ESCALATION_NOTICE_MODES,
  ESCALATION_OUTCOMES,
  ESCALATION_STATUSES,
  ESCALATION_TARGETS,
  GROUNDS,
  IMMINENCES,
  MAPPA_OUTCOMES,
  PRIVILEGED_KINDS,
  RECORDING_QUALITIES,
  RELATIONSHIPS,
  RELEASE_REASON_CODES,
  RESTRICTIONS,
  ROLES,
  ROSH_LEVELS,
  SHARE_CHANNELS,
  THEMES,
  THREAT_TYPES,
  TIERS,
  TRAININGS,
} from '../common/vocabulary';
import { ALERT_CODES } from '../prisoners/alert-codes';
import { RISK_FLAG_TYPES } from '../risk-flags/risk-flag-rules';
import { POLICY_KINDS, WEEKDAYS } from '../simulation/model';
import { FLAG_DECISIONS } from '../risk-flags/flag-decisions';
import { DECISION_STATUSES, MONITORING_DECISIONS } from '../decisions/decisions.dto';
import { PROTECTION_MARKERS } from '../prisoners/protection-markers';
import {
  AUTHORISATION_TYPE_HINTS,
  ESCALATION_NOTICE_HINTS,
  label,
  AUDIT_ACTIONS,
  LABELS,
  Vocabulary,
} from './labels';

// Every code list the vocabulary (and the risk flags) define, with the labels that word it. A new
// code without a label fails here rather than reaching a page as "Mappa l1 review overdue".
const VOCABULARIES: [Vocabulary, readonly string[]][] = [
  ['role', ROLES],
  ['training', TRAININGS],
  ['relationship', RELATIONSHIPS],
  ['restriction', RESTRICTIONS],
  ['privilegedKind', PRIVILEGED_KINDS],
  ['rosh', ROSH_LEVELS],
  ['channel', CHANNELS],
  ['authorisationType', AUTHORISATION_TYPES],
  ['ground', GROUNDS],
  ['authorisationStatus', AUTHORISATION_STATUSES],
  ['callStatus', CALL_STATUSES],
  ['tier', TIERS],
  ['theme', THEMES],
  ['concernLevel', CONCERN_LEVELS],
  ['concern', CONCERN_LEVELS],
  ['confidence', CONFIDENCES],
  ['threatType', THREAT_TYPES],
  ['imminence', IMMINENCES],
  ['recordingQuality', RECORDING_QUALITIES],
  ['escalationTarget', ESCALATION_TARGETS],
  ['shareChannel', SHARE_CHANNELS],
  ['escalationNotice', ESCALATION_NOTICE_MODES],
  ['escalationStatus', ESCALATION_STATUSES],
  ['escalationOutcome', ESCALATION_OUTCOMES],
  ['mappaOutcome', MAPPA_OUTCOMES],
  ['releaseReason', RELEASE_REASON_CODES],
  ['riskFlag', RISK_FLAG_TYPES],
  [
    'riskMarker',
    [...new Set(Object.values(ALERT_CODES).flatMap((meaning) => meaning.flags ?? []))],
  ],
  ['contactMark', ['VICTIM', 'CHILD', ...RESTRICTIONS]],
  ['reviewDecision', ['CONTINUE', 'END']],
  ['policy', POLICY_KINDS],
  ['weekday', WEEKDAYS],
  ['protectionMarker', PROTECTION_MARKERS],
  ['monitoringDecision', MONITORING_DECISIONS],
  ['decisionStatus', DECISION_STATUSES],
  ['flagDecision', FLAG_DECISIONS],
];

describe('labels', () => {
  it.each(VOCABULARIES)('words every %s code', (vocabulary, codes) => {
    const words = LABELS[vocabulary] as Record<string, string>;
    const missing = codes.filter((code) => !Object.hasOwn(words, code) || !words[code].trim());
    expect(missing).toEqual([]);
  });

  it.each(VOCABULARIES)('has no %s label for a code that does not exist', (vocabulary, codes) => {
    expect(Object.keys(LABELS[vocabulary]).filter((code) => !codes.includes(code))).toEqual([]);
  });

  it('checks every vocabulary the labels module has', () => {
    // Audit actions are no code list of their own: they are checked below against the source.
    expect([...VOCABULARIES.map(([v]) => v), 'auditAction'].sort()).toEqual(
      Object.keys(LABELS).sort(),
    );
  });

  describe('audit actions', () => {
    const sources = (function collect(dir: string): string[] {
      return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const file = join(dir, entry.name);
        if (entry.isDirectory()) return collect(file);
        if (!entry.name.endsWith('.ts') || entry.name.endsWith('.spec.ts')) return [];
        return [readFileSync(file, 'utf8')];
      });
    })(join(__dirname, '..'));
    const found = (pattern: RegExp) =>
      sources.flatMap((source) => [...source.matchAll(pattern)].map((m) => m[1] ?? m[2]));
    // The actions the application writes as `action: 'X'` or in audit SQL: most of them.
    const actions = found(/action: '([A-Z][A-Z_]+)'|sqlConstant\('([A-Z][A-Z_]+)'\)/g);
    // Every constant-case string in the source: what an action could be, however it is written.
    const constants = new Set(found(/'([A-Z][A-Z_]+)'/g));
    const entityTypes = new Set(['call', 'log', 'prisoner', 'escalation']);

    it('finds the actions the application audits', () => {
      expect(actions).toEqual(expect.arrayContaining(['LOG_CREATED', 'SIGN_IN', 'CALL_CLAIMED']));
    });

    it('words every one of them, acronyms people use aside', () => {
      for (const action of new Set(actions.filter((a) => !entityTypes.has(a)))) {
        const words = label('auditAction', action).replace(/\b(MAPPA|IRMM|COM|POM)\b/g, '');
        // No code left (capitals, underscores), and no acronym written as a word ("Irmm").
        const readable = !/[A-Z]{2,}|_/.test(words) && !/\b(irmm|mappa|com|pom)\b/i.test(words);
        expect({ action, readable }).toEqual({ action, readable: true });
      }
    });

    it('words only actions that exist', () => {
      expect(Object.keys(AUDIT_ACTIONS).filter((a) => !constants.has(a))).toEqual([]);
    });

    it('says what happened in the past tense where the code does not', () => {
      expect(label('auditAction', 'SIGN_IN')).toBe('Signed in');
      expect(label('auditAction', 'LOG_CREATED')).toBe('Log created');
      expect(label('auditAction', 'IRMM_MEETING_RECORDED')).toBe('IRMM meeting recorded');
    });
  });

  it('writes labels as words, not codes', () => {
    for (const [vocabulary, codes] of VOCABULARIES) {
      for (const code of codes) {
        const words = label(vocabulary, code);
        // Only acronyms people use are capitals: MAPPA, POM, IRMM, COM, P1.
        expect(words.replace(/\b(MAPPA|POM|IRMM|COM|P\d)\b/g, '')).not.toMatch(/[A-Z]{2,}|_/);
      }
    }
  });

  it('words the codes the issue found on the pages', () => {
    expect(label('riskFlag', 'MAPPA_L1_REVIEW_OVERDUE')).toBe('MAPPA level 1 review overdue');
    expect(label('privilegedKind', 'MP')).toBe('Member of Parliament');
    expect(label('privilegedKind', 'CCRC')).toBe('Criminal Cases Review Commission');
    expect(label('concern', 'NONE')).toBe('No concern');
    expect(label('concern', 'IMMEDIATE')).toBe('Immediate concern');
  });

  it('falls back to the code in words for a code it does not know, and to nothing for none', () => {
    expect(label('theme', 'SOMETHING_NEW')).toBe('Something new');
    expect(label('theme', undefined)).toBe('');
    expect(label('theme', 'toString')).toBe('Tostring');
  });

  it('has a hint for every way of hearing about escalations', () => {
    expect(Object.keys(ESCALATION_NOTICE_HINTS).sort()).toEqual(
      [...ESCALATION_NOTICE_MODES].sort(),
    );
  });

  it('has a hint for every type of monitoring', () => {
    expect(Object.keys(AUTHORISATION_TYPE_HINTS).sort()).toEqual([...AUTHORISATION_TYPES].sort());
  });
});
