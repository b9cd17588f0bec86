import {
  AuthorisationFacts,
  CallFacts,
  ContactFacts,
  PrisonerFacts,
  RISK_CREDIT_HOURS,
  TriageDecision,
  TriageInputs,
  coveringAuthorisations,
  privilegedKindOf,
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
const DEFAULT_SLA: Record<Tier, number> = { P1: 24, P2: 72, P3: 168, P4: 336 };

const at = (hours: number) => addHours(STARTED_AT, hours);

function prisoner(overrides: Partial<PrisonerFacts> = {}): PrisonerFacts {
  return {
    alertCodes: [],
    mappaCategory: null,
    mappaLevel: null,
    roshLevel: null,
    earliestReleaseDate: null,
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
    ...overrides,
  };
}

type InputOverrides = Omit<Partial<TriageInputs>, 'call' | 'prisoner'> & {
  call?: Partial<CallFacts>;
  prisoner?: Partial<PrisonerFacts>;
};

function inputs(overrides: InputOverrides = {}): TriageInputs {
  const { call: callOverrides, prisoner: prisonerOverrides, ...rest } = overrides;
  return {
    now: NOW,
    call: call(callOverrides),
    prisoner: prisoner(prisonerOverrides),
    contacts: [contact()],
    privilegedKind: null,
    authorisations: [auth()],
    listenerLanguages: new Set(['en']),
    slaHours: { ...DEFAULT_SLA },
    hasOpenHighConcernEscalation: false,
    openPatternAlertReason: null,
    ...rest,
  };
}

type QueuedDecision = Extract<TriageDecision, { status: 'PENDING' | 'AWAITING_TRANSLATION' }>;

/** Triage and insist the call was queued (so tier, due times and trainings can be read). */
function queued(i: TriageInputs): QueuedDecision {
  const d = triageCall(i);
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
    expect(triageCall(inputs())).toEqual({
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

    it.each(ABUSE_CODES)('%s calling a known contact stays P3', (code) => {
      expect(tierOf({ prisoner: { alertCodes: [code] } })).toBe('P3');
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
            earliestReleaseDate: addDays(NOW, 30),
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

describe('tier P3 (order 4)', () => {
  it('any other call under an active authorisation', () => {
    const d = queued(inputs({ contacts: [contact({ relationship: 'PARENT' })] }));
    expect(d.tier).toBe('P3');
    expect(d.reasons).toEqual(['under an active monitoring authorisation']);
    expect(d.dueAt).toEqual(at(168));
  });

  it('alert codes without a tier rule (ONCR, OVI, RKC, unknown codes) stay P3', () => {
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
      const d = queued(inputs({ ...overrides, slaHours: { P1: 4, P2: 12, P3: 48, P4: 96 } }));
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

  it('credits the partner contact of an RDV/RSP prisoner', () => {
    for (const code of ['RDV', 'RSP']) {
      for (const relationship of ['PARTNER', 'EX_PARTNER'] as const) {
        const d = queued(
          inputs({ prisoner: { alertCodes: [code] }, contacts: [contact({ relationship })] }),
        );
        expect(d.tier).toBe('P3');
        expect(d.reasons).toEqual([
          'under an active monitoring authorisation',
          'partner contact of a domestic-abuse prisoner (+6 h)',
        ]);
        expect(d.effectiveDueAt).toEqual(at(168 - RISK_CREDIT_HOURS.domesticAbuseCallingPartner));
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
    const d = triageCall(
      inputs({
        privilegedKind: 'SAMARITANS',
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
    const d = triageCall(
      inputs({ privilegedKind: 'LEGAL_ADVISER', call: { dialledNumber: UNKNOWN_NUMBER } }),
    );
    expect(d).toEqual({
      status: 'EXCLUDED_PRIVILEGED',
      contactId: null,
      privilegedKind: 'LEGAL_ADVISER',
      reasons: ['privileged communication (legal adviser): never queued'],
    });
  });

  it('a contact recorded as LEGAL_ADVISER is excluded', () => {
    const d = triageCall(
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
    expect(triageCall(inputs({ privilegedKind: 'MP', authorisations: [] })).status).toBe(
      'EXCLUDED_PRIVILEGED',
    );
  });

  it('the directory kind wins over a LEGAL_ADVISER contact', () => {
    const d = triageCall(
      inputs({ privilegedKind: 'CCRC', contacts: [contact({ relationship: 'LEGAL_ADVISER' })] }),
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
    expect(triageCall(inputs({ authorisations: [] }))).toEqual(notMonitored());
  });

  it('no authorisation, unknown number: NOT_MONITORED with no contact', () => {
    expect(
      triageCall(inputs({ authorisations: [], call: { dialledNumber: UNKNOWN_NUMBER } })),
    ).toEqual(notMonitored(null));
  });

  it('a high-risk prisoner with no covering authorisation is still NOT_MONITORED', () => {
    const d = triageCall(
      inputs({
        authorisations: [],
        contacts: [contact({ isVictim: true })],
        prisoner: { mappaCategory: 1, mappaLevel: 3 },
      }),
    );
    expect(d).toEqual(notMonitored());
  });

  it('an authorisation for VIDEO only does not cover a PHONE call', () => {
    expect(triageCall(inputs({ authorisations: [auth({ channels: ['VIDEO'] })] }))).toEqual(
      notMonitored(),
    );
  });

  it('an authorisation for VIDEO and PHONE covers a PHONE call', () => {
    expect(
      triageCall(inputs({ authorisations: [auth({ channels: ['VIDEO', 'PHONE'] })] })).status,
    ).toBe('PENDING');
  });

  it('a VIDEO call is covered by a VIDEO authorisation', () => {
    const d = triageCall(
      inputs({ call: { channel: 'VIDEO' }, authorisations: [auth({ channels: ['VIDEO'] })] }),
    );
    expect(d.status).toBe('PENDING');
  });

  describe('period and look-back', () => {
    const startsAt = addDays(STARTED_AT, 2); // the call is 2 days before the authorisation starts

    it('a call before startsAt is not covered without look-back', () => {
      expect(triageCall(inputs({ authorisations: [auth({ startsAt, lookbackDays: 0 })] }))).toEqual(
        notMonitored(),
      );
    });

    it('a call before startsAt is not covered when the look-back is too short', () => {
      expect(triageCall(inputs({ authorisations: [auth({ startsAt, lookbackDays: 1 })] }))).toEqual(
        notMonitored(),
      );
    });

    it('a call before startsAt is covered within lookbackDays', () => {
      expect(
        triageCall(inputs({ authorisations: [auth({ startsAt, lookbackDays: 3 })] })).status,
      ).toBe('PENDING');
    });

    it('a call exactly lookbackDays before startsAt is covered', () => {
      expect(
        triageCall(inputs({ authorisations: [auth({ startsAt, lookbackDays: 2 })] })).status,
      ).toBe('PENDING');
    });

    it('a call exactly at startsAt is covered', () => {
      expect(triageCall(inputs({ authorisations: [auth({ startsAt: STARTED_AT })] })).status).toBe(
        'PENDING',
      );
    });

    it('a call exactly at endsAt is not covered', () => {
      expect(triageCall(inputs({ authorisations: [auth({ endsAt: STARTED_AT })] }))).toEqual(
        notMonitored(),
      );
    });

    it('a call after endsAt is not covered', () => {
      expect(
        triageCall(inputs({ authorisations: [auth({ endsAt: addDays(STARTED_AT, -1) })] })),
      ).toEqual(notMonitored());
    });

    it('a call just before endsAt is covered', () => {
      const endsAt = new Date(STARTED_AT.getTime() + 1);
      expect(triageCall(inputs({ authorisations: [auth({ endsAt })] })).status).toBe('PENDING');
    });

    it('look-back does not extend an ended authorisation', () => {
      const a = auth({
        startsAt: addDays(STARTED_AT, -10),
        endsAt: addDays(STARTED_AT, -1),
        lookbackDays: 30,
      });
      expect(triageCall(inputs({ authorisations: [a] }))).toEqual(notMonitored());
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
    const d = triageCall(inputs({ call: { language: 'pl' }, listenerLanguages: new Set(['en']) }));
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
    expect(triageCall(inputs({ call: { language: 'pl' }, privilegedKind: 'COURT' })).status).toBe(
      'EXCLUDED_PRIVILEGED',
    );
  });

  it('an unmonitored call in an unspoken language is NOT_MONITORED', () => {
    expect(triageCall(inputs({ call: { language: 'pl' }, authorisations: [] })).status).toBe(
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

  it.each(['CPC', 'CPRC'])('PUBLIC_PROTECTION for %s (PPRC)', (code) => {
    expect(trainingsOf({ alertCodes: [code] })).toEqual(['PUBLIC_PROTECTION']);
  });

  it.each(['RDV', 'RSP'])('DOMESTIC_ABUSE for %s', (code) => {
    expect(trainingsOf({ alertCodes: [code] })).toEqual(['DOMESTIC_ABUSE']);
  });

  it('both, once each, when both apply', () => {
    expect(
      trainingsOf({ mappaCategory: 1, mappaLevel: 2, alertCodes: ['CPC', 'RDV', 'RSP'] }),
    ).toEqual(['PUBLIC_PROTECTION', 'DOMESTIC_ABUSE']);
  });

  it('none for an ordinary P3 prisoner, MAPPA level 1, or child-contact / harassment codes without PPRC', () => {
    expect(trainingsOf({})).toEqual([]);
    expect(trainingsOf({ mappaCategory: 1, mappaLevel: 1 })).toEqual([]);
    expect(trainingsOf({ alertCodes: ['CC1', 'RCC', 'OHCO'] })).toEqual([]);
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
