import { canonicalPhoneNumber, normalisePhoneNumber } from './phone-numbers';

// Real-shaped numbers are used for the accepted cases: the Ofcom "drama" range 07700 900xxx is not
// a valid allocated range for libphonenumber, so it cannot be used to show acceptance here.

describe('normalisePhoneNumber (strict, E.164)', () => {
  describe('accepts', () => {
    it.each([
      ['a UK national mobile', '07911 123456', '+447911123456'],
      ['a UK national mobile without spaces', '07911123456', '+447911123456'],
      ['a UK national landline', '020 7946 0018', '+442079460018'],
      ['a UK landline with brackets and dashes', '(020) 7946-0018', '+442079460018'],
      ['a UK number in international form', '+44 7911 123456', '+447911123456'],
      ['a UK number already in E.164', '+447911123456', '+447911123456'],
      ['a UK number with the 00 international prefix', '0044 7911 123456', '+447911123456'],
      ['a UK landline in international form', '+44 20 7946 0018', '+442079460018'],
      ['a Polish mobile', '+48 601 234 567', '+48601234567'],
      ['a foreign number with the 00 international prefix', '0048 601 234 567', '+48601234567'],
      ['a US number', '+1 202 555 0143', '+12025550143'],
      ['surrounding whitespace', '  020 7946 0018  ', '+442079460018'],
    ])('%s: %j -> %s', (_what, raw, e164) => {
      expect(normalisePhoneNumber(raw)).toEqual({ ok: true, e164 });
    });

    it('gives the same E.164 for the national, international and 00 forms of one number', () => {
      const forms = ['07911 123456', '+44 7911 123456', '0044 7911 123456', '+447911123456'];
      expect(new Set(forms.map((f) => JSON.stringify(normalisePhoneNumber(f))))).toEqual(
        new Set([JSON.stringify({ ok: true, e164: '+447911123456' })]),
      );
    });
  });

  describe('rejects', () => {
    it.each(['', '   '])('an empty string %j as empty', (raw) => {
      expect(normalisePhoneNumber(raw)).toEqual({ ok: false, reason: 'is empty' });
    });

    it.each(['hello', '123', '116 123', '999', '07911 12345a', '1234567890123456'])('%j', (raw) => {
      expect(normalisePhoneNumber(raw)).toEqual({
        ok: false,
        reason: `"${raw}" is not a valid phone number`,
      });
    });

    it('a non-string value as empty', () => {
      expect(normalisePhoneNumber(undefined as unknown as string)).toEqual({
        ok: false,
        reason: 'is empty',
      });
      expect(normalisePhoneNumber(12345 as unknown as string)).toEqual({
        ok: false,
        reason: 'is empty',
      });
    });
  });
});

describe('canonicalPhoneNumber (lenient, for matching)', () => {
  describe('valid numbers become E.164', () => {
    it.each([
      ['07911 123456', '+447911123456'],
      ['+44 7911 123456', '+447911123456'],
      ['0044 7911 123456', '+447911123456'],
      ['020 7946 0018', '+442079460018'],
      ['+48 601 234 567', '+48601234567'],
    ])('%j -> %s', (raw, e164) => {
      expect(canonicalPhoneNumber(raw)).toEqual({ ok: true, e164 });
    });
  });

  describe('service and short numbers keep their digits', () => {
    it.each([
      ['116 123', '116123'],
      ['116123', '116123'],
      ['999', '999'],
      ['123', '123'],
      ['(116) 123', '116123'],
      ['116-123', '116123'],
    ])('%j -> %s', (raw, digits) => {
      expect(canonicalPhoneNumber(raw)).toEqual({ ok: true, e164: digits });
    });

    it('keeps a leading + on a number that is not valid', () => {
      expect(canonicalPhoneNumber('+44 116 123')).toEqual({ ok: true, e164: '+44116123' });
    });

    it('gives the directory and the telephony feed the same string for one service number', () => {
      expect(canonicalPhoneNumber('116 123')).toEqual(canonicalPhoneNumber('116123'));
    });
  });

  describe('rejects', () => {
    it.each(['hello', '116 12a', '07911 12345a', 'tel:116123'])('letters: %j', (raw) => {
      expect(canonicalPhoneNumber(raw)).toEqual({
        ok: false,
        reason: `"${raw}" is not a phone number`,
      });
    });

    it.each(['', '   ', '+  '])('nothing to dial: %j', (raw) => {
      expect(canonicalPhoneNumber(raw)).toEqual({
        ok: false,
        reason: `"${raw}" is not a phone number`,
      });
    });

    it('fewer than 3 digits', () => {
      expect(canonicalPhoneNumber('12')).toEqual({
        ok: false,
        reason: '"12" is not a phone number',
      });
    });

    it('more than 15 digits', () => {
      expect(canonicalPhoneNumber('1234567890123456')).toEqual({
        ok: false,
        reason: '"1234567890123456" is not a phone number',
      });
    });

    it('a non-string value', () => {
      expect(canonicalPhoneNumber(undefined as unknown as string)).toEqual({
        ok: false,
        reason: 'is not a string',
      });
      expect(canonicalPhoneNumber(null as unknown as string)).toEqual({
        ok: false,
        reason: 'is not a string',
      });
    });
  });
});

describe('numbers in reserved ranges (Ofcom drama numbers, as in API.md)', () => {
  it('normalises 07700 900123 in every written form to one E.164 string', () => {
    for (const raw of ['07700 900123', '07700900123', '+44 7700 900123', '0044 7700 900123']) {
      expect(normalisePhoneNumber(raw)).toEqual({ ok: true, e164: '+447700900123' });
      expect(canonicalPhoneNumber(raw)).toEqual({ ok: true, e164: '+447700900123' });
    }
  });
});
