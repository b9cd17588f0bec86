import { ValidationFailed } from '../common/errors';
import { dateProblem, textProblem } from '../common/input-rules';
import { canonicalPhoneNumber, PhoneParse } from '../common/phone-numbers';
import { ESTABLISHMENT_CODE, LANGUAGE_CODE, PRISON_NUMBER } from '../common/vocabulary';
import { parseTranscript, Transcript } from '../transcripts/transcript-format';

/** One call record as the telephony feed sends it, after validation and normalisation. */
export interface CallRecord {
  externalId: string;
  prisonNumber: string;
  establishmentCode: string;
  dialledNumber: string;
  startedAt: Date;
  durationSeconds: number;
  channel: 'PHONE' | 'VIDEO';
  recordingRef: string | null;
  language: string | null;
  transcript: Transcript | null;
}

/** The fields of a call record, and nothing else. */
export const CALL_RECORD_FIELDS: readonly string[] = [
  'externalId',
  'prisonNumber',
  'establishmentCode',
  'dialledNumber',
  'startedAt',
  'durationSeconds',
  'channel',
  'recordingRef',
  'language',
  'transcript',
];
const FIELDS = new Set(CALL_RECORD_FIELDS);

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})$/;
const FUTURE_TOLERANCE_MS = 5 * 60_000;

/**
 * A UK number with a ten-digit national number, in national (07911123456) or international
 * (+447911123456) form, digits only: the shape nearly every record of a telephony feed has.
 */
const UK_TEN_DIGIT = /^(?:0|\+44)([1-9]\d{9})$/;

/**
 * The dialled number in canonical form. The common shape is mapped straight to E.164, which is what
 * libphonenumber gives for it (call-record.spec.ts checks that over every leading digit); anything
 * else goes through canonicalPhoneNumber. Parsing with libphonenumber cost about 75 µs a record, most
 * of the api's time on a batch of 1,000 calls.
 */
export function canonicalDialledNumber(raw: string): PhoneParse {
  const m = UK_TEN_DIGIT.exec(raw);
  return m ? { ok: true, e164: `+44${m[1]}` } : canonicalPhoneNumber(raw);
}

export type RecordCheck = { ok: true; record: CallRecord } | { ok: false; errors: string[] };

/**
 * Checks one record of a batch. Hand-written rather than class-validator: a batch holds up to 5,000
 * records and each must be judged on its own (one bad record never sinks the batch), so this runs
 * per record and collects every problem with the field it is in.
 */
export function checkCallRecord(raw: unknown, now: Date): RecordCheck {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, errors: ['record must be an object'] };
  }
  const r = raw as Record<string, unknown>;
  const errors: string[] = [];
  for (const key of Object.keys(r))
    if (!FIELDS.has(key)) errors.push(`${key}: is not an allowed property`);

  const text = (key: string, max: number): string | null => {
    const v = r[key];
    if (typeof v !== 'string' || v.trim() === '') {
      errors.push(`${key}: is required and must be a non-empty string`);
      return null;
    }
    if (v.length > max) {
      errors.push(`${key}: must be at most ${max} characters`);
      return null;
    }
    const problem = textProblem(v);
    if (problem) {
      errors.push(`${key}: ${problem}`);
      return null;
    }
    return v.trim();
  };

  const externalId = text('externalId', 100);
  const prisonNumber = text('prisonNumber', 7);
  if (prisonNumber !== null && !PRISON_NUMBER.test(prisonNumber))
    errors.push('prisonNumber: must look like A1234BC');
  const establishmentCode = text('establishmentCode', 3);
  if (establishmentCode !== null && !ESTABLISHMENT_CODE.test(establishmentCode)) {
    errors.push('establishmentCode: must be 3 capital letters');
  }

  let dialledNumber: string | null = null;
  const dialled = text('dialledNumber', 30);
  if (dialled !== null) {
    const parsed = canonicalDialledNumber(dialled);
    if (parsed.ok) dialledNumber = parsed.e164;
    else errors.push(`dialledNumber: ${parsed.reason}`);
  }

  let startedAt: Date | null = null;
  const started = text('startedAt', 40);
  if (started !== null) {
    const at = ISO_INSTANT.test(started) ? new Date(started) : null;
    // `new Date` takes 30 February as 2 March, and PostgreSQL refuses year 0000: both are the
    // record's fault, found here rather than by failing the batch's insert.
    const problem = at ? dateProblem(started, 'instant') : null;
    if (!at || Number.isNaN(at.getTime()))
      errors.push('startedAt: must be an ISO-8601 time with a zone, e.g. 2026-11-20T18:04:00Z');
    else if (problem) errors.push(`startedAt: ${problem}`);
    else if (at.getTime() > now.getTime() + FUTURE_TOLERANCE_MS)
      errors.push('startedAt: is in the future');
    else startedAt = at;
  }

  const duration = r.durationSeconds;
  if (
    typeof duration !== 'number' ||
    !Number.isInteger(duration) ||
    duration < 0 ||
    duration > 86_400
  ) {
    errors.push('durationSeconds: must be a whole number of seconds between 0 and 86400');
  }

  const channel = r.channel ?? 'PHONE';
  if (channel !== 'PHONE' && channel !== 'VIDEO') errors.push('channel: must be PHONE or VIDEO');

  let recordingRef: string | null = null;
  if (r.recordingRef !== undefined && r.recordingRef !== null) {
    const ref = r.recordingRef;
    if (typeof ref !== 'string' || ref.length === 0 || ref.length > 500) {
      errors.push('recordingRef: must be a relative path of at most 500 characters');
    } else if (ref.startsWith('/') || ref.split(/[\\/]/).includes('..') || textProblem(ref)) {
      errors.push('recordingRef: must be a relative path inside the recordings store');
    } else {
      recordingRef = ref;
    }
  }

  let language: string | null = null;
  if (r.language !== undefined && r.language !== null) {
    if (typeof r.language !== 'string' || !LANGUAGE_CODE.test(r.language.toLowerCase())) {
      errors.push('language: must be an ISO 639-1 code such as "en" or "pl"');
    } else {
      language = r.language.toLowerCase();
    }
  }

  let transcript: Transcript | null = null;
  if (r.transcript !== undefined && r.transcript !== null) {
    const parsed = parseTranscript(r.transcript);
    if (parsed.ok) transcript = parsed.transcript;
    else errors.push(`transcript: ${parsed.error}`);
  }

  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    record: {
      externalId: externalId!,
      prisonNumber: prisonNumber!,
      establishmentCode: establishmentCode!,
      dialledNumber: dialledNumber!,
      startedAt: startedAt!,
      durationSeconds: duration as number,
      channel: channel as 'PHONE' | 'VIDEO',
      recordingRef,
      language,
      transcript,
    },
  };
}

export const MAX_BATCH = 5000;

/** The batch's shape: `{ "calls": [...] }`, 1 to 5,000 records, nothing else. Otherwise 400, nothing stored. */
export function batchRecords(body: unknown): unknown[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw ValidationFailed.field('calls', 'body must be an object { "calls": [...] }');
  }
  const extra = Object.keys(body).filter((k) => k !== 'calls');
  if (extra.length) throw ValidationFailed.field(extra[0], 'is not an allowed property');
  const calls = (body as { calls?: unknown }).calls;
  if (!Array.isArray(calls))
    throw ValidationFailed.field('calls', 'must be an array of call records');
  if (calls.length === 0) throw ValidationFailed.field('calls', 'must contain at least one call');
  if (calls.length > MAX_BATCH)
    throw ValidationFailed.field('calls', `must contain at most ${MAX_BATCH} calls`);
  return calls;
}

export function externalIdOf(raw: unknown): string | null {
  const id = (raw as { externalId?: unknown } | null)?.externalId;
  return typeof id === 'string' ? id : null;
}
