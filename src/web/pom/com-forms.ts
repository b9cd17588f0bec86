/**
 * The two forms about the community offender manager (COM): recording the COM and handover date on
 * the prisoner, and "Share with the COM" on a COM escalation. Each turns what was typed into the
 * body the API takes, with every error named by the input it belongs to (GOV.UK wording).
 */
import type { FieldError } from '../../common/errors';
import { checkInputRules } from '../../common/input-rules';
import { SHARE_CHANNELS } from '../../common/vocabulary';
import { ShareWithComDto } from '../../escalations/escalations.dto';
import type { ComRow } from '../../prisoners/prisoners.service';
import { ComFieldsDto } from '../../prisoners/prisoners.dto';
import {
  checkDto,
  compact,
  type DateValues,
  emptyDate,
  fieldWording,
  type FormErrors,
  parseDate,
  parseDateAndTime,
  readDate,
  text,
  toFormErrors,
} from '../forms';
import { choiceItems } from '../labels';
import { londonOffsetMs } from '../london-time';

// ---------------------------------------------------------------------------------------------
// The COM and handover date

export interface ComFormValues {
  name: string;
  email: string;
  phone: string;
  probationDeliveryUnit: string;
  allocatedOn: DateValues;
  handoverDate: DateValues;
}

const datePart = (iso: string | null): DateValues => {
  if (!iso) return emptyDate();
  const [year, month, day] = iso.split('-');
  return { day: String(Number(day)), month: String(Number(month)), year };
};

/** The form as the prisoner's record has it now. */
export function comFormFromRecord(p: {
  com: ComRow | null;
  handoverDate: string | null;
}): ComFormValues {
  return {
    name: p.com?.name ?? '',
    email: p.com?.email ?? '',
    phone: p.com?.phone ?? '',
    probationDeliveryUnit: p.com?.probationDeliveryUnit ?? '',
    allocatedOn: datePart(p.com?.allocatedOn ?? null),
    handoverDate: datePart(p.handoverDate),
  };
}

export function readComForm(body: Record<string, unknown>): ComFormValues {
  return {
    name: text(body.name).trim(),
    email: text(body.email).trim(),
    phone: text(body.phone).trim(),
    probationDeliveryUnit: text(body.probationDeliveryUnit).trim(),
    allocatedOn: readDate(body, 'allocatedOn'),
    handoverDate: readDate(body, 'handoverDate'),
  };
}

/** A typed day as `YYYY-MM-DD`; null when left blank; an error message when not a real day. */
function typedDay(v: DateValues, label: string): { day: string | null; error?: string } {
  const parsed = parseDate(v, label);
  if (parsed.error) return { day: null, error: parsed.error };
  if (!parsed.date) return { day: null };
  const pad = (s: string) => s.padStart(2, '0');
  return { day: `${v.year}-${pad(v.month)}-${pad(v.day)}` };
}

export const COM_WORDING = fieldWording(
  {
    'com.name': 'name',
    'com.email': 'email',
    'com.phone': 'phone',
    'com.probationDeliveryUnit': 'probationDeliveryUnit',
    'com.allocatedOn': 'allocatedOn-day',
    handoverDate: 'handoverDate-day',
  },
  {
    'com.name': () => 'Enter the COM’s name, or clear every COM field if none is allocated',
    'com.email': (raw) =>
      /string|empty/.test(raw)
        ? 'Enter the COM’s email address'
        : 'Enter the COM’s email address in the correct format, like name@justice.gov.uk',
    'com.phone': () => 'Enter a telephone number, like 0113 496 0000',
    'com.allocatedOn': (raw) => raw,
    handoverDate: (raw) => raw,
  },
);

/**
 * The body of `PUT /api/prisoners/{prisonNumber}/com` from the form: every COM field blank means no
 * COM (null); a blank handover date clears it. The errors are those the API would give, plus the
 * dates the form could not read.
 */
export async function checkComForm(
  values: ComFormValues,
): Promise<{ dto: ComFieldsDto; errors: FormErrors | null }> {
  const errors: FieldError[] = [];
  const allocated = typedDay(values.allocatedOn, 'The date allocated');
  const handover = typedDay(values.handoverDate, 'The handover date');
  if (allocated.error) errors.push({ field: 'com.allocatedOn', message: allocated.error });
  if (handover.error) errors.push({ field: 'handoverDate', message: handover.error });
  const anyCom =
    values.name || values.email || values.phone || values.probationDeliveryUnit || allocated.day;
  const body = {
    com: anyCom
      ? compact({
          name: values.name,
          email: values.email || undefined,
          phone: values.phone || undefined,
          probationDeliveryUnit: values.probationDeliveryUnit || undefined,
          allocatedOn: allocated.day ?? undefined,
        })
      : null,
    handoverDate: handover.day,
  };
  // The API's own input rules (a NUL character, a lone surrogate), then its DTO.
  errors.push(...checkInputRules(body, { dto: ComFieldsDto }));
  const { dto, errors: dtoErrors } = await checkDto(ComFieldsDto, body);
  errors.push(
    ...dtoErrors.filter(
      (e) =>
        !(e.field === 'com.allocatedOn' && allocated.error) &&
        !(e.field === 'handoverDate' && handover.error),
    ),
  );
  return { dto, errors: errors.length ? toFormErrors(errors, COM_WORDING) : null };
}

// ---------------------------------------------------------------------------------------------
// Share with the COM

export interface ShareFormValues {
  channel: string;
  sharedOn: DateValues;
  time: string;
  summary: string;
  response: string;
}

/** The form as it opens: shared today, now (London time). */
export function emptyShareForm(now: Date): ShareFormValues {
  // London's wall clock, read off a shifted UTC date.
  const wall = new Date(now.getTime() + londonOffsetMs(now));
  const two = (n: number) => String(n).padStart(2, '0');
  return {
    channel: '',
    sharedOn: {
      day: String(wall.getUTCDate()),
      month: String(wall.getUTCMonth() + 1),
      year: String(wall.getUTCFullYear()),
    },
    time: `${two(wall.getUTCHours())}:${two(wall.getUTCMinutes())}`,
    summary: '',
    response: '',
  };
}

export function readShareForm(body: Record<string, unknown>): ShareFormValues {
  return {
    channel: text(body.channel),
    sharedOn: readDate(body, 'sharedOn'),
    time: text(body.time).trim(),
    summary: text(body.summary),
    response: text(body.response),
  };
}

export const shareChannelItems = (values: ShareFormValues) =>
  choiceItems('shareChannel', SHARE_CHANNELS, (c) => c === values.channel);

export const SHARE_WORDING = fieldWording(
  { channel: 'channel', sharedAt: 'sharedOn-day', summary: 'summary', response: 'response' },
  {
    channel: () => 'Select how it was shared',
    sharedAt: (raw) =>
      /future/.test(raw) ? 'The date and time shared must be now or in the past' : raw,
    summary: (raw) => (/NUL|Unicode/.test(raw) ? raw : 'Enter what was shared with the COM'),
  },
);

/** The body of `POST /api/escalations/{id}/shares` from the form, or the errors to show. */
export async function checkShareForm(
  values: ShareFormValues,
): Promise<{ dto: ShareWithComDto; errors: FormErrors | null }> {
  const errors: FieldError[] = [];
  const { at: sharedAt, error } = parseDateAndTime(
    values.sharedOn,
    values.time,
    'The date shared',
    'shared',
  );
  if (error) errors.push({ field: 'sharedAt', message: error });
  const body = compact({
    channel: values.channel || undefined,
    sharedAt: sharedAt?.toISOString(),
    summary: values.summary.trim() || undefined,
    response: values.response.trim() || undefined,
  });
  errors.push(...checkInputRules(body, { dto: ShareWithComDto }));
  const { dto, errors: dtoErrors } = await checkDto(ShareWithComDto, body);
  errors.push(...dtoErrors.filter((e) => !(e.field === 'sharedAt' && !sharedAt)));
  return { dto, errors: errors.length ? toFormErrors(errors, SHARE_WORDING) : null };
}
