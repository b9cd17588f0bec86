import { englandAndWalesCalendar } from '../common/working-days';
import { escalationNeeds, LogFacts, mergeIntoOpen, planEscalations } from './escalation-rules';

const log = (over: Partial<LogFacts> = {}): LogFacts => ({
  concernLevel: 'LOW',
  themes: ['RELEASE_PLANNING'],
  threatCount: 0,
  ...over,
});
const targets = (l: LogFacts, mappaLevel: number | null = 2) =>
  escalationNeeds(l, { mappaLevel }).map((n) => n.target);
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
      { mappaLevel: 2 },
      ctx,
    );
    const security = plan.find((p) => p.target === 'SECURITY')!;
    const pom = plan.find((p) => p.target === 'POM')!;
    expect(security.dueAt.toISOString()).toBe('2026-04-02T15:00:00.000Z');
    expect(pom.dueAt.toISOString()).toBe('2026-04-02T18:00:00.000Z');
    expect(plan.map((p) => p.target).sort()).toEqual(['POM', 'SECURITY']);
  });

  it('HIGH concern goes to the POM in 1 working day (across the bank holiday weekend) and the next IRMM', () => {
    const plan = planEscalations(
      log({ concernLevel: 'HIGH', themes: ['CONTROLLING_BEHAVIOUR'] }),
      { mappaLevel: 2 },
      ctx,
    );
    expect(plan.map((p) => [p.target, p.dueAt.toISOString()])).toEqual([
      ['POM', '2026-04-07T14:00:00.000Z'],
      ['IRMM', '2026-04-08T10:00:00.000Z'],
    ]);
    expect(plan[0].reasons).toEqual(['high concern']);
  });

  it('any threat escalates like HIGH even at a lower concern level', () => {
    expect(targets(log({ concernLevel: 'LOW', threatCount: 1 }))).toEqual(['POM', 'IRMM']);
    expect(
      escalationNeeds(log({ concernLevel: 'LOW', threatCount: 2 }), { mappaLevel: 2 })[0].reason,
    ).toBe('2 threats recorded');
  });

  it.each(['CHILD_SAFEGUARDING', 'VICTIM_CONTACT', 'BREACH_OF_ORDER'] as const)(
    '%s goes to the POM, the IRMM and MAPPA for a level 1 prisoner',
    (theme) => {
      expect(targets(log({ themes: [theme] }), 1)).toEqual(['POM', 'IRMM', 'MAPPA']);
    },
  );

  it('a safeguarding theme goes to MAPPA when the level is not set, but not at level 2 or 3', () => {
    expect(targets(log({ themes: ['CHILD_SAFEGUARDING'] }), null)).toContain('MAPPA');
    expect(targets(log({ themes: ['CHILD_SAFEGUARDING'] }), 2)).toEqual(['POM', 'IRMM']);
    expect(targets(log({ themes: ['CHILD_SAFEGUARDING'] }), 3)).toEqual(['POM', 'IRMM']);
  });

  it('MEDIUM concern goes to the POM in 5 working days', () => {
    const plan = planEscalations(
      log({ concernLevel: 'MEDIUM', themes: ['SUBSTANCE_MISUSE'] }),
      { mappaLevel: 1 },
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
      expect(
        escalationNeeds(log({ concernLevel, themes: ['NO_CONCERNS'] }), { mappaLevel: 1 }),
      ).toEqual([]);
    },
  );

  it('keeps one escalation per target with the earliest due time and every reason', () => {
    const plan = planEscalations(
      log({ concernLevel: 'IMMEDIATE', themes: ['VICTIM_CONTACT'], threatCount: 1 }),
      { mappaLevel: 1 },
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
    expect(plan.map((p) => p.target).sort()).toEqual(['IRMM', 'MAPPA', 'POM', 'SECURITY']);
  });

  it('a later log attaching to an open escalation brings the due time forward and raises the concern', () => {
    const planned = {
      target: 'POM' as const,
      dueAt: new Date('2026-04-07T14:00:00Z'),
      reasons: [],
      concernLevel: 'HIGH' as const,
    };
    expect(
      mergeIntoOpen({ dueAt: new Date('2026-04-13T14:00:00Z'), concernLevel: 'MEDIUM' }, planned),
    ).toEqual({
      dueAt: new Date('2026-04-07T14:00:00Z'),
      concernLevel: 'HIGH',
    });
    expect(
      mergeIntoOpen(
        { dueAt: new Date('2026-04-03T09:00:00Z'), concernLevel: 'IMMEDIATE' },
        planned,
      ),
    ).toEqual({
      dueAt: new Date('2026-04-03T09:00:00Z'),
      concernLevel: 'IMMEDIATE',
    });
  });
});
