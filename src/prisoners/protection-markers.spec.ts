import { addedMarkers, markersInWords, protectionMarkers } from './protection-markers';

describe('public-protection markers', () => {
  const none = { alertCodes: [], mappaLevel: null, roshLevel: null, hasVictimContact: false };

  it('names the alert codes, MAPPA level 2/3, RoSH high or very high and a victim contact', () => {
    expect(protectionMarkers(none)).toEqual([]);
    expect(
      protectionMarkers({
        alertCodes: ['P55', 'rdv', 'ROH', 'CPRC'],
        mappaLevel: 2,
        roshLevel: 'HIGH',
        hasVictimContact: true,
      }),
    ).toEqual(['RDV', 'CPRC', 'MAPPA_LEVEL_2', 'ROSH_HIGH', 'VICTIM_CONTACT']);
    expect(protectionMarkers({ ...none, mappaLevel: 1, roshLevel: 'MEDIUM' })).toEqual([]);
    expect(protectionMarkers({ ...none, mappaLevel: 3, roshLevel: 'VERY_HIGH' })).toEqual([
      'MAPPA_LEVEL_3',
      'ROSH_VERY_HIGH',
    ]);
  });

  it('finds the markers a change added (all of them for a new prisoner)', () => {
    expect(addedMarkers(null, ['RDV'])).toEqual(['RDV']);
    expect(addedMarkers(['RDV'], ['RDV', 'ROSH_HIGH'])).toEqual(['ROSH_HIGH']);
    expect(addedMarkers(['RDV', 'ROSH_HIGH'], ['RDV'])).toEqual([]);
  });

  it('says them in words', () => {
    expect(markersInWords(['RDV', 'ROSH_HIGH'])).toBe(
      'domestic abuse perpetrator (RDV), RoSH high',
    );
  });
});
