/**
 * What the listeners of the demo's history write (demo-history.ts): the kind of call they heard, and
 * a log body for it as API.md describes (most without concerns, threats on calls to a victim or a
 * restricted contact, an unknown voice on a number not on the contact list).
 */

export type LogKind = 'NONE' | 'LOW' | 'HIGH_THREAT' | 'UNIDENTIFIED';

export interface ClaimedContact {
  id: string;
  relationship: string;
  isVictim: boolean;
  restriction: string;
}

/** What a listener would hear on this call: threats to a victim, an unknown voice, mostly nothing. */
export function kindOf(contact: ClaimedContact | null, roll: number): LogKind {
  if (!contact) return 'UNIDENTIFIED';
  if (contact.isVictim || contact.restriction !== 'NONE') return roll < 0.5 ? 'HIGH_THREAT' : 'LOW';
  if (roll < 0.03) return 'HIGH_THREAT';
  return roll < 0.15 ? 'LOW' : 'NONE';
}

/** A log body (API.md, Monitoring logs) for this kind of call. */
export function historyLogBody(kind: LogKind, token: string, contact: ClaimedContact | null) {
  const base = { token, recordingQuality: 'GOOD' };
  const known = contact
    ? { contactId: contact.id, confidence: 'CONFIRMED' }
    : { contactId: null, relationship: 'UNKNOWN', confidence: 'UNIDENTIFIED' };
  switch (kind) {
    case 'NONE':
      return {
        ...base,
        contact: known,
        themes: [{ code: 'NO_CONCERNS' }],
        threats: [],
        concernLevel: 'NONE',
        summary:
          'Talked about visits, canteen money and how the family is getting on. No concerns.',
      };
    case 'LOW':
      return {
        ...base,
        contact: known,
        themes: [{ code: 'RELEASE_PLANNING', note: 'housing on release' }],
        threats: [],
        concernLevel: 'LOW',
        summary:
          'Discussed where to live on release; the contact offered a room. Nothing of concern.',
      };
    case 'HIGH_THREAT':
      return {
        ...base,
        contact: known,
        themes: [{ code: 'THREATS_TO_HARM' }],
        threats: [
          {
            target: 'the person called',
            type: 'PHYSICAL',
            imminence: 'ON_RELEASE',
            quote: 'you will pay',
          },
        ],
        concernLevel: 'HIGH',
        summary:
          'Told the person called that they would pay for it when he is out; angry throughout.',
      };
    case 'UNIDENTIFIED':
      return {
        ...base,
        contact: known,
        themes: [{ code: 'SECURITY_INTELLIGENCE', note: 'unknown voice' }],
        threats: [],
        concernLevel: 'MEDIUM',
        summary: 'An unknown man answered and talked about a parcel coming in; could not tell who.',
      };
  }
}
