// Why this file is long: one table of the escalation rules, case by case, each target's near misses
// beside its rule (README "Escalation rules v2").
import { englandAndWalesCalendar } from '../common/working-days';
import {
  escalationNeeds,
  LogFacts,
  mergeIntoOpen,
  planEscalations,
  PrisonerFacts,
  ThreatFacts,
} from './escalation-rules';
import { seriousThreatConcernProblem } from '../logs/log-rules';

const log = (over: Partial<LogFacts> = {}): LogFacts => ({
  concernLevel: 'LOW',
  // A theme no rule reads: each test adds what it is about.
  themes: ['SUBSTANCE_MISUSE'],
  threats: [],
  recordingQuality: 'GOOD',
  ...over,
});
const threat = (over: Partial<ThreatFacts> = {}): ThreatFacts => ({
  type: 'PHYSICAL',
  imminence: 'ON_RELEASE',
  ...over,
});
const threats = (n: number) => Array.from({ length: n }, () => threat());
/** A MAPPA case at this level (category 1), RoSH medium, no alerts. */
const prisoner = (mappaLevel: number | null = 2, over: Partial<PrisonerFacts> = {}) => ({
  mappaCategory: 1,
  mappaLevel,
  roshLevel: 'MEDIUM' as const,
  alertCodes: [],
  ...over,
});
const targets = (l: LogFacts, mappaLevel: number | null = 2) =>
  escalationNeeds(l, prisoner(mappaLevel)).map((n) => n.target);
// Thursday 2 April 2026, 14:00 UTC: the Easter bank holiday weekend follows.
const ctx = {
  from: new Date('2026-04-02T14:00:00Z'),
  calendar: englandAndWalesCalendar(),
  irmmWeekday: 3,
};

describe('escalation rules', () => {
  it('IMMEDIATE concern goes to the duty governor in 1 hour and the POM in 4 hours', () => {
    const plan = planEscalations(
      log({ concernLevel: 'IMMEDIATE', themes: ['THREATS_TO_HARM'] }),
      prisoner(2),
      ctx,
    );
    const security = plan.find((p) => p.target === 'SECURITY')!;
    const pom = plan.find((p) => p.target === 'POM')!;
    expect(security.dueAt.toISOString()).toBe('2026-04-02T15:00:00.000Z');
    expect(pom.dueAt.toISOString()).toBe('2026-04-02T18:00:00.000Z');
    // At MAPPA level 2 the COM hears of it too (its own tests below).
    expect(plan.map((p) => p.target).sort()).toEqual(['COM', 'POM', 'SECURITY']);
  });

  it('HIGH concern goes to the POM in 1 working day (across the bank holiday weekend) and the next IRMM', () => {
    const plan = planEscalations(
      log({ concernLevel: 'HIGH', themes: ['CONTROLLING_BEHAVIOUR'] }),
      prisoner(2),
      ctx,
    );
    expect(plan.map((p) => [p.target, p.dueAt.toISOString()])).toEqual([
      ['POM', '2026-04-07T14:00:00.000Z'],
      ['IRMM', '2026-04-08T10:00:00.000Z'],
      ['COM', '2026-04-08T14:00:00.000Z'],
    ]);
    expect(plan[0].reasons).toEqual(['high concern']);
  });

  it('any threat escalates like HIGH even at a lower concern level', () => {
    expect(targets(log({ concernLevel: 'LOW', threats: threats(1) }))).toEqual(['POM', 'IRMM']);
    expect(
      escalationNeeds(log({ concernLevel: 'LOW', threats: threats(2) }), prisoner(2))[0].reason,
    ).toBe('2 threats recorded');
  });

  it.each([
    ['CHILD_SAFEGUARDING', ['POM', 'IRMM', 'MAPPA', 'COM']],
    ['VICTIM_CONTACT', ['POM', 'IRMM', 'MAPPA', 'COM']],
    ['BREACH_OF_ORDER', ['POM', 'IRMM', 'MAPPA']],
  ] as const)(
    '%s goes to the POM, the IRMM and MAPPA for a level 1 prisoner (and to the COM: %j)',
    (theme, expected) => {
      expect(targets(log({ themes: [theme] }), 1)).toEqual(expected);
    },
  );

  it('a safeguarding theme goes to MAPPA when the level is not set, but not at level 2 or 3', () => {
    expect(targets(log({ themes: ['CHILD_SAFEGUARDING'] }), null)).toContain('MAPPA');
    expect(targets(log({ themes: ['CHILD_SAFEGUARDING'] }), 2)).toEqual(['POM', 'IRMM', 'COM']);
    expect(targets(log({ themes: ['CHILD_SAFEGUARDING'] }), 3)).toEqual(['POM', 'IRMM', 'COM']);
  });

  it('MEDIUM concern goes to the POM in 5 working days', () => {
    const plan = planEscalations(
      log({ concernLevel: 'MEDIUM', themes: ['SUBSTANCE_MISUSE'] }),
      prisoner(1),
      ctx,
    );
    // Fri 3 and Mon 6 April are bank holidays: 7, 8, 9, 10, 13 April.
    expect(plan.map((p) => [p.target, p.dueAt.toISOString()])).toEqual([
      ['POM', '2026-04-13T14:00:00.000Z'],
    ]);
  });

  it.each(['LOW', 'NONE'] as const)(
    '%s concern without threats or safeguarding themes escalates to nobody',
    (concernLevel) => {
      expect(escalationNeeds(log({ concernLevel, themes: ['NO_CONCERNS'] }), prisoner(1))).toEqual(
        [],
      );
    },
  );

  it('keeps one escalation per target with the earliest due time and every reason', () => {
    const plan = planEscalations(
      log({ concernLevel: 'IMMEDIATE', themes: ['VICTIM_CONTACT'], threats: threats(1) }),
      prisoner(1),
      ctx,
    );
    const pom = plan.filter((p) => p.target === 'POM');
    expect(pom).toHaveLength(1);
    expect(pom[0].dueAt.toISOString()).toBe('2026-04-02T18:00:00.000Z');
    expect(pom[0].reasons).toEqual([
      'immediate concern',
      'a threat recorded',
      'theme victim contact',
    ]);
    expect(plan.map((p) => p.target).sort()).toEqual(['COM', 'IRMM', 'MAPPA', 'POM', 'SECURITY']);
  });

  it('a later log attaching to an open escalation brings the due time forward and raises the concern', () => {
    const planned = {
      target: 'POM' as const,
      dueAt: new Date('2026-04-07T14:00:00Z'),
      reasons: [],
      concernLevel: 'HIGH' as const,
    };
    expect(
      mergeIntoOpen(
        { status: 'OPEN', dueAt: new Date('2026-04-13T14:00:00Z'), concernLevel: 'MEDIUM' },
        planned,
      ),
    ).toEqual({
      dueAt: new Date('2026-04-07T14:00:00Z'),
      concernLevel: 'HIGH',
      reopen: false,
    });
    expect(
      mergeIntoOpen(
        { status: 'OPEN', dueAt: new Date('2026-04-03T09:00:00Z'), concernLevel: 'IMMEDIATE' },
        planned,
      ),
    ).toEqual({
      dueAt: new Date('2026-04-03T09:00:00Z'),
      concernLevel: 'IMMEDIATE',
      reopen: false,
    });
  });

  it('an ACKNOWLEDGED escalation reopens on a later log, due when the new log says, not earlier', () => {
    const planned = {
      target: 'POM' as const,
      dueAt: new Date('2026-04-07T14:00:00Z'),
      reasons: [],
      concernLevel: 'HIGH' as const,
    };
    expect(
      mergeIntoOpen(
        { status: 'ACKNOWLEDGED', dueAt: new Date('2026-04-03T09:00:00Z'), concernLevel: 'MEDIUM' },
        planned,
      ),
    ).toEqual({ dueAt: new Date('2026-04-07T14:00:00Z'), concernLevel: 'HIGH', reopen: true });
  });
});

describe('escalation rules v2', () => {
  const dueOf = (plan: ReturnType<typeof planEscalations>, target: string) =>
    plan.find((p) => p.target === target)?.dueAt.toISOString();

  describe('a threat to kill or an imminent threat', () => {
    it.each([
      ['KILL', 'ON_RELEASE', 'a threat to kill'],
      ['PHYSICAL', 'IMMEDIATE', 'an imminent threat'],
    ] as const)(
      'a %s threat (%s) goes to security in 1 hour and the POM in 4 hours, at HIGH',
      (type, imminence, reason) => {
        const plan = planEscalations(
          log({
            concernLevel: 'HIGH',
            themes: ['THREATS_TO_HARM'],
            threats: [threat({ type, imminence })],
          }),
          prisoner(2),
          ctx,
        );
        expect(dueOf(plan, 'SECURITY')).toBe('2026-04-02T15:00:00.000Z');
        expect(dueOf(plan, 'POM')).toBe('2026-04-02T18:00:00.000Z');
        expect(plan.find((p) => p.target === 'SECURITY')!.reasons).toEqual([reason]);
      },
    );

    it('a physical threat on release is not serious enough for security (near miss)', () => {
      const plan = planEscalations(
        log({ concernLevel: 'HIGH', themes: ['THREATS_TO_HARM'], threats: [threat()] }),
        prisoner(2),
        ctx,
      );
      expect(plan.map((p) => p.target)).toEqual(['POM', 'IRMM', 'COM']);
      expect(dueOf(plan, 'POM')).toBe('2026-04-07T14:00:00.000Z');
    });

    it('escalates to security whatever the concern the rules are given', () => {
      expect(targets(log({ concernLevel: 'LOW', threats: [threat({ type: 'KILL' })] }))).toContain(
        'SECURITY',
      );
    });

    it('must be logged at HIGH or above: KILL at HIGH and IMMEDIATE stand, at MEDIUM it is refused', () => {
      const kill = [threat({ type: 'KILL' })];
      expect(seriousThreatConcernProblem({ concernLevel: 'HIGH', threats: kill })).toBeNull();
      expect(seriousThreatConcernProblem({ concernLevel: 'IMMEDIATE', threats: kill })).toBeNull();
      expect(seriousThreatConcernProblem({ concernLevel: 'MEDIUM', threats: kill })).toMatch(
        /HIGH or IMMEDIATE, not MEDIUM/,
      );
      expect(
        seriousThreatConcernProblem({
          concernLevel: 'LOW',
          threats: [threat({ imminence: 'IMMEDIATE' })],
        }),
      ).toMatch(/not LOW/);
    });

    it('an ordinary threat may still be logged at MEDIUM (near miss)', () => {
      expect(
        seriousThreatConcernProblem({
          concernLevel: 'MEDIUM',
          threats: [threat({ type: 'PROPERTY', imminence: 'UNSPECIFIED' })],
        }),
      ).toBeNull();
    });
  });

  it('SELF_HARM goes to safer custody in 4 hours, not to security', () => {
    const plan = planEscalations(log({ themes: ['SELF_HARM'] }), prisoner(2), ctx);
    expect(plan.map((p) => [p.target, p.dueAt.toISOString()])).toEqual([
      ['SAFER_CUSTODY', '2026-04-02T18:00:00.000Z'],
    ]);
  });

  it.each(['EXTREMISM', 'WITNESS_INTIMIDATION', 'SECURITY_INTELLIGENCE'] as const)(
    '%s goes to security in 1 working day (across the bank holiday weekend)',
    (theme) => {
      const plan = planEscalations(log({ themes: [theme] }), prisoner(2), ctx);
      expect(plan.map((p) => [p.target, p.dueAt.toISOString()])).toEqual([
        ['SECURITY', '2026-04-07T14:00:00.000Z'],
      ]);
    },
  );

  it('substance misuse alone goes to nobody: security themes are only those three (near miss)', () => {
    expect(targets(log({ themes: ['SUBSTANCE_MISUSE'] }))).toEqual([]);
  });

  describe('threats, controlling behaviour and stalking', () => {
    it.each(['THREATS_TO_HARM', 'CONTROLLING_BEHAVIOUR', 'HARASSMENT_STALKING'] as const)(
      '%s at MAPPA level 1 asks MAPPA for a level review in 5 working days',
      (theme) => {
        const plan = planEscalations(log({ themes: [theme] }), prisoner(1), ctx);
        expect(plan.map((p) => p.target)).toEqual(['MAPPA']);
        expect(dueOf(plan, 'MAPPA')).toBe('2026-04-13T14:00:00.000Z');
        expect(plan[0].reasons[0]).toMatch(/MAPPA level 1, review the level$/);
      },
    );

    it('a MAPPA case whose level is not set gets the review too', () => {
      const needs = escalationNeeds(log({ themes: ['CONTROLLING_BEHAVIOUR'] }), prisoner(null));
      expect(needs.map((n) => n.reason)).toEqual([
        'theme controlling behaviour: MAPPA level not set, review the level',
      ]);
    });

    it.each([2, 3])('a MAPPA level %i prisoner gets no level review (near miss)', (level) => {
      expect(targets(log({ themes: ['THREATS_TO_HARM'] }), level)).toEqual([]);
    });

    const outside = (over: Partial<PrisonerFacts>) =>
      prisoner(null, { mappaCategory: null, roshLevel: 'HIGH', alertCodes: ['RDV'], ...over });

    it.each([
      ['RDV', 'HIGH'],
      ['RSP', 'VERY_HIGH'],
    ] as const)(
      'outside MAPPA with %s at RoSH %s: MAPPA is asked to consider a Category 3 referral',
      (code, roshLevel) => {
        const needs = escalationNeeds(
          log({ themes: ['HARASSMENT_STALKING'] }),
          outside({ alertCodes: ['XA', code], roshLevel }),
        );
        expect(needs).toEqual([
          {
            target: 'MAPPA',
            due: { kind: 'workingDays', days: 5 },
            reason:
              'theme harassment stalking: high-risk domestic abuse or stalking outside MAPPA, consider a Category 3 referral',
          },
        ]);
      },
    );

    it('outside MAPPA at RoSH medium, or without a domestic-abuse or stalking alert, no prompt (near misses)', () => {
      const l = log({ themes: ['THREATS_TO_HARM'] });
      expect(escalationNeeds(l, outside({ roshLevel: 'MEDIUM' }))).toEqual([]);
      expect(escalationNeeds(l, outside({ alertCodes: ['OHCO'] }))).toEqual([]);
      // A MAPPA case is no candidate for Category 3: its level is what is reviewed.
      expect(escalationNeeds(l, outside({ mappaCategory: 2 })).map((n) => n.reason)).toEqual([
        'theme threats to harm: MAPPA level not set, review the level',
      ]);
    });

    it('an unrelated theme outside MAPPA prompts nothing (near miss)', () => {
      expect(escalationNeeds(log({ themes: ['SUBSTANCE_MISUSE'] }), outside({}))).toEqual([]);
    });
  });

  it('an UNUSABLE recording asks security for the recording within 1 working day', () => {
    const plan = planEscalations(
      log({ concernLevel: 'NONE', themes: ['NO_CONCERNS'], recordingQuality: 'UNUSABLE' }),
      prisoner(2),
      ctx,
    );
    expect(plan.map((p) => [p.target, p.dueAt.toISOString(), p.reasons])).toEqual([
      [
        'SECURITY',
        '2026-04-07T14:00:00.000Z',
        ['recording unusable: find the original recording so the call can be heard'],
      ],
    ]);
  });

  it('a POOR recording asks for nothing (near miss)', () => {
    expect(targets(log({ themes: ['NO_CONCERNS'], recordingQuality: 'POOR' }))).toEqual([]);
  });
});

describe('escalation rules: the community offender manager (COM)', () => {
  it.each([2, 3])(
    'a HIGH log of a MAPPA level %i prisoner goes to the COM (the POM shares it) in 2 working days',
    (level) => {
      const plan = planEscalations(
        log({ concernLevel: 'HIGH', themes: ['CONTROLLING_BEHAVIOUR'] }),
        prisoner(level),
        ctx,
      );
      const com = plan.find((p) => p.target === 'COM')!;
      // Thu 2 April 14:00; Fri 3 and Mon 6 April are bank holidays: Tue 7, Wed 8 April.
      expect(com.dueAt.toISOString()).toBe('2026-04-08T14:00:00.000Z');
      expect(com.reasons).toEqual([`high concern at MAPPA level ${level}: share with the COM`]);
    },
  );

  it('an IMMEDIATE log of a MAPPA level 3 prisoner goes to the COM too', () => {
    expect(targets(log({ concernLevel: 'IMMEDIATE', themes: ['THREATS_TO_HARM'] }), 3)).toContain(
      'COM',
    );
  });

  it.each([
    ['a MEDIUM log at level 2', log({ concernLevel: 'MEDIUM' }), 2],
    ['a LOW log at level 3', log({ concernLevel: 'LOW' }), 3],
    ['a HIGH log at level 1', log({ concernLevel: 'HIGH', themes: ['THREATS_TO_HARM'] }), 1],
    ['a HIGH log, level not set', log({ concernLevel: 'HIGH', themes: ['THREATS_TO_HARM'] }), null],
  ] as const)('%s does not go to the COM (near miss)', (_name, l, level) => {
    expect(targets(l, level)).not.toContain('COM');
  });

  it.each(['CHILD_SAFEGUARDING', 'VICTIM_CONTACT', 'RELEASE_PLANNING'] as const)(
    'theme %s goes to the COM whatever the MAPPA level or concern',
    (theme) => {
      for (const level of [null, 1, 2, 3]) {
        const needs = escalationNeeds(log({ concernLevel: 'LOW', themes: [theme] }), {
          ...prisoner(level),
          mappaCategory: level === null ? null : 1,
        });
        expect(needs.filter((n) => n.target === 'COM')).toEqual([
          {
            target: 'COM',
            due: { kind: 'workingDays', days: 2 },
            reason: `theme ${theme.toLowerCase().replace(/_/g, ' ')}: share with the COM`,
          },
        ]);
      }
    },
  );

  it('one COM escalation keeps both reasons: a HIGH release-planning log at level 2', () => {
    const plan = planEscalations(
      log({ concernLevel: 'HIGH', themes: ['RELEASE_PLANNING', 'VICTIM_CONTACT'] }),
      prisoner(2),
      ctx,
    );
    expect(plan.filter((p) => p.target === 'COM')).toEqual([
      {
        target: 'COM',
        dueAt: new Date('2026-04-08T14:00:00.000Z'),
        reasons: [
          'high concern at MAPPA level 2: share with the COM',
          'theme victim contact, release planning: share with the COM',
        ],
        concernLevel: 'HIGH',
      },
    ]);
  });
});
