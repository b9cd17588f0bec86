import { RequestAuthorisationDto } from '../../monitoring/monitoring.dto';
import {
  checkDto,
  type DateValues,
  emptyDate,
  fieldWording,
  list,
  parseDate,
  readDate,
  text,
} from '../forms';

/** The request for monitoring as typed, to validate and to redisplay. */
export interface RequestFormValues {
  type: string;
  grounds: string[];
  channels: string[];
  justification: string;
  startsAt: DateValues;
  endsAt: DateValues;
  lookbackDays: string;
}

export const emptyRequestForm = (): RequestFormValues => ({
  type: '',
  grounds: [],
  channels: ['PHONE'],
  justification: '',
  startsAt: emptyDate(),
  endsAt: emptyDate(),
  lookbackDays: '0',
});

export const parseRequestForm = (body: Record<string, unknown>): RequestFormValues => ({
  type: text(body.type),
  grounds: list(body.grounds),
  channels: list(body.channels),
  justification: text(body.justification),
  startsAt: readDate(body, 'startsAt'),
  endsAt: readDate(body, 'endsAt'),
  lookbackDays: text(body.lookbackDays).trim(),
});

const REQUEST_IDS: Record<string, string> = {
  type: 'type',
  grounds: 'grounds',
  channels: 'channels',
  justification: 'justification',
  startsAt: 'startsAt-day',
  endsAt: 'endsAt-day',
  lookbackDays: 'lookbackDays',
};

const REQUEST_WORDS: Record<string, (raw: string) => string | undefined> = {
  type: () => 'Select the type of monitoring',
  grounds: () => 'Select at least one ground for monitoring',
  channels: () => 'Select the communications to monitor',
  justification: (raw) =>
    /longer than or equal to 5000|shorter/.test(raw)
      ? 'The justification must be 5,000 characters or fewer'
      : 'Set out why monitoring is necessary and proportionate, in at least 20 characters',
  endsAt: (raw) =>
    raw === 'must be after startsAt' ? 'The end date must be after the start date' : undefined,
  lookbackDays: () => 'Look back must be a whole number of days from 0 to 90',
};

/** How the request form shows its errors: each field's input, in page order, in GOV.UK words. */
export const REQUEST_WORDING = fieldWording(REQUEST_IDS, REQUEST_WORDS);

/**
 * Every error of the request form at once: the DTO's, the dates', and the service's own rule that
 * monitoring ends after it starts (checked here too, so it is not reported only once the rest is
 * put right). `now` is when monitoring starts if no start date is given.
 */
export async function validateRequestForm(values: RequestFormValues, now: Date) {
  const startsAt = parseDate(values.startsAt, 'The start date');
  const endsAt = parseDate(values.endsAt, 'The end date', true);
  if (endsAt.date && !startsAt.error) {
    const start = startsAt.date ?? now;
    if (endsAt.date.getTime() <= start.getTime()) {
      endsAt.error = startsAt.date
        ? 'The end date must be the same as or after the start date'
        : 'The end date must be today or in the future';
      endsAt.date = undefined;
    }
  }
  const lookback = values.lookbackDays;
  const { dto, errors } = await checkDto(RequestAuthorisationDto, {
    type: values.type || undefined,
    grounds: values.grounds,
    channels: values.channels,
    justification: values.justification.trim(),
    startsAt: startsAt.date,
    endsAt: endsAt.date,
    lookbackDays:
      lookback === '' ? undefined : /^\d+$/.test(lookback) ? Number(lookback) : lookback,
  });
  if (startsAt.error) errors.push({ field: 'startsAt', message: startsAt.error });
  if (endsAt.error) errors.push({ field: 'endsAt', message: endsAt.error });
  return { dto, errors };
}
