import {
  addDaysToDate,
  addMonthsToDate,
  channelsInWords,
  comNotAllocated,
  considerMonitoring,
  daysBetween,
  flagWindows,
  highRiskNotMonitored,
  languageName,
  logUnacknowledged,
  mappaL1ReviewOverdue,
  mappaLevelNotSet,
  monitoringExpired,
  monitoringReviewOverdue,
  noEligibleListener,
  noListenerForLanguage,
  unheardPurgeDue,
  pomCaseloadHigh,
  randomOnlyHighRisk,
} from './risk-flag-rules';

// Friday 27 November 2026, 10:00 UTC (GMT: the London date is the UTC date).
const NOW = new Date('2026-11-27T10:00:00Z');
const TODAY = '2026-11-27';

describe('risk flag rules', () => {
  describe('calendar', () => {
    it('counts whole days between London dates, across month and year ends', () => {
      expect(daysBetween('2026-03-01', TODAY)).toBe(271);
      expect(daysBetween(TODAY, '2027-03-01')).toBe(94);
      expect(daysBetween(TODAY, TODAY)).toBe(0);
      expect(daysBetween(TODAY, '2026-11-26')).toBe(-1);
      expect(addDaysToDate('2026-12-31', 1)).toBe('2027-01-01');
      expect(addDaysToDate('2027-03-01', -183)).toBe('2026-08-30');
    });

    it('takes today as the London date: just after midnight in summer time is already tomorrow', () => {
      expect(flagWindows(new Date('2026-06-30T23:30:00Z')).today).toBe('2026-07-01');
      expect(flagWindows(new Date('2026-12-31T23:30:00Z')).today).toBe('2026-12-31');
    });

    it('sets the windows: release within 183 days, level 1 review older than 183 days, expired within 30 days', () => {
      expect(flagWindows(NOW)).toEqual({
        today: TODAY,
        releaseWindowEnd: '2027-05-29',
        l1ReviewedBefore: '2026-05-28',
        expiredAfter: new Date('2026-10-28T10:00:00Z'),
      });
      expect(daysBetween(TODAY, flagWindows(NOW).releaseWindowEnd)).toBe(183);
    });
  });

  describe('MAPPA_LEVEL_NOT_SET_PRE_RELEASE', () => {
    it('says the category and the days to release; since is six months (183 days) before release', () => {
      expect(mappaLevelNotSet({ mappaCategory: 2, releaseDate: '2027-03-01' }, TODAY)).toEqual({
        detail: 'MAPPA category 2, level not set, release in 94 days',
        since: new Date('2026-08-30T00:00:00Z'),
      });
    });

    it('reads naturally at the edges of the window', () => {
      expect(mappaLevelNotSet({ mappaCategory: 1, releaseDate: TODAY }, TODAY).detail).toBe(
        'MAPPA category 1, level not set, release today',
      );
      expect(mappaLevelNotSet({ mappaCategory: 4, releaseDate: '2026-11-28' }, TODAY).detail).toBe(
        'MAPPA category 4, level not set, release in 1 day',
      );
      const last = mappaLevelNotSet({ mappaCategory: 3, releaseDate: '2027-05-29' }, TODAY);
      expect(last).toEqual({
        detail: 'MAPPA category 3, level not set, release in 183 days',
        since: new Date(`${TODAY}T00:00:00Z`),
      });
    });
  });

  describe('MAPPA_L1_REVIEW_OVERDUE', () => {
    it('gives the last review date and its age; since is the first day it was more than 183 days old', () => {
      expect(mappaL1ReviewOverdue({ reviewedOn: '2026-03-01' }, TODAY)).toEqual({
        detail: 'MAPPA level 1, last reviewed 2026-03-01 (271 days ago)',
        since: new Date('2026-09-01T00:00:00Z'),
      });
      expect(daysBetween('2026-03-01', '2026-09-01')).toBe(184);
    });

    it('says when no review was recorded, and leaves since to when it was first seen', () => {
      expect(mappaL1ReviewOverdue({ reviewedOn: null }, TODAY)).toEqual({
        detail: 'MAPPA level 1, no review recorded',
        since: null,
      });
    });
  });

  describe('MONITORING_REVIEW_OVERDUE', () => {
    it('names the type and channels, the due date and how overdue; since is the due time', () => {
      const reviewDueAt = new Date('2026-11-01T09:30:00Z');
      expect(
        monitoringReviewOverdue(
          { type: 'OFFENCE_RELATED', channels: ['PHONE'], reviewDueAt },
          TODAY,
        ),
      ).toEqual({
        detail: 'Offence-related phone monitoring review was due 2026-11-01 (26 days overdue)',
        since: reviewDueAt,
      });
    });

    it('lists several channels in a fixed order and counts single days and today', () => {
      expect(
        monitoringReviewOverdue(
          {
            type: 'INTELLIGENCE_LED',
            channels: ['MAIL', 'PHONE', 'VIDEO'],
            reviewDueAt: new Date('2026-11-26T12:00:00Z'),
          },
          TODAY,
        ).detail,
      ).toBe(
        'Intelligence-led phone, video and mail monitoring review was due 2026-11-26 (1 day overdue)',
      );
      expect(
        monitoringReviewOverdue(
          { type: 'AD_HOC', channels: ['VIDEO'], reviewDueAt: new Date('2026-11-27T08:00:00Z') },
          TODAY,
        ).detail,
      ).toBe('Ad hoc video monitoring review was due 2026-11-27 (due today)');
    });
  });

  describe('MONITORING_EXPIRED', () => {
    it('gives the end date and how many calls since were not heard; since is the end time', () => {
      const endsAt = new Date('2026-11-20T00:00:00Z');
      expect(monitoringExpired({ channels: ['PHONE'], endsAt, callsSinceNotHeard: 12 })).toEqual({
        detail:
          'Phone monitoring expired on 2026-11-20; no authorisation since; 12 calls since not heard',
        since: endsAt,
      });
    });

    it('reads naturally for one call, none, and several channels', () => {
      const endsAt = new Date('2026-11-20T15:00:00Z');
      expect(
        monitoringExpired({ channels: ['VIDEO', 'PHONE'], endsAt, callsSinceNotHeard: 1 }).detail,
      ).toBe(
        'Phone and video monitoring expired on 2026-11-20; no authorisation since; 1 call since not heard',
      );
      expect(monitoringExpired({ channels: ['PHONE'], endsAt, callsSinceNotHeard: 0 }).detail).toBe(
        'Phone monitoring expired on 2026-11-20; no authorisation since; no calls since',
      );
    });

    it('dates an end time by the London calendar (summer time)', () => {
      const endsAt = new Date('2026-07-31T23:30:00Z');
      expect(monitoringExpired({ channels: ['MAIL'], endsAt, callsSinceNotHeard: 0 }).detail).toBe(
        'Mail monitoring expired on 2026-08-01; no authorisation since; no calls since',
      );
    });
  });

  describe('HIGH_RISK_NOT_MONITORED', () => {
    it('names the kind of perpetrator and the RoSH level; since is left to first seen', () => {
      expect(
        highRiskNotMonitored({ alertCodes: ['P55', 'RDV', 'ROH'], roshLevel: 'HIGH' }),
      ).toEqual({
        detail: 'Domestic-abuse perpetrator, RoSH high, not on phone monitoring',
        since: null,
      });
      expect(highRiskNotMonitored({ alertCodes: ['RSP'], roshLevel: 'VERY_HIGH' }).detail).toBe(
        'Stalking perpetrator, RoSH very high, not on phone monitoring',
      );
      expect(highRiskNotMonitored({ alertCodes: ['RSP', 'RDV'], roshLevel: 'HIGH' }).detail).toBe(
        'Domestic-abuse and stalking perpetrator, RoSH high, not on phone monitoring',
      );
    });
  });

  describe('LOG_UNACKNOWLEDGED', () => {
    it('names the concern, the POM, when it was escalated and when it was due; since is the due time', () => {
      const dueAt = new Date('2026-11-21T14:00:00Z');
      expect(
        logUnacknowledged({
          concernLevel: 'HIGH',
          assignee: 'pom1',
          createdAt: new Date('2026-11-20T14:00:00Z'),
          dueAt,
        }),
      ).toEqual({
        detail: 'High concern escalated to pom1 on 2026-11-20, not acknowledged; due 2026-11-21',
        since: dueAt,
      });
    });

    it('says when the escalation is for the COM (the POM shares it)', () => {
      expect(
        logUnacknowledged({
          target: 'COM',
          concernLevel: 'IMMEDIATE',
          assignee: 'pom1',
          createdAt: new Date('2026-11-20T14:00:00Z'),
          dueAt: new Date('2026-11-24T14:00:00Z'),
        }).detail,
      ).toBe(
        'Immediate concern for the COM escalated to pom1 on 2026-11-20, not acknowledged; due 2026-11-24',
      );
    });

    it('says so when the prisoner has no POM', () => {
      expect(
        logUnacknowledged({
          concernLevel: 'MEDIUM',
          assignee: null,
          createdAt: new Date('2026-11-20T14:00:00Z'),
          dueAt: new Date('2026-11-25T14:00:00Z'),
        }).detail,
      ).toBe(
        'Medium concern escalated to the POM (none assigned) on 2026-11-20, not acknowledged; due 2026-11-25',
      );
    });
  });

  describe('POM_CASELOAD_HIGH', () => {
    it('gives the caseload and the threshold; since is left to first seen', () => {
      expect(pomCaseloadHigh({ username: 'pom1', prisoners: 108, threshold: 80 })).toEqual({
        detail: 'pom1 has 108 prisoners (threshold 80)',
        since: null,
      });
    });
  });

  describe('NO_LISTENER_FOR_LANGUAGE', () => {
    it('names the language in English, counts the calls and dates the oldest; since is the oldest call', () => {
      const oldestStartedAt = new Date('2026-11-01T18:04:00Z');
      expect(noListenerForLanguage({ language: 'ro', calls: 12, oldestStartedAt })).toEqual({
        detail: '12 calls in Romanian wait; no listener here speaks it (oldest 2026-11-01)',
        since: oldestStartedAt,
      });
      expect(noListenerForLanguage({ language: 'ti', calls: 1, oldestStartedAt }).detail).toBe(
        '1 call in Tigrinya waits; no listener here speaks it (oldest 2026-11-01)',
      );
    });

    it('names common ISO 639-1 codes and falls back to the code', () => {
      expect(['pl', 'ro', 'ar', 'so', 'pa', 'ur', 'lt'].map(languageName)).toEqual([
        'Polish',
        'Romanian',
        'Arabic',
        'Somali',
        'Punjabi',
        'Urdu',
        'Lithuanian',
      ]);
      expect(languageName('qq')).toBe('qq');
      expect(languageName('not a code')).toBe('not a code');
    });
  });

  describe('UNHEARD_PURGE_DUE', () => {
    it('counts the calls, dates the first purge and the oldest call; since is 7 days before that purge', () => {
      const oldestStartedAt = new Date('2026-09-05T10:00:00Z');
      const purgeFrom = new Date('2026-12-04T10:00:00Z');
      expect(unheardPurgeDue({ calls: 3, oldestStartedAt, purgeFrom })).toEqual({
        detail:
          '3 calls not yet heard will be purged by retention, the first on 2026-12-04 (made 2026-09-05): hear or hold',
        since: new Date('2026-11-27T10:00:00Z'),
      });
      expect(unheardPurgeDue({ calls: 1, oldestStartedAt, purgeFrom }).detail).toBe(
        '1 call not yet heard will be purged by retention on 2026-12-04 (made 2026-09-05): hear or hold',
      );
    });
  });

  describe('CONSIDER_MONITORING', () => {
    const since = new Date('2026-11-18T08:00:00Z');

    it('gives the most telling alert and asks for an authorisation to be considered', () => {
      expect(
        considerMonitoring({
          reasons: ['43 calls to 07911 123456 in 24 hours (new number)'],
          since,
        }),
      ).toEqual({
        detail:
          '43 calls to 07911 123456 in 24 hours (new number); not on monitoring: consider an authorisation',
        since,
      });
    });

    it('counts the other alerts', () => {
      expect(considerMonitoring({ reasons: ['a', 'b'], since }).detail).toBe(
        'a (and 1 more pattern alert); not on monitoring: consider an authorisation',
      );
      expect(considerMonitoring({ reasons: ['a', 'b', 'c'], since }).detail).toBe(
        'a (and 2 more pattern alerts); not on monitoring: consider an authorisation',
      );
    });
  });

  describe('NO_ELIGIBLE_LISTENER', () => {
    const oldestStartedAt = new Date('2026-11-20T18:04:00Z');

    it('counts the calls and says what they need, trainings in a fixed order', () => {
      expect(
        noEligibleListener({
          calls: 3,
          oldestStartedAt,
          trainings: ['CHILD_SAFEGUARDING', 'PUBLIC_PROTECTION'],
          languages: [],
        }),
      ).toEqual({
        detail:
          '3 calls wait that no current listener here may take (needs current public protection and child safeguarding training); oldest 2026-11-20',
        since: oldestStartedAt,
      });
    });

    it('names a language, and says nothing is needed when the calls need nothing special', () => {
      expect(
        noEligibleListener({
          calls: 1,
          oldestStartedAt,
          trainings: ['DOMESTIC_ABUSE'],
          languages: ['pl'],
        }).detail,
      ).toBe(
        '1 call waits that no current listener here may take (needs current domestic abuse training and Polish); oldest 2026-11-20',
      );
      expect(
        noEligibleListener({ calls: 2, oldestStartedAt, trainings: [], languages: [] }).detail,
      ).toBe('2 calls wait that no current listener here may take; oldest 2026-11-20');
    });
  });

  describe('RANDOM_ONLY_HIGH_RISK', () => {
    const since = new Date('2026-10-01T09:00:00Z');

    it('names the risk and the channels only random monitoring covers', () => {
      expect(
        randomOnlyHighRisk({ mappaLevel: 2, roshLevel: 'HIGH', channels: ['PHONE'], since }),
      ).toEqual({
        detail:
          'MAPPA level 2: phone monitoring is random only (the lowest priority); consider offence-related or intelligence-led monitoring',
        since,
      });
      expect(
        randomOnlyHighRisk({
          mappaLevel: 3,
          roshLevel: 'VERY_HIGH',
          channels: ['MAIL', 'PHONE'],
          since,
        }).detail,
      ).toMatch(/^MAPPA level 3, RoSH very high: phone and mail monitoring is random only/);
      expect(
        randomOnlyHighRisk({ mappaLevel: 1, roshLevel: 'VERY_HIGH', channels: ['PHONE'], since })
          .detail,
      ).toMatch(/^RoSH very high: phone/);
    });
  });

  it('lists channels in words', () => {
    expect(channelsInWords(['PHONE'])).toBe('phone');
    expect(channelsInWords(['MAIL', 'PHONE'])).toBe('phone and mail');
    expect(channelsInWords([])).toBe('');
  });
});

describe('COM_NOT_ALLOCATED', () => {
  it('adds whole months on the calendar and the fraction as days of an average month', () => {
    expect(addMonthsToDate(TODAY, 8.5)).toBe('2027-08-11');
    expect(addMonthsToDate(TODAY, 8)).toBe('2027-07-27');
    expect(addMonthsToDate('2027-01-31', 1)).toBe('2027-02-28');
    expect(addMonthsToDate('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonthsToDate('2027-08-11', -8.5)).toBe('2026-11-26');
    expect(addMonthsToDate('2026-11-27', -1)).toBe('2026-10-27');
  });

  it('says when release is and how long before it a COM is due; since the window opened', () => {
    expect(comNotAllocated({ releaseDate: '2027-03-01', months: 8.5 }, TODAY)).toEqual({
      detail:
        'No community offender manager recorded, release in 94 days (2027-03-01); one is due 8.5 months before release',
      since: new Date('2026-06-16T00:00:00Z'),
    });
    expect(comNotAllocated({ releaseDate: TODAY, months: 6 }, TODAY).detail).toContain(
      'release today',
    );
    expect(comNotAllocated({ releaseDate: '2026-11-28', months: 6 }, TODAY).detail).toContain(
      'release in 1 day (',
    );
  });
});
