/**
 * The escalation page's close forms: with an outcome (and a note for Other), or, on a MAPPA
 * escalation, with what the level review decided (the new level when it changed, and why). Each
 * turns what was typed into the API's CloseEscalationDto and its errors into GOV.UK words.
 */
import { ESCALATION_OUTCOMES, MAPPA_LEVELS, MAPPA_OUTCOMES } from '../../common/vocabulary';
import { type FormWording, text } from '../forms';
import { label } from '../labels';

export interface CloseFormValues {
  outcome: string;
  note: string;
  mappaLevel: string;
  rationale: string;
}

export const EMPTY_CLOSE_FORM: CloseFormValues = {
  outcome: '',
  note: '',
  mappaLevel: '',
  rationale: '',
};

/** The most a closing note or rationale may hold (CloseEscalationDto's MaxLength). */
const TEXT_MAX = 5000;

export function closeFormValues(body: Record<string, unknown>): CloseFormValues {
  return {
    outcome: text(body.outcome),
    note: text(body.note),
    mappaLevel: text(body.mappaLevel),
    rationale: text(body.rationale),
  };
}

/** The body the API would be sent: a MAPPA escalation's form sends its level and rationale. */
export function closeFormBody(values: CloseFormValues, mappa: boolean): Record<string, unknown> {
  const given = (v: string) => (v.trim() === '' ? undefined : v);
  if (!mappa) return { outcome: values.outcome || undefined, note: given(values.note) };
  return {
    outcome: values.outcome || undefined,
    // The new level is asked for only under "MAPPA level changed"; any other choice ignores it.
    mappaLevel:
      values.outcome === 'LEVEL_CHANGED' && values.mappaLevel !== ''
        ? Number(values.mappaLevel)
        : undefined,
    rationale: given(values.rationale),
  };
}

const MESSAGES: Record<string, string> = {
  outcome: 'Select what was done',
  note: 'Say what was done: a note is needed when the outcome is Other',
};

const MAPPA_MESSAGES: Record<string, string> = {
  outcome: 'Select what the level review decided',
  mappaLevel: 'Select the new MAPPA level',
  rationale: 'Say why the review decided this',
};

/**
 * The close form's errors, in page order. A text's message says what is wrong with it as typed: an
 * empty one breaks every rule at once (class-validator's MaxLength also refuses a missing value), so
 * it is told to say what was done, never that it is too long. A level the prisoner already has keeps
 * the service's words (they say which outcome to choose instead).
 */
export function closeWording(values: CloseFormValues, mappa: boolean): FormWording {
  const order = mappa ? ['outcome', 'mappaLevel', 'rationale'] : ['outcome', 'note'];
  const messages = mappa ? MAPPA_MESSAGES : MESSAGES;
  const typed = (id: string) =>
    id === 'note' ? values.note : id === 'rationale' ? values.rationale : '';
  return {
    idOf: (field) => (order.includes(field) ? field : 'outcome'),
    message: (id, raw) => {
      if (typed(id).length > TEXT_MAX) return `The ${id} must be 5,000 characters or fewer`;
      if (id === 'mappaLevel' && /already the prisoner/.test(raw))
        return `That is already the prisoner’s MAPPA level: select “${label('mappaOutcome', 'LEVEL_CONFIRMED')}” instead`;
      return messages[id];
    },
    compare: (a, b) => order.indexOf(a) - order.indexOf(b),
  };
}

/** The radios of each close form, checked as typed. */
export function closeFormItems(values: CloseFormValues, mappa: boolean) {
  const radio = (vocabulary: 'escalationOutcome' | 'mappaOutcome', code: string) => ({
    value: code,
    text: label(vocabulary, code),
    checked: code === values.outcome,
  });
  return {
    outcomeItems: mappa
      ? MAPPA_OUTCOMES.map((code) => radio('mappaOutcome', code))
      : ESCALATION_OUTCOMES.map((code) => radio('escalationOutcome', code)),
    levelItems: MAPPA_LEVELS.map((level) => ({
      value: String(level),
      text: `Level ${level}`,
      checked: String(level) === values.mappaLevel,
    })),
  };
}

/** A closed escalation's outcome in words: a MAPPA review's with its new level. */
export function outcomeInWords(e: { outcome: string | null; mappaLevel: number | null }): string {
  if (!e.outcome) return '';
  if ((MAPPA_OUTCOMES as readonly string[]).includes(e.outcome)) {
    const words = label('mappaOutcome', e.outcome);
    return e.mappaLevel !== null ? `${words} to level ${e.mappaLevel}` : words;
  }
  return label('escalationOutcome', e.outcome);
}
