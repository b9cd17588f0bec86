import { FieldError } from '../../common/errors';
import { checkLogRules } from '../../logs/log-rules';
import { SubmitLogDto } from '../../logs/logs.dto';
import { label } from '../labels';
import { checkDto, compact, FormErrors, FormWording, list, text, toFormErrors } from '../forms';

/** The most threat fieldsets a form may show (the DTO allows 20 threats). */
export const MAX_THREATS = 20;

/** A known contact's radio value meaning "someone not on the contact list". */
export const NOT_ON_LIST = 'not-on-list';

export interface ThreatValues {
  target: string;
  type: string;
  imminence: string;
  quote: string;
}

/** The log form as typed, to validate and to redisplay. */
export interface LogFormValues {
  contactId: string;
  relationship: string;
  confidence: string;
  name: string;
  themes: string[];
  threats: ThreatValues[];
  concernLevel: string;
  summary: string;
  recordingQuality: string;
}

export function emptyLogForm(): LogFormValues {
  return {
    contactId: '',
    relationship: '',
    confidence: '',
    name: '',
    themes: [],
    threats: [emptyThreat()],
    concernLevel: '',
    summary: '',
    recordingQuality: '',
  };
}

const emptyThreat = (): ThreatValues => ({ target: '', type: '', imminence: '', quote: '' });

/**
 * Reads the urlencoded form (flat names such as `threats-0-target`, the same as the field ids the
 * error summary links to). `addThreat` gives one more, empty, threat fieldset.
 */
export function parseLogForm(body: Record<string, unknown>, addThreat = false): LogFormValues {
  const shown = Math.min(
    Math.max(Number.parseInt(text(body.threatCount), 10) || 1, 1),
    MAX_THREATS,
  );
  const threats = Array.from({ length: shown }, (_, i) => ({
    target: text(body[`threats-${i}-target`]),
    type: text(body[`threats-${i}-type`]),
    imminence: text(body[`threats-${i}-imminence`]),
    quote: text(body[`threats-${i}-quote`]),
  }));
  if (addThreat && threats.length < MAX_THREATS) threats.push(emptyThreat());
  return {
    contactId: text(body['contact-contactId']),
    relationship: text(body['contact-relationship']),
    confidence: text(body['contact-confidence']),
    name: text(body['contact-name']),
    themes: list(body.themes),
    threats,
    concernLevel: text(body.concernLevel),
    summary: text(body.summary),
    recordingQuality: text(body.recordingQuality),
  };
}

const blank = (t: ThreatValues) => !t.target.trim() && !t.type && !t.imminence && !t.quote.trim();

/** The request body the API would take for this form (an untouched threat fieldset is no threat). */
export function toSubmitBody(values: LogFormValues, token: string): Record<string, unknown> {
  const optional = (v: string) => (v.trim() === '' ? undefined : v);
  return compact({
    token,
    contact: compact({
      contactId:
        values.contactId && values.contactId !== NOT_ON_LIST ? values.contactId : undefined,
      relationship: optional(values.relationship),
      confidence: optional(values.confidence),
      name: optional(values.name),
    }),
    themes: values.themes.map((code) => ({ code })),
    threats: values.threats
      .filter((t) => !blank(t))
      .map((t) =>
        compact({
          target: t.target,
          type: optional(t.type),
          imminence: optional(t.imminence),
          quote: optional(t.quote),
        }),
      ),
    concernLevel: optional(values.concernLevel),
    summary: values.summary,
    recordingQuality: optional(values.recordingQuality),
  });
}

/**
 * The DTO the API's validation pipe would build, and every error the API would give for it: the
 * DTO's own checks (class-validator) and the log rules, the same code the service runs.
 */
export async function validateLogForm(
  values: LogFormValues,
  token: string,
): Promise<{ dto: SubmitLogDto; errors: FieldError[] }> {
  const { dto, errors } = await checkDto(SubmitLogDto, toSubmitBody(values, token));
  errors.push(
    // The form always sends contact, themes and threats, so the rules can read them as the API's do.
    ...checkLogRules(dto),
  );
  return { dto, errors };
}

/** The form's fields in page order: the error summary lists errors in the order of the page. */
const FIELD_ORDER = [
  'contact-contactId',
  'contact-confidence',
  'contact-relationship',
  'contact-name',
  'themes',
  'concernLevel',
  'threats',
  'summary',
  'recordingQuality',
];

/** The id of the input a field path's error links to: `threats[0].target` → `threats-0-target`. */
export function fieldId(field: string): string {
  if (field === 'contact') return 'contact-contactId';
  if (field === 'threats') return 'threats-0-target';
  if (field.startsWith('themes')) return 'themes';
  const threat = /^threats\[(\d+)\]\.(\w+)$/.exec(field);
  if (threat) return `threats-${threat[1]}-${threat[2]}`;
  if (field.startsWith('contact.')) return `contact-${field.slice('contact.'.length)}`;
  return field;
}

const MESSAGES: Record<string, string> = {
  'contact-confidence': 'Select how sure you are who was called',
  'contact-relationship': 'Select the relationship of the person called',
  concernLevel: 'Select the level of concern',
  recordingQuality: 'Select the quality of the recording',
  themes: 'Select the themes heard',
};

/** The log rules' messages name codes (API.md); the form names the choices as the page shows them. */
const RULE_WORDS: [RegExp, (m: RegExpExecArray) => string][] = [
  [
    /^choose at least one theme/,
    () =>
      `Select the themes heard, or “${label('theme', 'NO_CONCERNS')}” if nothing of concern was heard`,
  ],
  [
    /^NO_CONCERNS cannot be combined/,
    () => `“${label('theme', 'NO_CONCERNS')}” cannot be selected with other themes`,
  ],
  [
    /^a log with NO_CONCERNS cannot record threats/,
    () =>
      `A log with “${label('theme', 'NO_CONCERNS')}” cannot record threats: remove the threats or select the themes heard`,
  ],
  [
    /^a (\w+) concern needs at least one theme/,
    (m) => {
      const level = label('concernLevel', m[1]).toLowerCase();
      return `${/^[aeiou]/.test(level) ? 'An' : 'A'} ${level} concern needs at least one theme saying what the concern is`;
    },
  ],
  [
    /^a threat to kill or a threat marked imminent must be logged at HIGH or IMMEDIATE, not (\w+)/,
    (m) =>
      `A threat to kill, or a threat that could be carried out now, must be logged as “${label('concernLevel', 'HIGH')}” or “${label('concernLevel', 'IMMEDIATE')}”, not “${label('concernLevel', m[1])}”`,
  ],
  [
    /^a relationship of UNKNOWN is only allowed/,
    () =>
      `If the relationship is “${label('relationship', 'UNKNOWN')}”, select “${label('confidence', 'UNIDENTIFIED')}” for how sure you are`,
  ],
  [
    /^a known contact is not unidentified/,
    () =>
      `A contact on the list is identified: select “${label('confidence', 'CONFIRMED')}” or “${label('confidence', 'PROBABLE')}”`,
  ],
  [/^\w+ is listed twice/, () => 'Select each theme once'],
];

/** A message in GOV.UK style: the rule's own words, or a plain one for a missing choice. */
function message(id: string, raw: string): string {
  for (const [pattern, words] of RULE_WORDS) {
    const m = pattern.exec(raw);
    if (m) return words(m);
  }
  const typeFailure =
    /must be one of the following values|should not be empty|must be a string|must say who is threatened/;
  if (typeFailure.test(raw)) {
    if (MESSAGES[id]) return MESSAGES[id];
    if (id.endsWith('-type')) return 'Select the kind of threat';
    if (id.endsWith('-target')) return 'Say who is threatened';
    if (id.endsWith('-imminence')) return 'Select when the threat would be carried out';
  }
  const sentence = raw.replace(/^(target|summary) /, '');
  if (id === 'summary' && sentence.startsWith('must ')) return `The summary ${sentence}`;
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}

/** Where an input sits on the page: by FIELD_ORDER, then by id (threats by number). */
function compare(a: string, b: string): number {
  const rank = (id: string) => {
    const i = FIELD_ORDER.findIndex((f) => id === f || id.startsWith(`${f}-`));
    return i === -1 ? FIELD_ORDER.length : i;
  };
  return rank(a) - rank(b) || a.localeCompare(b);
}

const LOG_FORM_WORDING: FormWording = { idOf: fieldId, message, compare };

/** Field errors (API paths) of Listen and log's forms as the GOV.UK error summary and messages. */
export const logFormErrors = (errors: FieldError[]): FormErrors =>
  toFormErrors(errors, LOG_FORM_WORDING);
