import { parsePhoneNumberFromString } from 'libphonenumber-js';

/**
 * Phone numbers come from staff (contacts), the directory of privileged numbers and the telephony
 * feed, in UK national or international form. All of them are compared in one canonical form.
 */
const PHONE_CHARACTERS = /^\+?[\d\s().-]+$/;

export type PhoneParse = { ok: true; e164: string } | { ok: false; reason: string };

/**
 * Strict: a number of a possible length for its country, in E.164, for contacts entered by staff.
 * "Possible" rather than "valid": validity depends on number-range data that lags new allocations and
 * rejects reserved ranges (Ofcom's 07700 900xxx drama range), and a number the feed reports was dialled.
 */
export function normalisePhoneNumber(raw: string): PhoneParse {
  if (typeof raw !== 'string' || raw.trim() === '') return { ok: false, reason: 'is empty' };
  // The parser drops stray letters ("07911 12345a" parses); a typo must not become another number.
  if (!PHONE_CHARACTERS.test(raw.trim()))
    return { ok: false, reason: `"${raw}" is not a valid phone number` };
  const parsed = parsePhoneNumberFromString(raw.trim(), 'GB');
  if (!parsed || !parsed.isPossible())
    return { ok: false, reason: `"${raw}" is not a valid phone number` };
  return { ok: true, e164: parsed.number };
}

/**
 * Lenient: the canonical form used for matching. Valid numbers become E.164; service numbers that are
 * not E.164-shaped (Samaritans 116 123, short codes) keep their digits so that the directory and the
 * telephony feed still meet on the same string.
 */
export function canonicalPhoneNumber(raw: string): PhoneParse {
  const strict = normalisePhoneNumber(raw);
  if (strict.ok) return strict;
  if (typeof raw !== 'string') return { ok: false, reason: 'is not a string' };
  const trimmed = raw.trim();
  if (!PHONE_CHARACTERS.test(trimmed))
    return { ok: false, reason: `"${raw}" is not a phone number` };
  const digits = trimmed.replace(/\D/g, '');
  if (digits.length < 3 || digits.length > 15)
    return { ok: false, reason: `"${raw}" is not a phone number` };
  return { ok: true, e164: trimmed.startsWith('+') ? `+${digits}` : digits };
}
