import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { FieldError } from '../common/errors';
import { flattenValidationErrors } from '../common/validation';
import { checkLogRules } from '../logs/log-rules';
import { SubmitLogDto } from '../logs/logs.dto';
import { text } from './paging';

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

const list = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : v ? [text(v)] : [];

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

/** The object without its undefined keys (an absent field, as in a JSON body, keeps DTO defaults). */
function compact<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
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
  const dto = plainToInstance(SubmitLogDto, toSubmitBody(values, token));
  const errors = flattenValidationErrors(
    await validate(dto, { whitelist: true, forbidNonWhitelisted: true }),
  );
  errors.push(
    // The form always sends contact, themes and threats, so the rules can read them as the API's do.
    ...checkLogRules(dto),
  );
  return { dto, errors };
}

/** The form's fields in page order: the error summary lists errors in the order of the page. */
const FIELD_ORDER = [
  'contact-contactId',
  'contact-relationship',
  'contact-confidence',
  'contact-name',
  'themes',
  'threats',
  'concernLevel',
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

/** A message in GOV.UK style: the rule's own words, or a plain one for a missing choice. */
function message(id: string, raw: string): string {
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

export interface FormErrors {
  /** For govukErrorSummary: one entry per field, in page order. */
  summary: { text: string; href: string }[];
  /** For each field's `errorMessage`, by field id. */
  byId: Record<string, { text: string }>;
}

/** Field errors (API paths) as the GOV.UK error summary and per-field messages. */
export function toFormErrors(errors: FieldError[]): FormErrors {
  const byId: Record<string, { text: string }> = {};
  for (const e of errors) {
    const id = fieldId(e.field);
    byId[id] ??= { text: message(id, e.message) };
  }
  const rank = (id: string) => {
    const i = FIELD_ORDER.findIndex((f) => id === f || id.startsWith(`${f}-`));
    return i === -1 ? FIELD_ORDER.length : i;
  };
  const ids = Object.keys(byId).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  return { summary: ids.map((id) => ({ text: byId[id].text, href: `#${id}` })), byId };
}
