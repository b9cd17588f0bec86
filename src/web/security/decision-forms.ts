import { type DateValues, emptyDate, fieldWording } from '../forms';

/** The decision forms on the authorisation page (approve, review, end): their inputs and words. */
const DECISION_IDS: Record<string, string> = {
  note: 'approve-note',
  decision: 'decision',
  rationale: 'rationale',
  nextReviewDueAt: 'nextReviewDueAt-day',
  reason: 'end-reason',
  authorisation: 'decisions',
};

const DECISION_WORDS: Record<string, (raw: string) => string | undefined> = {
  note: () => 'The note must be 2,000 characters or fewer',
  decision: () => 'Select whether monitoring should continue or end',
  rationale: (raw) =>
    /longer than/.test(raw)
      ? 'The rationale must be 5,000 characters or fewer'
      : 'Give the rationale for the decision',
  nextReviewDueAt: (raw) =>
    raw === 'must be in the future' ? 'The next review date must be in the future' : undefined,
  reason: (raw) =>
    /longer than/.test(raw)
      ? 'The reason must be 2,000 characters or fewer'
      : 'Say why monitoring is ending',
};

export interface DecisionValues {
  note: string;
  decision: string;
  rationale: string;
  nextReviewDueAt: DateValues;
  reason: string;
}

export const emptyDecisionForms = (): DecisionValues => ({
  note: '',
  decision: '',
  rationale: '',
  nextReviewDueAt: emptyDate(),
  reason: '',
});

export const DECISION_WORDING = fieldWording(DECISION_IDS, DECISION_WORDS);
