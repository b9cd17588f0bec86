import { canonicalPhoneNumber } from '../common/phone-numbers';
import { canonicalDialledNumber, checkCallRecord } from './call-record';

/** A small deterministic generator, so the sample is the same on every run. */
function digits(seed: number) {
  let state = seed >>> 0;
  return (count: number) => {
    let out = '';
    for (let i = 0; i < count; i++) {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      out += String(state % 10);
    }
    return out;
  };
}

describe('canonicalDialledNumber (the fast path of ingest)', () => {
  it('gives what libphonenumber gives for ten-digit UK numbers with every leading digit', () => {
    const next = digits(20261127);
    for (const lead of ['1', '2', '3', '4', '5', '6', '7', '8', '9']) {
      for (let i = 0; i < 2000; i++) {
        const nsn = lead + next(9);
        for (const raw of [`0${nsn}`, `+44${nsn}`]) {
          expect(canonicalDialledNumber(raw)).toEqual(canonicalPhoneNumber(raw));
        }
      }
    }
  });

  it.each([
    '116123',
    '116 123',
    '07911 123456',
    '(0113) 496 0123',
    '0113-496-0123',
    '01632 96012',
    '0163296012',
    '00447911123456',
    '+33612345678',
    '+4479111234567',
    '079111234567',
    '0011234567',
    '999',
    'not a number',
  ])('leaves %s to canonicalPhoneNumber', (raw) => {
    expect(canonicalDialledNumber(raw)).toEqual(canonicalPhoneNumber(raw));
  });

  it('is what a checked record carries', () => {
    const check = checkCallRecord(
      {
        externalId: 'X-1',
        prisonNumber: 'A1234BC',
        establishmentCode: 'NHI',
        dialledNumber: '07911123456',
        startedAt: '2026-11-20T18:04:00Z',
        durationSeconds: 60,
      },
      new Date('2026-11-27T10:00:00Z'),
    );
    expect(check.ok && check.record.dialledNumber).toBe('+447911123456');
  });
});
