/* Why this file is long: one spec per rule of the policy, each a case of the tier table or of a fact the policy reads. */
import {
  AuthorisationFacts,
  CallFacts,
  ContactFacts,
  PolicySettings,
  PrisonerFacts,
  PrivilegedEntryFacts,
  RISK_CREDIT_HOURS,
  TriageDecision,
  TriageFacts,
  agedTier,
  coveringAuthorisations,
  directoryKindFor,
  languageHeard,
  privilegedKindOf,
  rule39KindOf,
  slaHoursFor,
  transcriptHitsOf,
  requiredTrainings,
  resolveContact,
  riskCredit,
  riskFlagsOf,
  triageCall,
} from './priority-policy';
import { Tier } from '../common/vocabulary';
import { addDays, addHours } from '../common/clock';

// ---------------------------------------------------------------------------------------------
// Factories: a PHONE call at a fixed time, to a known ordinary contact, by a prisoner with no risk
// markers, under an OFFENCE_RELATED authorisation covering it, in English. Tests override only
// what their rule is about.
// ---------------------------------------------------------------------------------------------

const NOW = new Date('2026-11-20T20:00:00Z');
const STARTED_AT = new Date('2026-11-20T18:04:00Z');
const KNOWN_NUMBER = '+447911123456';
const UNKNOWN_NUMBER = '+447911999888';
const ESTABLISHMENT = 'AAA';
const DEFAULT_SLA: Record<Tier, number> = { P1: 24, P2: 72, P3: 168, P4: 336 };
const MAIL_SLA: Record<Tier, number> = { P1: 48, P2: 120, P3: 240, P4: 480 };

const at = (hours: number) => addHours(STARTED_AT, hours);

function prisoner(overrides: Partial<PrisonerFacts> = {}): PrisonerFacts {
  return {
    alertCodes: [],
    mappaCategory: null,
    mappaLevel: null,
    roshLevel: null,
    earliestReleaseDate: null,
    keyDates: [],
    leadListenerUsername: 'lead.listener',
    ...overrides,
  };
}

function contact(overrides: Partial<ContactFacts> = {}): ContactFacts {
  return {
    id: 'contact-1',
    relationship: 'FRIEND',
    phoneNumbers: [KNOWN_NUMBER],
    isVictim: false,
    isChild: false,
    restriction: 'NONE',
    ...overrides,
  };
}

function auth(overrides: Partial<AuthorisationFacts> = {}): AuthorisationFacts {
  return {
    type: 'OFFENCE_RELATED',
    channels: ['PHONE'],
    startsAt: new Date('2026-11-01T00:00:00Z'),
    endsAt: null,
    lookbackDays: 0,
    ...overrides,
  };
}

function call(overrides: Partial<CallFacts> = {}): CallFacts {
  return {
    dialledNumber: KNOWN_NUMBER,
    startedAt: STARTED_AT,
    channel: 'PHONE',
    language: 'en',
    establishmentCode: ESTABLISHMENT,
    transcript: null,
    ...overrides,
  };
}

/** A directory entry for the dialled number: national unless an establishment is given. */
function directory(kind: string, establishmentCode: string | null = null): PrivilegedEntryFacts {
  return { kind, establishmentCode };
}

type InputOverrides = Omit<Partial<TriageFacts>, 'call' | 'prisoner' | 'settings'> & {
  now?: Date;
  call?: Partial<CallFacts>;
  /** Null: the prisoner is not known. */
  prisoner?: Partial<PrisonerFacts> | null;
  settings?: Partial<PolicySettings>;
};

/** One call's facts and the time it is triaged at. */
interface Case {
  facts: TriageFacts;
  now: Date;
}

function inputs(overrides: InputOverrides = {}): Case {
  const {
    now = NOW,
    call: callOverrides,
    prisoner: prisonerOverrides,
    settings,
    ...rest
  } = overrides;
  return {
    now,
    facts: {
      call: call(callOverrides),
      prisoner: prisonerOverrides === null ? null : prisoner(prisonerOverrides),
      contacts: [contact()],
      privilegedDirectory: [],
      mailCorrespondentKind: null,
      authorisations: [auth()],
      settings: {
        slaHours: { ...DEFAULT_SLA },
        mailSlaHours: { ...MAIL_SLA },
        keywordLexicon: [],
        preReleaseWindowDays: 56,
        preReleaseMarginHours: 48,
        burstP1Cap: 10,
        ...settings,
      },
      listenerLanguages: new Set(['en']),
      hasOpenHighConcernEscalation: false,
      openPatternAlertReason: null,
      callsToNumber: null,
      ...rest,
    },
  };
}

const decide = ({ facts, now }: Case) => triageCall(facts, now);

type QueuedDecision = Extract<TriageDecision, { status: 'PENDING' | 'AWAITING_TRANSLATION' }>;

/** Triage and insist the call was queued (so tier, due times and trainings can be read). */
function queued(i: Case): QueuedDecision {
  const d = decide(i);
  if (d.status !== 'PENDING' && d.status !== 'AWAITING_TRANSLATION') {
    throw new Error(`expected a queued decision, got ${d.status}: ${d.reasons.join('; ')}`);
  }
  return d;
}

const tierOf = (overrides: InputOverrides) => queued(inputs(overrides)).tier;

const CHILD_CONTACT_CODES = ['CC1', 'CC2', 'CC3', 'CC4', 'CPC', 'CPRC', 'RCC', 'RCS'];
const ABUSE_CODES = ['RDV', 'RSP', 'OHCO'];

// ---------------------------------------------------------------------------------------------

describe('triageCall: the baseline', () => {
  it('queues an ordinary call under an active authorisation as P3, due after the P3 SLA', () => {
    expect(decide(inputs())).toEqual({
      status: 'PENDING',
      contactId: 'contact-1',
      tier: 'P3',
      dueAt: at(168),
      effectiveDueAt: at(168),
      reasons: ['under an active monitoring authorisation'],
      requiredTrainings: [],
      leadListenerUsername: 'lead.listener',
    });
  });
});

describe('tier P1 (order 1)', () => {
  it('victim contact', () => {
    const d = queued(inputs({ contacts: [contact({ isVictim: true })] }));
    expect(d.tier).toBe('P1');
    expect(d.reasons).toEqual(['victim contact']);
    expect(d.dueAt).toEqual(at(24));
  });

  it('contact under a NO_CONTACT restriction', () => {
    const d = queued(inputs({ contacts: [contact({ restriction: 'NO_CONTACT' })] }));
    expect(d.tier).toBe('P1');
    expect(d.reasons).toEqual(['contact under a no-contact restriction']);
  });

  it('contact protected by a HARASSMENT_ORDER restriction', () => {
    const d = queued(inputs({ contacts: [contact({ restriction: 'HARASSMENT_ORDER' })] }));
    expect(d.tier).toBe('P1');
    expect(d.reasons).toEqual(['contact protected by a harassment order']);
  });

  it('MAPPA level 3', () => {
    const d = queued(inputs({ prisoner: { mappaCategory: 1, mappaLevel: 3 } }));
    expect(d.tier).toBe('P1');
    expect(d.reasons).toEqual(['MAPPA level 3', 'MAPPA level 3 (+12 h)']);
  });

  it('RoSH VERY_HIGH', () => {
    const d = queued(inputs({ prisoner: { roshLevel: 'VERY_HIGH' } }));
    expect(d.tier).toBe('P1');
    expect(d.reasons).toEqual(['RoSH very high', 'RoSH very high (+12 h)']);
  });

  it('an open high-concern escalation on the prisoner', () => {
    const d = queued(inputs({ hasOpenHighConcernEscalation: true }));
    expect(d.tier).toBe('P1');
    expect(d.reasons).toEqual(['open high-concern escalation on this prisoner']);
  });

  it('an open pattern alert on this prisoner and number, with its reason', () => {
    const d = queued(inputs({ openPatternAlertReason: '14 calls in 2 hours to one number' }));
    expect(d.tier).toBe('P1');
    expect(d.reasons).toEqual(['pattern alert: 14 calls in 2 hours to one number']);
  });

  it('is not triggered by a lower MAPPA level, a lower RoSH, or an unrestricted non-victim contact', () => {
    expect(tierOf({ prisoner: { mappaCategory: 2, mappaLevel: 1, roshLevel: 'MEDIUM' } })).toBe(
      'P3',
    );
    expect(tierOf({ contacts: [contact({ restriction: 'NONE', isVictim: false })] })).toBe('P3');
  });

  it('lists every matching P1 reason, in table order, followed by the credits', () => {
    const d = queued(
      inputs({
        contacts: [contact({ isVictim: true, restriction: 'NO_CONTACT' })],
        prisoner: { mappaCategory: 1, mappaLevel: 3, roshLevel: 'VERY_HIGH' },
        hasOpenHighConcernEscalation: true,
        openPatternAlertReason: 'repeated short calls',
      }),
    );
    expect(d.tier).toBe('P1');
    expect(d.reasons).toEqual([
      'victim contact',
      'contact under a no-contact restriction',
      'MAPPA level 3',
      'RoSH very high',
      'open high-concern escalation on this prisoner',
      'pattern alert: repeated short calls',
      'MAPPA level 3 (+12 h)',
      'RoSH very high (+12 h)',
    ]);
    expect(d.dueAt).toEqual(at(24));
    expect(d.effectiveDueAt).toEqual(at(24 - 12 - 12));
  });

  it('beats P2 rules that also match', () => {
    const d = queued(
      inputs({
        contacts: [contact({ isVictim: true })],
        prisoner: { mappaCategory: 2, mappaLevel: 2, roshLevel: 'HIGH' },
      }),
    );
    expect(d.tier).toBe('P1');
    expect(d.reasons.slice(0, 1)).toEqual(['victim contact']);
    expect(d.reasons).not.toContain('MAPPA level 2');
    expect(d.reasons).not.toContain('RoSH high');
  });
});

describe('tier P4 (order 2): random monitoring only', () => {
  it('is P4 when the only covering authorisation is RANDOM', () => {
    const d = queued(inputs({ authorisations: [auth({ type: 'RANDOM' })] }));
    expect(d.tier).toBe('P4');
    expect(d.reasons).toEqual(['random monitoring only']);
    expect(d.dueAt).toEqual(at(336));
    expect(d.effectiveDueAt).toEqual(at(336));
  });

  it('is P4 when several covering authorisations are all RANDOM', () => {
    const authorisations = [
      auth({ type: 'RANDOM' }),
      auth({ type: 'RANDOM', channels: ['PHONE', 'VIDEO'] }),
    ];
    expect(tierOf({ authorisations })).toBe('P4');
  });

  it('is not P4 when an OFFENCE_RELATED authorisation also covers the call', () => {
    const d = queued(
      inputs({ authorisations: [auth({ type: 'RANDOM' }), auth({ type: 'OFFENCE_RELATED' })] }),
    );
    expect(d.tier).toBe('P3');
    expect(d.reasons).toEqual(['under an active monitoring authorisation']);
  });

  it.each(['MANDATORY', 'INTELLIGENCE_LED', 'AD_HOC'] as const)(
    'is not P4 when a %s authorisation also covers the call',
    (type) => {
      expect(tierOf({ authorisations: [auth({ type: 'RANDOM' }), auth({ type })] })).toBe('P3');
    },
  );

  it('only looks at covering authorisations: a non-RANDOM one for another channel or period does not count', () => {
    const authorisations = [
      auth({ type: 'RANDOM' }),
      auth({ type: 'OFFENCE_RELATED', channels: ['VIDEO'] }),
      auth({ type: 'INTELLIGENCE_LED', endsAt: new Date('2026-11-10T00:00:00Z') }),
    ];
    expect(tierOf({ authorisations })).toBe('P4');
  });

  it('P1 still beats RANDOM (order 1 before 2)', () => {
    const d = queued(
      inputs({
        authorisations: [auth({ type: 'RANDOM' })],
        contacts: [contact({ isVictim: true })],
      }),
    );
    expect(d.tier).toBe('P1');
    expect(d.reasons).toEqual(['victim contact']);
    expect(d.dueAt).toEqual(at(24));
  });

  it('RANDOM beats the P2 rules (order 2 before 3), keeping the risk credits', () => {
    const d = queued(
      inputs({
        authorisations: [auth({ type: 'RANDOM' })],
        prisoner: { mappaCategory: 2, mappaLevel: 2 },
        call: { dialledNumber: UNKNOWN_NUMBER },
      }),
    );
    expect(d.tier).toBe('P4');
    expect(d.reasons).toEqual([
      'random monitoring only',
      'MAPPA level 2 (+6 h)',
      'number not on contact list (+6 h)',
    ]);
    expect(d.effectiveDueAt).toEqual(at(336 - 12));
  });
});

describe('tier P2 (order 3)', () => {
  describe('MAPPA and RoSH', () => {
    it('MAPPA level 2', () => {
      const d = queued(inputs({ prisoner: { mappaCategory: 2, mappaLevel: 2 } }));
      expect(d.tier).toBe('P2');
      expect(d.reasons).toEqual(['MAPPA level 2', 'MAPPA level 2 (+6 h)']);
      expect(d.dueAt).toEqual(at(72));
    });

    it('RoSH HIGH', () => {
      const d = queued(inputs({ prisoner: { roshLevel: 'HIGH' } }));
      expect(d.tier).toBe('P2');
      expect(d.reasons).toEqual(['RoSH high', 'RoSH high (+6 h)']);
    });

    it('MAPPA level 1 and RoSH MEDIUM or LOW stay P3', () => {
      expect(tierOf({ prisoner: { mappaCategory: 1, mappaLevel: 1 } })).toBe('P3');
      expect(tierOf({ prisoner: { roshLevel: 'MEDIUM' } })).toBe('P3');
      expect(tierOf({ prisoner: { roshLevel: 'LOW' } })).toBe('P3');
    });
  });

  describe('child-contact prisoner', () => {
    describe.each(CHILD_CONTACT_CODES)('with alert code %s', (code) => {
      it('calling a contact marked isChild is P2', () => {
        const d = queued(
          inputs({
            prisoner: { alertCodes: [code] },
            contacts: [contact({ relationship: 'OTHER_FAMILY', isChild: true })],
          }),
        );
        expect(d.tier).toBe('P2');
        expect(d.reasons).toEqual([
          'child-contact prisoner calling a child',
          'child contact of a child-contact prisoner (+6 h)',
        ]);
      });

      it('calling a contact with relationship CHILD is P2', () => {
        const d = queued(
          inputs({
            prisoner: { alertCodes: [code] },
            contacts: [contact({ relationship: 'CHILD', isChild: false })],
          }),
        );
        expect(d.tier).toBe('P2');
        expect(d.reasons[0]).toBe('child-contact prisoner calling a child');
      });

      it('calling a number not on the contact list is P2', () => {
        const d = queued(
          inputs({ prisoner: { alertCodes: [code] }, call: { dialledNumber: UNKNOWN_NUMBER } }),
        );
        expect(d.tier).toBe('P2');
        expect(d.contactId).toBeNull();
        expect(d.reasons).toEqual([
          'child-contact prisoner calling a number not on the contact list',
          'number not on contact list (+6 h)',
        ]);
      });

      it('calling a known adult contact stays P3', () => {
        expect(
          tierOf({
            prisoner: { alertCodes: [code] },
            contacts: [contact({ relationship: 'PARENT' })],
          }),
        ).toBe('P3');
      });
    });

    it('a prisoner without a child-contact code calling a child stays P3', () => {
      const d = queued(inputs({ contacts: [contact({ relationship: 'CHILD', isChild: true })] }));
      expect(d.tier).toBe('P3');
      expect(d.reasons).toEqual(['under an active monitoring authorisation']);
    });

    it('alert codes are matched case- and space-insensitively', () => {
      expect(
        tierOf({ prisoner: { alertCodes: [' cc1 '] }, call: { dialledNumber: UNKNOWN_NUMBER } }),
      ).toBe('P2');
    });
  });

  describe('domestic-abuse, stalking or harassment prisoner', () => {
    it.each(ABUSE_CODES)('%s calling a number not on the contact list is P2', (code) => {
      const d = queued(
        inputs({ prisoner: { alertCodes: [code] }, call: { dialledNumber: UNKNOWN_NUMBER } }),
      );
      expect(d.tier).toBe('P2');
      expect(d.reasons).toEqual([
        'domestic-abuse, stalking or harassment prisoner calling a number not on the contact list',
        'number not on contact list (+6 h)',
      ]);
    });

    it.each(ABUSE_CODES)('%s calling a known contact who is not a partner stays P3', (code) => {
      expect(tierOf({ prisoner: { alertCodes: [code] } })).toBe('P3');
      expect(
        tierOf({
          prisoner: { alertCodes: [code] },
          contacts: [contact({ relationship: 'PARENT' })],
        }),
      ).toBe('P3');
    });

    it.each(
      ABUSE_CODES.flatMap((code) => [
        [code, 'PARTNER'],
        [code, 'EX_PARTNER'],
      ]),
    )('%s calling a known %s who is not marked a victim is P2', (code, relationship) => {
      const d = queued(
        inputs({
          prisoner: { alertCodes: [code], roshLevel: 'MEDIUM' },
          contacts: [contact({ relationship: relationship as 'PARTNER' | 'EX_PARTNER' })],
        }),
      );
      expect(d.tier).toBe('P2');
      expect(d.reasons[0]).toBe('partner of a domestic-abuse prisoner');
      expect(d.dueAt).toEqual(at(72));
    });

    it('near miss: a partner of a prisoner with no such code stays P3', () => {
      for (const alertCodes of [[], ['ONCR'], ['RKC'], ['OVI'], ['CC1']]) {
        expect(
          tierOf({ prisoner: { alertCodes }, contacts: [contact({ relationship: 'PARTNER' })] }),
        ).toBe('P3');
      }
    });

    it('a partner who is a victim is still P1', () => {
      const d = queued(
        inputs({
          prisoner: { alertCodes: ['RDV'] },
          contacts: [contact({ relationship: 'EX_PARTNER', isVictim: true })],
        }),
      );
      expect(d.tier).toBe('P1');
      expect(d.reasons[0]).toBe('victim contact');
    });

    it('random monitoring only keeps a partner call at P4', () => {
      expect(
        tierOf({
          prisoner: { alertCodes: ['RDV'] },
          contacts: [contact({ relationship: 'PARTNER' })],
          authorisations: [auth({ type: 'RANDOM' })],
        }),
      ).toBe('P4');
    });
  });

  describe('no-contact request, risk to a known adult, victim enquiry', () => {
    it.each(['ONCR', 'RKC', 'RKS'])(
      '%s calling a contact under a restriction is at least P2, saying why',
      (code) => {
        const d = queued(
          inputs({
            prisoner: { alertCodes: [code] },
            contacts: [contact({ restriction: 'CHILD_CONTACT_RESTRICTED' })],
          }),
        );
        expect(d.tier).toBe('P2');
        expect(d.reasons).toContain(
          'contact under restriction of a no-contact-request or known-adult-risk prisoner',
        );
      },
    );

    it.each(['ONCR', 'RKC', 'RKS'])(
      'near miss: %s calling a contact under no restriction stays P3',
      (code) => {
        expect(tierOf({ prisoner: { alertCodes: [code] } })).toBe('P3');
      },
    );

    it('a restricted contact of a prisoner without those codes gets only the restriction reason', () => {
      const d = queued(
        inputs({ contacts: [contact({ restriction: 'CHILD_CONTACT_RESTRICTED' })] }),
      );
      expect(d.reasons).toEqual(['contact under a child-contact restriction']);
    });

    it('OVI calling a number not on the contact list is P2', () => {
      const d = queued(
        inputs({ prisoner: { alertCodes: ['OVI'] }, call: { dialledNumber: UNKNOWN_NUMBER } }),
      );
      expect(d.tier).toBe('P2');
      expect(d.reasons).toEqual([
        'victim-enquiry prisoner calling a number not on the contact list',
        'number not on contact list (+6 h)',
      ]);
    });

    it('near miss: OVI calling a known contact stays P3', () => {
      expect(tierOf({ prisoner: { alertCodes: ['OVI'] } })).toBe('P3');
    });

    it('a prisoner with no such code calling an unknown number stays P3 (with the first-seen credit)', () => {
      const d = queued(inputs({ call: { dialledNumber: UNKNOWN_NUMBER } }));
      expect(d.tier).toBe('P3');
      expect(d.reasons).toEqual([
        'under an active monitoring authorisation',
        'number not on contact list (+6 h)',
      ]);
      expect(d.effectiveDueAt).toEqual(at(168 - 6));
    });
  });

  describe('MAPPA category set, level not set, near release', () => {
    const unsetLevel = (earliestReleaseDate: Date | null, mappaLevel: number | null = null) =>
      inputs({ prisoner: { mappaCategory: 1, mappaLevel, earliestReleaseDate } });

    it('is P2 when release is within 6 months of now', () => {
      const d = queued(unsetLevel(addDays(NOW, 90)));
      expect(d.tier).toBe('P2');
      expect(d.reasons).toEqual(['MAPPA level not set within 6 months of release']);
    });

    it('is P2 when release is just under 6 months away', () => {
      expect(queued(unsetLevel(new Date('2027-05-15T00:00:00Z'))).tier).toBe('P2');
    });

    it('is P2 when release is today', () => {
      expect(queued(unsetLevel(NOW)).tier).toBe('P2');
    });

    it('is not P2 when release is 7 months or more away', () => {
      expect(queued(unsetLevel(new Date('2027-06-20T20:00:00Z'))).tier).toBe('P3');
      expect(queued(unsetLevel(addDays(NOW, 400))).tier).toBe('P3');
    });

    it('is not P2 when the release date is already past', () => {
      expect(queued(unsetLevel(addDays(NOW, -1))).tier).toBe('P3');
    });

    it('is not P2 when there is no release date', () => {
      expect(queued(unsetLevel(null)).tier).toBe('P3');
    });

    it('is not P2 when the level is set (level 1)', () => {
      const d = queued(unsetLevel(addDays(NOW, 90), 1));
      expect(d.tier).toBe('P3');
      expect(d.reasons).not.toContain('MAPPA level not set within 6 months of release');
    });

    it('is not P2 when there is no MAPPA category', () => {
      expect(
        tierOf({
          prisoner: {
            mappaCategory: null,
            mappaLevel: null,
            // Beyond the pre-release window (56 days), which would make it P2 on its own.
            earliestReleaseDate: addDays(NOW, 90),
          },
        }),
      ).toBe('P3');
    });

    it('measures the window from `now`, not from the call time', () => {
      // Release 100 days after the call but 200 days after `now`: outside the window.
      const later = addDays(STARTED_AT, 100);
      const d = queued(
        inputs({
          now: addDays(later, -200),
          prisoner: { mappaCategory: 2, mappaLevel: null, earliestReleaseDate: later },
        }),
      );
      expect(d.tier).toBe('P3');
    });
  });

  it('a contact under a CHILD_CONTACT_RESTRICTED restriction is P2', () => {
    const d = queued(inputs({ contacts: [contact({ restriction: 'CHILD_CONTACT_RESTRICTED' })] }));
    expect(d.tier).toBe('P2');
    expect(d.reasons).toEqual(['contact under a child-contact restriction']);
  });

  it('lists every matching P2 reason, followed by every credit', () => {
    const d = queued(
      inputs({
        prisoner: {
          alertCodes: ['CPC', 'RDV'],
          mappaCategory: 1,
          mappaLevel: 2,
          roshLevel: 'HIGH',
        },
        call: { dialledNumber: UNKNOWN_NUMBER },
      }),
    );
    expect(d.tier).toBe('P2');
    expect(d.reasons).toEqual([
      'MAPPA level 2',
      'RoSH high',
      'child-contact prisoner calling a number not on the contact list',
      'domestic-abuse, stalking or harassment prisoner calling a number not on the contact list',
      'MAPPA level 2 (+6 h)',
      'RoSH high (+6 h)',
      'number not on contact list (+6 h)',
    ]);
    expect(d.dueAt).toEqual(at(72));
    expect(d.effectiveDueAt).toEqual(at(72 - 18));
  });
});

describe('key dates: pre-release window and due-time cap', () => {
  // NOW is 20 November 2026, 20:00 UTC; a key date is a day, as midnight UTC.
  const inDays = (days: number) => addDays(new Date('2026-11-20T00:00:00Z'), days);
  const withKeyDate = (
    date: Date,
    type: 'RELEASE' | 'ROTL' | 'HDC' | 'PAROLE_HEARING' = 'RELEASE',
    overrides: InputOverrides = {},
  ) => inputs({ prisoner: { keyDates: [{ type, date }] }, ...overrides });

  it('is P2 on the last day of the window (56 days), naming the date', () => {
    const d = queued(withKeyDate(inDays(56)));
    expect(d.tier).toBe('P2');
    expect(d.reasons).toEqual(['release on 15 January 2027 (in 56 days)']);
    expect(d.dueAt).toEqual(at(72));
  });

  it('near miss: 57 days away stays P3 and names no date', () => {
    const d = queued(withKeyDate(inDays(57)));
    expect(d.tier).toBe('P3');
    expect(d.reasons).toEqual(['under an active monitoring authorisation']);
    expect(d.dueAt).toEqual(at(168));
  });

  it('the window is the establishment setting', () => {
    expect(
      tierOf({
        prisoner: { keyDates: [{ type: 'RELEASE', date: inDays(57) }] },
        settings: { preReleaseWindowDays: 57 },
      }),
    ).toBe('P2');
    expect(
      tierOf({
        prisoner: { keyDates: [{ type: 'RELEASE', date: inDays(20) }] },
        settings: { preReleaseWindowDays: 19 },
      }),
    ).toBe('P3');
  });

  it('earliestReleaseDate counts as a release date', () => {
    const d = queued(inputs({ prisoner: { earliestReleaseDate: inDays(30) } }));
    expect(d.tier).toBe('P2');
    expect(d.reasons).toEqual(['release on 20 December 2026 (in 30 days)']);
  });

  it.each([
    ['ROTL', 'release on temporary licence on 1 December 2026 (in 11 days)'],
    ['HDC', 'home detention curfew on 1 December 2026 (in 11 days)'],
    ['PAROLE_HEARING', 'parole hearing on 1 December 2026 (in 11 days)'],
  ] as const)('a %s date counts like a release', (type, reason) => {
    const d = queued(withKeyDate(inDays(11), type));
    expect(d.tier).toBe('P2');
    expect(d.reasons).toEqual([reason]);
  });

  it('the next key date is the soonest from today on: past dates are ignored', () => {
    const d = queued(
      inputs({
        prisoner: {
          earliestReleaseDate: inDays(40),
          keyDates: [
            { type: 'PAROLE_HEARING', date: inDays(-1) },
            { type: 'HDC', date: inDays(20) },
          ],
        },
      }),
    );
    expect(d.reasons).toEqual(['home detention curfew on 10 December 2026 (in 20 days)']);
  });

  it('a key date today is next ("today"); one only yesterday is not', () => {
    expect(queued(withKeyDate(inDays(0))).reasons).toContain('release on 20 November 2026 (today)');
    expect(tierOf({ prisoner: { keyDates: [{ type: 'RELEASE', date: inDays(-1) }] } })).toBe('P3');
  });

  it('caps the due time at the key date minus the margin (48 h), credits counted from there', () => {
    // Release in 3 days: P2 would be due in 72 h, after 23 Nov 00:00 minus 48 h.
    const d = queued(
      withKeyDate(inDays(3), 'RELEASE', { call: { dialledNumber: UNKNOWN_NUMBER } }),
    );
    expect(d.tier).toBe('P2');
    expect(d.dueAt).toEqual(new Date('2026-11-21T00:00:00Z'));
    expect(d.effectiveDueAt).toEqual(new Date('2026-11-20T18:00:00Z'));
    expect(d.reasons).toEqual([
      'release on 23 November 2026 (in 3 days)',
      'number not on contact list (+6 h)',
    ]);
  });

  it('the margin is the establishment setting', () => {
    const d = queued(
      withKeyDate(inDays(3), 'RELEASE', { settings: { preReleaseMarginHours: 24 } }),
    );
    expect(d.dueAt).toEqual(new Date('2026-11-22T00:00:00Z'));
  });

  it('caps a P1 call too, and names the date once', () => {
    const d = queued(
      withKeyDate(inDays(1), 'RELEASE', { contacts: [contact({ isVictim: true })] }),
    );
    expect(d.tier).toBe('P1');
    expect(d.dueAt).toEqual(new Date('2026-11-19T00:00:00Z'));
    expect(d.reasons).toEqual(['victim contact', 'release on 21 November 2026 (in 1 day)']);
  });

  it('a P1 call due before the cap is not moved, and its reasons name the date (in the window)', () => {
    const d = queued(
      withKeyDate(inDays(30), 'RELEASE', { contacts: [contact({ isVictim: true })] }),
    );
    expect(d.tier).toBe('P1');
    expect(d.dueAt).toEqual(at(24));
    expect(d.reasons).toEqual(['victim contact']);
  });

  it('caps outside the window as well: no call is due after the key date minus the margin', () => {
    // Window 0 days: a P3 call (due in 7 days) of a prisoner released in 5 days.
    const d = queued(withKeyDate(inDays(5), 'RELEASE', { settings: { preReleaseWindowDays: 0 } }));
    expect(d.tier).toBe('P3');
    expect(d.dueAt).toEqual(new Date('2026-11-23T00:00:00Z'));
    expect(d.reasons).toEqual([
      'under an active monitoring authorisation',
      'release on 25 November 2026 (in 5 days)',
    ]);
  });

  it('random monitoring only stays P4 in the window, but is due before the key date', () => {
    const d = queued(
      withKeyDate(inDays(10), 'RELEASE', { authorisations: [auth({ type: 'RANDOM' })] }),
    );
    expect(d.tier).toBe('P4');
    expect(d.dueAt).toEqual(new Date('2026-11-28T00:00:00Z'));
    expect(d.reasons).toEqual([
      'random monitoring only',
      'release on 30 November 2026 (in 10 days)',
    ]);
  });

  it('a P1 rule still wins in the window', () => {
    expect(
      tierOf({ prisoner: { mappaLevel: 3, keyDates: [{ type: 'RELEASE', date: inDays(10) }] } }),
    ).toBe('P1');
  });

  it('a call of an unmonitored prisoner is not queued whatever his key dates', () => {
    expect(decide(withKeyDate(inDays(10), 'RELEASE', { authorisations: [] })).status).toBe(
      'NOT_MONITORED',
    );
  });

  it('a release key date also counts for "MAPPA level not set within 6 months of release"', () => {
    const d = queued(
      inputs({
        prisoner: { mappaCategory: 1, keyDates: [{ type: 'RELEASE', date: inDays(90) }] },
      }),
    );
    expect(d.reasons).toEqual(['MAPPA level not set within 6 months of release']);
  });
});

describe('burst cap: the newest burstP1Cap calls to a number are P1, the rest P2', () => {
  const ALERT = '43 calls to 07911 123456 in 24 hours';
  /** The call with `newerCalls` calls to the number after it, the newest made 5 hours later. */
  const burstCall = (newerCalls: number, overrides: InputOverrides = {}) =>
    inputs({
      openPatternAlertReason: ALERT,
      callsToNumber: { newerCalls, newestStartedAt: at(5) },
      ...overrides,
    });

  it('the 10th newest call is P1 for the alert', () => {
    const d = queued(burstCall(9));
    expect(d.tier).toBe('P1');
    expect(d.reasons).toEqual([`pattern alert: ${ALERT}`]);
    expect(d.dueAt).toEqual(at(24));
  });

  it('near miss: the 11th newest call is P2, "earlier call of a burst", due at the P2 SLA', () => {
    const d = queued(burstCall(10));
    expect(d.tier).toBe('P2');
    expect(d.reasons).toEqual(['earlier call of a burst']);
    expect(d.dueAt).toEqual(at(72));
    expect(d.effectiveDueAt).toEqual(at(72));
  });

  it('the cap is the establishment setting', () => {
    expect(queued(burstCall(2, { settings: { burstP1Cap: 3 } })).tier).toBe('P1');
    expect(queued(burstCall(3, { settings: { burstP1Cap: 3 } })).tier).toBe('P2');
  });

  it('within P1 a burst is heard newest first: each older call later by as much as it is older', () => {
    const newest = queued(burstCall(0, { call: { startedAt: at(5) } }));
    const older = queued(burstCall(4));
    expect(newest.dueAt).toEqual(at(5 + 24));
    expect(newest.effectiveDueAt).toEqual(at(5 + 24));
    expect(older.dueAt).toEqual(at(24));
    expect(older.effectiveDueAt).toEqual(at(5 + 24 + 5));
    expect(newest.effectiveDueAt.getTime()).toBeLessThan(older.effectiveDueAt.getTime());
  });

  it('credits still move a burst call ahead', () => {
    const d = queued(burstCall(1, { call: { dialledNumber: UNKNOWN_NUMBER } }));
    expect(d.effectiveDueAt).toEqual(at(5 + 24 + 5 - 6));
  });

  it('an earlier call that another P1 rule lifts stays P1, ordered by its own due time', () => {
    const d = queued(burstCall(20, { contacts: [contact({ isVictim: true })] }));
    expect(d.tier).toBe('P1');
    expect(d.reasons).toEqual(['victim contact']);
    expect(d.effectiveDueAt).toEqual(at(24));
  });

  it('a call lifted by the alert and another P1 rule keeps its own due-time order', () => {
    const d = queued(burstCall(1, { prisoner: { mappaLevel: 3 } }));
    expect(d.reasons.slice(0, 2)).toEqual(['MAPPA level 3', `pattern alert: ${ALERT}`]);
    expect(d.effectiveDueAt).toEqual(at(24 - 12));
  });

  it('an earlier call of a random-only prisoner is P4, like any P2 reason', () => {
    expect(queued(burstCall(10, { authorisations: [auth({ type: 'RANDOM' })] })).tier).toBe('P4');
  });

  it('with no place known (no count loaded) the alert lifts the call as before', () => {
    const d = queued(inputs({ openPatternAlertReason: ALERT }));
    expect(d.tier).toBe('P1');
    expect(d.effectiveDueAt).toEqual(at(24));
  });
});

describe('ageing: a call waiting past twice its SLA climbs one tier, never into P1', () => {
  const after = (hours: number) => at(hours);

  it('P3 is P2 once twice the P3 SLA (14 days) has passed, with the reason', () => {
    const d = queued(inputs({ now: after(2 * 168) }));
    expect(d.tier).toBe('P2');
    expect(d.reasons).toEqual([
      'under an active monitoring authorisation',
      'waiting past its time',
    ]);
    expect(d.dueAt).toEqual(at(72));
  });

  it('near miss: a minute before, it is still P3', () => {
    const d = queued(inputs({ now: addHours(after(2 * 168), -1 / 60) }));
    expect(d.tier).toBe('P3');
    expect(d.reasons).toEqual(['under an active monitoring authorisation']);
  });

  it('P4 climbs to P3 after 28 days, and to P2 after 42 (28 + twice 7)', () => {
    const random = { authorisations: [auth({ type: 'RANDOM' })] };
    expect(tierOf({ ...random, now: after(2 * 336 - 1) })).toBe('P4');
    const p3 = queued(inputs({ ...random, now: after(2 * 336) }));
    expect(p3.tier).toBe('P3');
    expect(p3.reasons).toEqual(['random monitoring only', 'waiting past its time']);
    expect(p3.dueAt).toEqual(at(168));
    expect(tierOf({ ...random, now: after(2 * 336 + 2 * 168 - 1) })).toBe('P3');
    expect(tierOf({ ...random, now: after(2 * 336 + 2 * 168) })).toBe('P2');
  });

  it('near miss: P2 never climbs into P1, however long it waits', () => {
    const d = queued(inputs({ prisoner: { mappaLevel: 2 }, now: after(80 * 24) }));
    expect(d.tier).toBe('P2');
    expect(d.reasons).not.toContain('waiting past its time');
    const fromP4 = queued(
      inputs({ authorisations: [auth({ type: 'RANDOM' })], now: after(89 * 24) }),
    );
    expect(fromP4.tier).toBe('P2');
  });

  it('mail ages by the mail SLA (P3 10 days: P2 after 20)', () => {
    const mail = {
      call: { channel: 'MAIL' as const },
      authorisations: [auth({ channels: ['MAIL'] })],
    };
    expect(tierOf({ ...mail, now: after(2 * 240 - 1) })).toBe('P3');
    expect(tierOf({ ...mail, now: after(2 * 240) })).toBe('P2');
  });

  it('agedTier measures each climb from the one before', () => {
    const sla = DEFAULT_SLA;
    expect(agedTier('P4', STARTED_AT, sla, after(2 * 336))).toEqual({ tier: 'P3', aged: true });
    expect(agedTier('P1', STARTED_AT, sla, after(1000))).toEqual({ tier: 'P1', aged: false });
    expect(agedTier('P3', STARTED_AT, sla, STARTED_AT)).toEqual({ tier: 'P3', aged: false });
  });
});

describe('tier P3 (order 4)', () => {
  it('any other call under an active authorisation', () => {
    const d = queued(inputs({ contacts: [contact({ relationship: 'PARENT' })] }));
    expect(d.tier).toBe('P3');
    expect(d.reasons).toEqual(['under an active monitoring authorisation']);
    expect(d.dueAt).toEqual(at(168));
  });

  it('ONCR, OVI, RKC and unknown codes calling an ordinary known contact stay P3', () => {
    expect(tierOf({ prisoner: { alertCodes: ['ONCR', 'OVI', 'RKC', 'XYZ'] } })).toBe('P3');
  });
});

describe('due time and effective due time', () => {
  it.each([
    ['P1', { contacts: [contact({ isVictim: true })] }, 24],
    ['P2', { contacts: [contact({ restriction: 'CHILD_CONTACT_RESTRICTED' })] }, 72],
    ['P3', {}, 168],
    ['P4', { authorisations: [auth({ type: 'RANDOM' })] }, 336],
  ] as [Tier, InputOverrides, number][])(
    '%s is due startedAt + its default SLA',
    (tier, overrides, hours) => {
      const d = queued(inputs(overrides));
      expect(d.tier).toBe(tier);
      expect(d.dueAt).toEqual(at(hours));
      expect(d.effectiveDueAt).toEqual(at(hours));
    },
  );

  it.each([
    ['P1', { contacts: [contact({ isVictim: true })] }, 4],
    ['P2', { contacts: [contact({ restriction: 'CHILD_CONTACT_RESTRICTED' })] }, 12],
    ['P3', {}, 48],
    ['P4', { authorisations: [auth({ type: 'RANDOM' })] }, 96],
  ] as [Tier, InputOverrides, number][])(
    '%s honours custom SLA hours',
    (tier, overrides, hours) => {
      const d = queued(
        inputs({ ...overrides, settings: { slaHours: { P1: 4, P2: 12, P3: 48, P4: 96 } } }),
      );
      expect(d.tier).toBe(tier);
      expect(d.dueAt).toEqual(at(hours));
    },
  );

  it('is computed from the call start, not from `now`', () => {
    const d = queued(inputs({ now: addDays(STARTED_AT, 5) }));
    expect(d.dueAt).toEqual(at(168));
  });

  it('MAPPA level 2 + unknown number: effectiveDueAt = dueAt - (6 + 6) h', () => {
    const d = queued(
      inputs({
        prisoner: { mappaCategory: 1, mappaLevel: 2 },
        call: { dialledNumber: UNKNOWN_NUMBER },
      }),
    );
    expect(RISK_CREDIT_HOURS.mappaLevel2 + RISK_CREDIT_HOURS.numberFirstSeen).toBe(12);
    expect(d.tier).toBe('P2');
    expect(d.dueAt).toEqual(new Date('2026-11-23T18:04:00Z'));
    expect(d.effectiveDueAt).toEqual(new Date('2026-11-23T06:04:00Z'));
    expect(d.reasons).toEqual([
      'MAPPA level 2',
      'MAPPA level 2 (+6 h)',
      'number not on contact list (+6 h)',
    ]);
  });

  it('MAPPA level 3 + RoSH very high + unknown number: 12 + 12 + 6 = 30 h of credit', () => {
    const d = queued(
      inputs({
        prisoner: { mappaCategory: 1, mappaLevel: 3, roshLevel: 'VERY_HIGH' },
        call: { dialledNumber: UNKNOWN_NUMBER },
      }),
    );
    expect(d.tier).toBe('P1');
    expect(d.effectiveDueAt).toEqual(at(24 - 30));
    expect(d.reasons.slice(-3)).toEqual([
      'MAPPA level 3 (+12 h)',
      'RoSH very high (+12 h)',
      'number not on contact list (+6 h)',
    ]);
  });

  it('credits the partner contact of an RDV/RSP prisoner (a P2 call)', () => {
    for (const code of ['RDV', 'RSP']) {
      for (const relationship of ['PARTNER', 'EX_PARTNER'] as const) {
        const d = queued(
          inputs({ prisoner: { alertCodes: [code] }, contacts: [contact({ relationship })] }),
        );
        expect(d.tier).toBe('P2');
        expect(d.reasons).toEqual([
          'partner of a domestic-abuse prisoner',
          'partner contact of a domestic-abuse prisoner (+6 h)',
        ]);
        expect(d.effectiveDueAt).toEqual(at(72 - RISK_CREDIT_HOURS.domesticAbuseCallingPartner));
      }
    }
  });

  it('gives no partner credit to a prisoner without a domestic-abuse or stalking code', () => {
    const d = queued(
      inputs({
        prisoner: { alertCodes: ['OHCO'] },
        contacts: [contact({ relationship: 'PARTNER' })],
      }),
    );
    expect(d.effectiveDueAt).toEqual(d.dueAt);
  });

  it('credits a child contact of a child-contact prisoner', () => {
    const d = queued(
      inputs({ prisoner: { alertCodes: ['CC2'] }, contacts: [contact({ relationship: 'CHILD' })] }),
    );
    expect(d.effectiveDueAt).toEqual(at(72 - RISK_CREDIT_HOURS.childContactCallingChild));
  });
});

describe('status: EXCLUDED_PRIVILEGED', () => {
  it('a privileged directory number is excluded even when monitored, high-risk and the contact is a victim', () => {
    const d = decide(
      inputs({
        privilegedDirectory: [directory('SAMARITANS')],
        contacts: [contact({ id: 'victim-1', isVictim: true })],
        prisoner: { mappaCategory: 1, mappaLevel: 3, roshLevel: 'VERY_HIGH' },
        hasOpenHighConcernEscalation: true,
      }),
    );
    expect(d).toEqual({
      status: 'EXCLUDED_PRIVILEGED',
      contactId: 'victim-1',
      privilegedKind: 'SAMARITANS',
      reasons: ['privileged communication (samaritans): never queued'],
    });
  });

  it('a directory number not on the contact list is excluded with no contact', () => {
    const d = decide(
      inputs({
        privilegedDirectory: [directory('LEGAL_ADVISER')],
        call: { dialledNumber: UNKNOWN_NUMBER },
      }),
    );
    expect(d).toEqual({
      status: 'EXCLUDED_PRIVILEGED',
      contactId: null,
      privilegedKind: 'LEGAL_ADVISER',
      reasons: ['privileged communication (legal adviser): never queued'],
    });
  });

  it('a contact recorded as LEGAL_ADVISER is excluded', () => {
    const d = decide(
      inputs({ contacts: [contact({ id: 'solicitor', relationship: 'LEGAL_ADVISER' })] }),
    );
    expect(d).toEqual({
      status: 'EXCLUDED_PRIVILEGED',
      contactId: 'solicitor',
      privilegedKind: 'LEGAL_ADVISER',
      reasons: ['privileged communication (legal adviser): never queued'],
    });
  });

  it('is decided before coverage: a privileged call without any authorisation is still EXCLUDED_PRIVILEGED', () => {
    expect(
      decide(inputs({ privilegedDirectory: [directory('MP')], authorisations: [] })).status,
    ).toBe('EXCLUDED_PRIVILEGED');
  });

  it('the directory kind wins over a LEGAL_ADVISER contact', () => {
    const d = decide(
      inputs({
        privilegedDirectory: [directory('CCRC')],
        contacts: [contact({ relationship: 'LEGAL_ADVISER' })],
      }),
    );
    expect(d).toMatchObject({ status: 'EXCLUDED_PRIVILEGED', privilegedKind: 'CCRC' });
    expect(d.reasons).toEqual(['privileged communication (ccrc): never queued']);
  });
});

describe('status: NOT_MONITORED and coverage', () => {
  const notMonitored = (contactId: string | null = 'contact-1') => ({
    status: 'NOT_MONITORED',
    contactId,
    reasons: ['no active monitoring authorisation covers this call'],
  });

  it('no authorisation: NOT_MONITORED', () => {
    expect(decide(inputs({ authorisations: [] }))).toEqual(notMonitored());
  });

  it('no authorisation, unknown number: NOT_MONITORED with no contact', () => {
    expect(decide(inputs({ authorisations: [], call: { dialledNumber: UNKNOWN_NUMBER } }))).toEqual(
      notMonitored(null),
    );
  });

  it('a high-risk prisoner with no covering authorisation is still NOT_MONITORED', () => {
    const d = decide(
      inputs({
        authorisations: [],
        contacts: [contact({ isVictim: true })],
        prisoner: { mappaCategory: 1, mappaLevel: 3 },
      }),
    );
    expect(d).toEqual(notMonitored());
  });

  it('an authorisation for VIDEO only does not cover a PHONE call', () => {
    expect(decide(inputs({ authorisations: [auth({ channels: ['VIDEO'] })] }))).toEqual(
      notMonitored(),
    );
  });

  it('an authorisation for VIDEO and PHONE covers a PHONE call', () => {
    expect(
      decide(inputs({ authorisations: [auth({ channels: ['VIDEO', 'PHONE'] })] })).status,
    ).toBe('PENDING');
  });

  it('a VIDEO call is covered by a VIDEO authorisation', () => {
    const d = decide(
      inputs({ call: { channel: 'VIDEO' }, authorisations: [auth({ channels: ['VIDEO'] })] }),
    );
    expect(d.status).toBe('PENDING');
  });

  describe('period and look-back', () => {
    const startsAt = addDays(STARTED_AT, 2); // the call is 2 days before the authorisation starts

    it('a call before startsAt is not covered without look-back', () => {
      expect(decide(inputs({ authorisations: [auth({ startsAt, lookbackDays: 0 })] }))).toEqual(
        notMonitored(),
      );
    });

    it('a call before startsAt is not covered when the look-back is too short', () => {
      expect(decide(inputs({ authorisations: [auth({ startsAt, lookbackDays: 1 })] }))).toEqual(
        notMonitored(),
      );
    });

    it('a call before startsAt is covered within lookbackDays', () => {
      expect(decide(inputs({ authorisations: [auth({ startsAt, lookbackDays: 3 })] })).status).toBe(
        'PENDING',
      );
    });

    it('a call exactly lookbackDays before startsAt is covered', () => {
      expect(decide(inputs({ authorisations: [auth({ startsAt, lookbackDays: 2 })] })).status).toBe(
        'PENDING',
      );
    });

    it('a call exactly at startsAt is covered', () => {
      expect(decide(inputs({ authorisations: [auth({ startsAt: STARTED_AT })] })).status).toBe(
        'PENDING',
      );
    });

    it('a call exactly at endsAt is not covered', () => {
      expect(decide(inputs({ authorisations: [auth({ endsAt: STARTED_AT })] }))).toEqual(
        notMonitored(),
      );
    });

    it('a call after endsAt is not covered', () => {
      expect(
        decide(inputs({ authorisations: [auth({ endsAt: addDays(STARTED_AT, -1) })] })),
      ).toEqual(notMonitored());
    });

    it('a call just before endsAt is covered', () => {
      const endsAt = new Date(STARTED_AT.getTime() + 1);
      expect(decide(inputs({ authorisations: [auth({ endsAt })] })).status).toBe('PENDING');
    });

    it('look-back does not extend an ended authorisation', () => {
      const a = auth({
        startsAt: addDays(STARTED_AT, -10),
        endsAt: addDays(STARTED_AT, -1),
        lookbackDays: 30,
      });
      expect(decide(inputs({ authorisations: [a] }))).toEqual(notMonitored());
    });
  });

  describe('coveringAuthorisations', () => {
    it('returns exactly the authorisations that cover the call', () => {
      const phone = auth({ type: 'MANDATORY' });
      const video = auth({ channels: ['VIDEO'] });
      const ended = auth({ endsAt: addDays(STARTED_AT, -1) });
      const future = auth({ startsAt: addDays(STARTED_AT, 1) });
      const lookback = auth({ type: 'AD_HOC', startsAt: addDays(STARTED_AT, 1), lookbackDays: 1 });
      expect(coveringAuthorisations(call(), [phone, video, ended, future, lookback])).toEqual([
        phone,
        lookback,
      ]);
    });

    it('returns none for no authorisations', () => {
      expect(coveringAuthorisations(call(), [])).toEqual([]);
    });
  });
});

describe('status: AWAITING_TRANSLATION and PENDING by language', () => {
  it("'pl' spoken by no listener: AWAITING_TRANSLATION, tier and due time still computed", () => {
    const d = decide(inputs({ call: { language: 'pl' }, listenerLanguages: new Set(['en']) }));
    expect(d).toEqual({
      status: 'AWAITING_TRANSLATION',
      contactId: 'contact-1',
      tier: 'P3',
      dueAt: at(168),
      effectiveDueAt: at(168),
      reasons: [
        'under an active monitoring authorisation',
        'language "pl" spoken by no listener here',
      ],
      requiredTrainings: [],
      leadListenerUsername: 'lead.listener',
    });
  });

  it('keeps a higher tier and its credits while awaiting translation', () => {
    const d = queued(
      inputs({
        call: { language: 'pl', dialledNumber: UNKNOWN_NUMBER },
        prisoner: { mappaCategory: 1, mappaLevel: 2 },
      }),
    );
    expect(d.status).toBe('AWAITING_TRANSLATION');
    expect(d.tier).toBe('P2');
    expect(d.dueAt).toEqual(at(72));
    expect(d.effectiveDueAt).toEqual(at(60));
    expect(d.requiredTrainings).toEqual(['PUBLIC_PROTECTION']);
    expect(d.reasons).toEqual([
      'MAPPA level 2',
      'MAPPA level 2 (+6 h)',
      'number not on contact list (+6 h)',
      'language "pl" spoken by no listener here',
    ]);
  });

  it("'pl' spoken by a listener: PENDING, with no language reason", () => {
    const d = queued(
      inputs({ call: { language: 'pl' }, listenerLanguages: new Set(['en', 'pl']) }),
    );
    expect(d.status).toBe('PENDING');
    expect(d.reasons).toEqual(['under an active monitoring authorisation']);
  });

  it('compares the call language case-insensitively', () => {
    const d = queued(
      inputs({ call: { language: 'PL' }, listenerLanguages: new Set(['en', 'pl']) }),
    );
    expect(d.status).toBe('PENDING');
    const missing = queued(inputs({ call: { language: 'PL' } }));
    expect(missing.status).toBe('AWAITING_TRANSLATION');
    expect(missing.reasons).toContain('language "pl" spoken by no listener here');
  });

  it('a privileged call in an unspoken language is still EXCLUDED_PRIVILEGED', () => {
    expect(
      decide(inputs({ call: { language: 'pl' }, privilegedDirectory: [directory('COURT')] }))
        .status,
    ).toBe('EXCLUDED_PRIVILEGED');
  });

  it('an unmonitored call in an unspoken language is NOT_MONITORED', () => {
    expect(decide(inputs({ call: { language: 'pl' }, authorisations: [] })).status).toBe(
      'NOT_MONITORED',
    );
  });
});

describe('contact resolution', () => {
  const family = contact({
    id: 'mum',
    relationship: 'PARENT',
    phoneNumbers: ['+442079460018', '+447911222333'],
  });
  const friend = contact({ id: 'friend', phoneNumbers: [KNOWN_NUMBER] });

  it('resolveContact finds the contact whose numbers include the dialled number', () => {
    expect(resolveContact('+447911222333', [friend, family])).toBe(family);
    expect(resolveContact(KNOWN_NUMBER, [friend, family])).toBe(friend);
  });

  it('resolveContact returns null for a number on no contact, or with no contacts', () => {
    expect(resolveContact(UNKNOWN_NUMBER, [friend, family])).toBeNull();
    expect(resolveContact(KNOWN_NUMBER, [])).toBeNull();
  });

  it('resolveContact returns the first contact listed when two share a number', () => {
    const other = contact({ id: 'other', phoneNumbers: [KNOWN_NUMBER] });
    expect(resolveContact(KNOWN_NUMBER, [other, friend])?.id).toBe('other');
  });

  it('resolveContact compares numbers as given (callers pass canonical forms)', () => {
    expect(resolveContact('07911 123456', [friend])).toBeNull();
  });

  it('triageCall reports the resolved contact id and applies its facts', () => {
    const victim = contact({ id: 'victim', isVictim: true, phoneNumbers: ['+447911444555'] });
    const d = queued(
      inputs({ contacts: [friend, victim], call: { dialledNumber: '+447911444555' } }),
    );
    expect(d.contactId).toBe('victim');
    expect(d.tier).toBe('P1');
  });

  it('triageCall reports no contact for an unknown number', () => {
    expect(queued(inputs({ call: { dialledNumber: UNKNOWN_NUMBER } })).contactId).toBeNull();
  });
});

describe('privilegedKindOf', () => {
  it('returns the directory kind when there is one', () => {
    expect(privilegedKindOf(null, 'OMBUDSMAN')).toBe('OMBUDSMAN');
    expect(privilegedKindOf(contact({ relationship: 'LEGAL_ADVISER' }), 'COURT')).toBe('COURT');
  });

  it('returns LEGAL_ADVISER for a legal-adviser contact', () => {
    expect(privilegedKindOf(contact({ relationship: 'LEGAL_ADVISER' }), null)).toBe(
      'LEGAL_ADVISER',
    );
  });

  it('returns null otherwise', () => {
    expect(privilegedKindOf(null, null)).toBeNull();
    expect(privilegedKindOf(contact({ relationship: 'PROFESSIONAL' }), null)).toBeNull();
  });
});

describe('required trainings', () => {
  const trainingsOf = (p: Partial<PrisonerFacts>) =>
    requiredTrainings(prisoner(p), riskFlagsOf(prisoner(p)));

  it.each([2, 3])('PUBLIC_PROTECTION for MAPPA level %i', (mappaLevel) => {
    expect(trainingsOf({ mappaCategory: 1, mappaLevel })).toEqual(['PUBLIC_PROTECTION']);
  });

  it.each(['CPC', 'CPRC'])('PUBLIC_PROTECTION and CHILD_SAFEGUARDING for %s (PPRC)', (code) => {
    expect(trainingsOf({ alertCodes: [code] })).toEqual([
      'PUBLIC_PROTECTION',
      'CHILD_SAFEGUARDING',
    ]);
  });

  it.each(['CC1', 'CC2', 'CC3', 'CC4', 'RCC', 'RCS'])(
    'CHILD_SAFEGUARDING alone for %s (child contact, not PPRC)',
    (code) => {
      expect(trainingsOf({ alertCodes: [code] })).toEqual(['CHILD_SAFEGUARDING']);
    },
  );

  it('no CHILD_SAFEGUARDING for the codes beside the child-contact ones (the near miss)', () => {
    // RKC and RKS are a risk to a known adult, not to children; CC5 is no alert code.
    expect(trainingsOf({ alertCodes: ['RKC', 'RKS', 'CC5', 'OVI', 'ONCR'] })).toEqual([]);
    // A MAPPA level 2 prisoner calling a child is P2, but needs no child-safeguarding training.
    expect(trainingsOf({ mappaCategory: 2, mappaLevel: 2 })).toEqual(['PUBLIC_PROTECTION']);
  });

  it.each(['RDV', 'RSP'])('DOMESTIC_ABUSE for %s', (code) => {
    expect(trainingsOf({ alertCodes: [code] })).toEqual(['DOMESTIC_ABUSE']);
  });

  it('all, once each, when all apply', () => {
    expect(
      trainingsOf({ mappaCategory: 1, mappaLevel: 2, alertCodes: ['CPC', 'CC2', 'RDV', 'RSP'] }),
    ).toEqual(['PUBLIC_PROTECTION', 'DOMESTIC_ABUSE', 'CHILD_SAFEGUARDING']);
  });

  it('none for an ordinary P3 prisoner, MAPPA level 1, or harassment codes', () => {
    expect(trainingsOf({})).toEqual([]);
    expect(trainingsOf({ mappaCategory: 1, mappaLevel: 1 })).toEqual([]);
    expect(trainingsOf({ alertCodes: ['OHCO'] })).toEqual([]);
  });

  it('triageCall carries them on the decision', () => {
    expect(queued(inputs()).requiredTrainings).toEqual([]);
    expect(
      queued(inputs({ prisoner: { mappaCategory: 2, mappaLevel: 3 } })).requiredTrainings,
    ).toEqual(['PUBLIC_PROTECTION']);
    expect(queued(inputs({ prisoner: { alertCodes: ['RSP'] } })).requiredTrainings).toEqual([
      'DOMESTIC_ABUSE',
    ]);
    expect(queued(inputs({ prisoner: { alertCodes: ['CPRC'] } })).requiredTrainings).toEqual([
      'PUBLIC_PROTECTION',
      'CHILD_SAFEGUARDING',
    ]);
    expect(queued(inputs({ prisoner: { alertCodes: ['CC3'] } })).requiredTrainings).toEqual([
      'CHILD_SAFEGUARDING',
    ]);
  });
});

describe('lead listener', () => {
  it('carries the prisoner lead listener through', () => {
    expect(
      queued(inputs({ prisoner: { leadListenerUsername: 'j.smith' } })).leadListenerUsername,
    ).toBe('j.smith');
  });

  it('carries null when the prisoner has no lead listener', () => {
    expect(
      queued(inputs({ prisoner: { leadListenerUsername: null } })).leadListenerUsername,
    ).toBeNull();
  });

  it('carries it while awaiting translation too', () => {
    const d = queued(
      inputs({ call: { language: 'pl' }, prisoner: { leadListenerUsername: 'j.smith' } }),
    );
    expect(d.status).toBe('AWAITING_TRANSLATION');
    expect(d.leadListenerUsername).toBe('j.smith');
  });
});

describe('riskCredit', () => {
  const credit = (p: Partial<PrisonerFacts>, c: ContactFacts | null) =>
    riskCredit(prisoner(p), riskFlagsOf(prisoner(p)), c);

  it('is zero for an ordinary prisoner calling a known contact', () => {
    expect(credit({}, contact())).toEqual({ hours: 0, reasons: [] });
  });

  it('takes only the higher of the MAPPA and of the RoSH credits', () => {
    expect(credit({ mappaLevel: 3, roshLevel: 'VERY_HIGH' }, contact())).toEqual({
      hours: RISK_CREDIT_HOURS.mappaLevel3 + RISK_CREDIT_HOURS.roshVeryHigh,
      reasons: ['MAPPA level 3 (+12 h)', 'RoSH very high (+12 h)'],
    });
    expect(credit({ mappaLevel: 2, roshLevel: 'HIGH' }, contact())).toEqual({
      hours: 12,
      reasons: ['MAPPA level 2 (+6 h)', 'RoSH high (+6 h)'],
    });
  });

  it('gives nothing for MAPPA level 1 or RoSH MEDIUM', () => {
    expect(credit({ mappaLevel: 1, roshLevel: 'MEDIUM' }, contact())).toEqual({
      hours: 0,
      reasons: [],
    });
  });

  it('credits a number not on the contact list', () => {
    expect(credit({}, null)).toEqual({ hours: 6, reasons: ['number not on contact list (+6 h)'] });
  });

  it('sums every credit that applies', () => {
    const child = contact({ isChild: true });
    expect(credit({ alertCodes: ['CPC'], mappaLevel: 2, roshLevel: 'VERY_HIGH' }, child)).toEqual({
      hours: 6 + 12 + 6,
      reasons: [
        'MAPPA level 2 (+6 h)',
        'RoSH very high (+12 h)',
        'child contact of a child-contact prisoner (+6 h)',
      ],
    });
  });
});

describe('unknown prisoner', () => {
  it('is NOT_MONITORED with no contact, before any other rule', () => {
    expect(decide(inputs({ prisoner: null, privilegedDirectory: [directory('COURT')] }))).toEqual({
      status: 'NOT_MONITORED',
      contactId: null,
      reasons: ['prisoner not known'],
    });
  });
});

describe('the privileged directory, scoped to the call’s establishment', () => {
  it('directoryKindFor takes a national entry or one of the call’s establishment, never another’s', () => {
    const c = { establishmentCode: ESTABLISHMENT };
    expect(directoryKindFor(c, [directory('MP')])).toBe('MP');
    expect(directoryKindFor(c, [directory('COURT', ESTABLISHMENT)])).toBe('COURT');
    expect(directoryKindFor(c, [directory('COURT', 'BBB')])).toBeNull();
    expect(directoryKindFor(c, [])).toBeNull();
  });

  it('directoryKindFor takes the first entry that applies, in the order given', () => {
    const c = { establishmentCode: ESTABLISHMENT };
    expect(
      directoryKindFor(c, [
        directory('COURT', 'BBB'),
        directory('SAMARITANS', ESTABLISHMENT),
        directory('MP'),
      ]),
    ).toBe('SAMARITANS');
  });

  it('a number in another establishment’s directory only is triaged as an ordinary call', () => {
    const d = queued(inputs({ privilegedDirectory: [directory('LEGAL_ADVISER', 'BBB')] }));
    expect(d.status).toBe('PENDING');
    expect(d.tier).toBe('P3');
  });

  it('a number in this establishment’s directory is excluded', () => {
    const d = decide(inputs({ privilegedDirectory: [directory('OMBUDSMAN', ESTABLISHMENT)] }));
    expect(d).toMatchObject({ status: 'EXCLUDED_PRIVILEGED', privilegedKind: 'OMBUDSMAN' });
  });
});

describe('intercepted mail: Rule 39 correspondents', () => {
  const mail = (overrides: InputOverrides = {}) =>
    inputs({
      call: { channel: 'MAIL' },
      authorisations: [auth({ channels: ['MAIL'] })],
      ...overrides,
    });

  it('rule39KindOf keeps a Rule 39 kind and drops any other', () => {
    for (const kind of ['LEGAL_ADVISER', 'COURT', 'MP', 'OMBUDSMAN', 'CCRC', 'OTHER_PRIVILEGED'])
      expect(rule39KindOf(kind)).toBe(kind);
    expect(rule39KindOf('FAMILY')).toBeNull();
    expect(rule39KindOf(null)).toBeNull();
  });

  it('a letter from a Rule 39 correspondent is excluded with its kind', () => {
    expect(decide(mail({ mailCorrespondentKind: 'MP' }))).toEqual({
      status: 'EXCLUDED_PRIVILEGED',
      contactId: 'contact-1',
      privilegedKind: 'MP',
      reasons: ['privileged communication (mp): never queued'],
    });
  });

  it('a letter from anyone else is queued', () => {
    expect(queued(mail({ mailCorrespondentKind: 'FAMILY' })).status).toBe('PENDING');
  });

  it('the directory kind wins over the letter’s kind', () => {
    const d = decide(
      mail({ mailCorrespondentKind: 'COURT', privilegedDirectory: [directory('SAMARITANS')] }),
    );
    expect(d).toMatchObject({ status: 'EXCLUDED_PRIVILEGED', privilegedKind: 'SAMARITANS' });
  });

  it('the letter’s kind wins over a LEGAL_ADVISER contact', () => {
    const d = decide(
      mail({
        mailCorrespondentKind: 'CCRC',
        contacts: [contact({ relationship: 'LEGAL_ADVISER' })],
      }),
    );
    expect(d).toMatchObject({ status: 'EXCLUDED_PRIVILEGED', privilegedKind: 'CCRC' });
  });
});

describe('SLA hours by channel', () => {
  const settings: PolicySettings = {
    slaHours: DEFAULT_SLA,
    mailSlaHours: MAIL_SLA,
    keywordLexicon: [],
    preReleaseWindowDays: 56,
    preReleaseMarginHours: 48,
    burstP1Cap: 10,
  };

  it('slaHoursFor gives mail its own hours, and phone and video the call hours', () => {
    expect(slaHoursFor('MAIL', settings)).toBe(MAIL_SLA);
    expect(slaHoursFor('PHONE', settings)).toBe(DEFAULT_SLA);
    expect(slaHoursFor('VIDEO', settings)).toBe(DEFAULT_SLA);
  });

  it('a letter is due after the mail SLA of its tier', () => {
    const d = queued(
      inputs({
        call: { channel: 'MAIL' },
        authorisations: [auth({ channels: ['MAIL'] })],
        contacts: [contact({ isVictim: true })],
      }),
    );
    expect(d.tier).toBe('P1');
    expect(d.dueAt).toEqual(at(MAIL_SLA.P1));
  });
});

describe('listener languages', () => {
  it('languageHeard: English always, another language only where a listener speaks it', () => {
    expect(languageHeard('en', new Set())).toBe(true);
    expect(languageHeard('pl', new Set())).toBe(false);
    expect(languageHeard('pl', new Set(['pl']))).toBe(true);
  });

  it('an English call is PENDING where no listener declares any language', () => {
    expect(queued(inputs({ listenerLanguages: new Set() })).status).toBe('PENDING');
  });

  it("an 'EN' call is English too", () => {
    const d = queued(inputs({ call: { language: 'EN' }, listenerLanguages: new Set() }));
    expect(d.status).toBe('PENDING');
  });
});

describe('transcript keyword hits', () => {
  const transcript = (text: string) => ({ segments: [{ at: 0, text }] });

  it('transcriptHitsOf finds built-in threats, the establishment’s phrases and protected names', () => {
    const hits = transcriptHitsOf(
      { transcript: transcript('Tell Jane Doe the parcel is coming, I know where you live') },
      { keywordLexicon: ['parcel'] },
      [contact({ name: 'Jane Doe', isVictim: true })],
    );
    expect(hits).toEqual(
      expect.arrayContaining(['know where you live', 'parcel', 'Jane Doe (victim)']),
    );
  });

  it('transcriptHitsOf finds nothing without a transcript, or in an innocent one', () => {
    expect(transcriptHitsOf({ transcript: null }, { keywordLexicon: ['parcel'] }, [])).toEqual([]);
    expect(
      transcriptHitsOf({ transcript: transcript('see you on Sunday') }, { keywordLexicon: [] }, []),
    ).toEqual([]);
  });

  it('a threat in the transcript lifts the call to P1 with the phrase as its reason', () => {
    const d = queued(inputs({ call: { transcript: transcript('I know where you live') } }));
    expect(d.tier).toBe('P1');
    expect(d.reasons).toEqual(['transcript: "know where you live"']);
  });

  it("the establishment's own phrase counts only there", () => {
    const call = { transcript: transcript('the parcel comes Tuesday') };
    expect(queued(inputs({ call, settings: { keywordLexicon: ['parcel'] } })).tier).toBe('P1');
    expect(queued(inputs({ call })).tier).toBe('P3');
  });

  it("an unprotected contact's name is not a hit", () => {
    const d = queued(
      inputs({
        call: { transcript: transcript('Tell Jane Doe I said hello') },
        contacts: [contact({ name: 'Jane Doe' })],
      }),
    );
    expect(d.tier).toBe('P3');
  });
});
