import { deriveRiskFromAlertCodes } from './alert-codes';

describe('deriveRiskFromAlertCodes', () => {
  it.each([
    ['P11', 1, null],
    ['P22', 1, 1],
    ['P33', 1, 2],
    ['P44', 1, 3],
    ['P55', 2, null],
    ['P66', 2, 1],
    ['P77', 2, 2],
    ['P88', 2, 3],
    ['P99', 3, 2],
    ['PA1', 3, 3],
    ['P100', 4, null],
    ['P101', 4, 1],
    ['P102', 4, 2],
    ['P103', 4, 3],
  ])('%s is MAPPA category %i level %s', (code, category, level) => {
    const risk = deriveRiskFromAlertCodes([code]);
    expect(risk.mappaCategory).toBe(category);
    expect(risk.mappaLevel).toBe(level);
  });

  it.each([
    ['ROM', 'MEDIUM'],
    ['ROH', 'HIGH'],
    ['ROV', 'VERY_HIGH'],
  ])('%s is RoSH %s', (code, rosh) => {
    expect(deriveRiskFromAlertCodes([code]).roshLevel).toBe(rosh);
  });

  it.each(['CC1', 'CC2', 'CC3', 'CC4', 'CPC', 'CPRC', 'RCC', 'RCS'])(
    '%s marks a child-contact prisoner',
    (code) => {
      expect(deriveRiskFromAlertCodes([code]).flags).toContain('CHILD_CONTACT');
    },
  );

  it('marks PPRC only for CPC and CPRC', () => {
    expect(deriveRiskFromAlertCodes(['CPC']).flags).toContain('PPRC');
    expect(deriveRiskFromAlertCodes(['CPRC']).flags).toContain('PPRC');
    expect(deriveRiskFromAlertCodes(['CC1']).flags).not.toContain('PPRC');
  });

  it.each([
    ['RDV', 'DOMESTIC_ABUSE'],
    ['RSP', 'STALKING'],
    ['OHCO', 'HARASSMENT_ORDER'],
    ['ONCR', 'NO_CONTACT_REQUEST'],
    ['OVI', 'VICTIM_ENQUIRY'],
    ['RKC', 'RISK_TO_KNOWN_ADULT'],
    ['RKS', 'RISK_TO_KNOWN_ADULT'],
  ])('%s sets flag %s', (code, flag) => {
    expect(deriveRiskFromAlertCodes([code]).flags).toEqual([flag]);
  });

  it('takes the highest MAPPA level and the highest RoSH when codes disagree', () => {
    const risk = deriveRiskFromAlertCodes(['P66', 'P77', 'ROM', 'ROV', 'ROH']);
    expect(risk).toMatchObject({ mappaCategory: 2, mappaLevel: 2, roshLevel: 'VERY_HIGH' });
  });

  it('prefers a set level over "to be confirmed"', () => {
    expect(deriveRiskFromAlertCodes(['P55', 'P22'])).toMatchObject({
      mappaCategory: 1,
      mappaLevel: 1,
    });
  });

  it('is case-insensitive and reports unknown codes', () => {
    const risk = deriveRiskFromAlertCodes(['p55', 'rdv', 'XYZ']);
    expect(risk).toMatchObject({ mappaCategory: 2, mappaLevel: null, flags: ['DOMESTIC_ABUSE'] });
    expect(risk.unknownCodes).toEqual(['XYZ']);
  });

  it('derives nothing from no codes', () => {
    expect(deriveRiskFromAlertCodes([])).toEqual({
      mappaCategory: null,
      mappaLevel: null,
      roshLevel: null,
      flags: [],
      unknownCodes: [],
    });
  });
});
