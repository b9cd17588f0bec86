/**
 * The "Mark as sent" form of the pre-release digest: who it went to, the POM's analysis, and when it
 * was sent. Turns what was typed into the body of `POST /api/prisoners/{n}/pre-release-digest/sent`,
 * with every error named by the input it belongs to (GOV.UK wording).
 */
import type { FieldError } from '../../common/errors';
import { checkInputRules } from '../../common/input-rules';
import type { ComRow } from '../../prisoners/prisoners.service';
import { DigestSentDto } from '../../reports/digest.dto';
import { ANALYSIS_MAX_LENGTH } from '../../reports/pre-release-digest';
import {
  checkDto,
  compact,
  type DateValues,
  fieldWording,
  type FormErrors,
  parseDateAndTime,
  readDate,
  text,
  toFormErrors,
} from '../forms';
import { emptyShareForm } from './com-forms';

export interface DigestFormValues {
  to: string;
  analysis: string;
  sentOn: DateValues;
  time: string;
}

/** The form as it opens: to the COM on record, sent today, now (London time). */
export function emptyDigestForm(now: Date, com: ComRow | null): DigestFormValues {
  const today = emptyShareForm(now);
  return {
    to: com ? `${com.name} <${com.email}>` : '',
    analysis: '',
    sentOn: today.sharedOn,
    time: today.time,
  };
}

export function readDigestForm(body: Record<string, unknown>): DigestFormValues {
  return {
    to: text(body.to).trim(),
    analysis: text(body.analysis),
    sentOn: readDate(body, 'sentOn'),
    time: text(body.time).trim(),
  };
}

export const DIGEST_WORDING = fieldWording(
  { analysis: 'analysis', to: 'to', sentAt: 'sentOn-day' },
  {
    to: (raw) =>
      /longer/.test(raw)
        ? 'Who it was sent to must be 320 characters or fewer'
        : 'Enter who the digest was sent to',
    analysis: (raw) =>
      /NUL|Unicode/.test(raw)
        ? raw
        : /longer/.test(raw)
          ? `Your analysis must be ${ANALYSIS_MAX_LENGTH.toLocaleString('en-GB')} characters or fewer`
          : 'Enter your analysis of what monitoring heard',
    sentAt: (raw) =>
      /future/.test(raw) ? 'The date and time sent must be now or in the past' : raw,
  },
);

/** The body of the API's "sent" from the form, or the errors to show. */
export async function checkDigestForm(
  values: DigestFormValues,
): Promise<{ dto: DigestSentDto; errors: FormErrors | null }> {
  const errors: FieldError[] = [];
  const { at: sentAt, error } = parseDateAndTime(
    values.sentOn,
    values.time,
    'The date sent',
    'sent',
  );
  if (error) errors.push({ field: 'sentAt', message: error });
  const body = compact({
    to: values.to || undefined,
    analysis: values.analysis.trim() || undefined,
    sentAt: sentAt?.toISOString(),
  });
  errors.push(...checkInputRules(body, { dto: DigestSentDto }));
  const { dto, errors: dtoErrors } = await checkDto(DigestSentDto, body);
  errors.push(...dtoErrors.filter((e) => !(e.field === 'sentAt' && !sentAt)));
  return { dto, errors: errors.length ? toFormErrors(errors, DIGEST_WORDING) : null };
}
