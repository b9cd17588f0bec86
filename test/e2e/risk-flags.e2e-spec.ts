import { Clock } from '../../src/common/clock';
import { bearer, startApi, TestApi } from '../support/api';
import { Scenario, Staffer } from '../support/scenario';

/**
 * Risk flags against a fixed clock and a hand-built establishment. The expected flags are written out
 * here from the dataset and FIXED (not from the product's rules module) and compared field by field.
 *
 * FIXED lies in winter (GMT), and every instant the details date does too, so a London date is the
 * UTC date here. MonitoringService.expireDue() decides by the database clock, not Clock, so the ends
 * of authorisations meant to expire are set days before FIXED: the real clock has passed them too.
 */
const FIXED = new Date('2026-11-27T10:00:00Z');
const TODAY = '2026-11-27';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ALL_TRAININGS = ['PUBLIC_PROTECTION', 'DOMESTIC_ABUSE', 'CHILD_SAFEGUARDING'];
const TYPE_ORDER = [
  'MAPPA_LEVEL_NOT_SET_PRE_RELEASE',
  'MAPPA_L1_REVIEW_OVERDUE',
  'COM_NOT_ALLOCATED',
  'MONITORING_REVIEW_OVERDUE',
  'MONITORING_EXPIRED',
  'HIGH_RISK_NOT_MONITORED',
  'LOG_UNACKNOWLEDGED',
  'POM_CASELOAD_HIGH',
  'NO_LISTENER_FOR_LANGUAGE',
];

/** FIXED moved by a number of days (negative: before). */
const at = (days: number) => new Date(FIXED.getTime() + days * DAY);
const dateOf = (d: Date) => d.toISOString().slice(0, 10);
const dateAfter = (isoDate: string, days: number) =>
  dateOf(new Date(Date.parse(`${isoDate}T00:00:00Z`) + days * DAY));
const midnight = (isoDate: string) => `${isoDate}T00:00:00.000Z`;

interface Flag {
  type: string;
  establishmentCode: string;
  prisonNumber: string | null;
  subject: string;
  detail: string;
  since: string;
  firstSeenAt: string;
}
type Expected = Pick<Flag, 'type' | 'prisonNumber' | 'subject' | 'detail' | 'since'>;

const highLog = (token: string) => ({
  token,
  contact: { contactId: null, relationship: 'EX_PARTNER', confidence: 'CONFIRMED' },
  themes: [{ code: 'THREATS_TO_HARM', note: 'threatened to find her on release' }],
  threats: [{ target: 'ex-partner', type: 'PHYSICAL', imminence: 'ON_RELEASE' }],
  concernLevel: 'HIGH',
  summary: 'Spoke to his ex-partner; said she would pay when he is released.',
  recordingQuality: 'GOOD',
});

describe('risk flags', () => {
  let api: TestApi;
  let s: Scenario;
  let head: Staffer;
  let securityManager: Staffer;
  let listener: Staffer;
  let elsewhereHead: Staffer;
  /** The dataset: who is who, and the expected flags written out from it. */
  const p: Record<string, string> = {};
  let expected: Expected[];
  let expiredPendingCallIds: string[];

  const get = (who: Staffer, query = `?establishment=${s.establishment}`) =>
    api.http.get(`/api/risk-flags${query}`).set(bearer(who.token));
  const flags = async (query?: string) => {
    const res = await get(head, query).expect(200);
    const body = res.body as { items: Flag[]; total: number };
    expect(body.total).toBe(body.items.length);
    return body.items;
  };
  const fields = (items: Flag[]): Expected[] =>
    items.map(({ type, prisonNumber, subject, detail, since }) => ({
      type,
      prisonNumber,
      subject,
      detail,
      since,
    }));
  const inListOrder = (list: Expected[]) =>
    [...list].sort(
      (a, b) =>
        TYPE_ORDER.indexOf(a.type) - TYPE_ORDER.indexOf(b.type) ||
        a.since.localeCompare(b.since) ||
        a.subject.localeCompare(b.subject),
    );

  /** Requests (security manager) and approves (head of OMU) an authorisation; returns it. */
  const authorise = async (prisonNumber: string, body: Record<string, unknown>) => {
    const requested = await api.http
      .post(`/api/prisoners/${prisonNumber}/monitoring-authorisations`)
      .set(bearer(securityManager.token))
      .send({
        type: 'OFFENCE_RELATED',
        grounds: ['PUBLIC_SAFETY'],
        channels: ['PHONE'],
        justification: 'Risk to a former partner; calls must be heard to manage it.',
        startsAt: at(-30).toISOString(),
        ...body,
      })
      .expect(201);
    const approved = await api.http
      .post(`/api/monitoring-authorisations/${requested.body.id}/approve`)
      .set(bearer(head.token))
      .send({})
      .expect(200);
    return approved.body as { id: string; reviewDueAt: string };
  };
  const call = (prisonNumber: string, startedAt: Date, extra: Record<string, unknown> = {}) =>
    s.call(prisonNumber, { startedAt: startedAt.toISOString(), ...extra });
  const sql = (text: string, params: unknown[]) => api.db.query(text, params);

  beforeAll(async () => {
    api = await startApi();
    jest.spyOn(api.app.get(Clock), 'now').mockReturnValue(FIXED);

    s = await Scenario.create(api);
    const other = await Scenario.create(api);
    [head, securityManager, listener, elsewhereHead] = await Promise.all([
      s.staff(['HEAD_OF_OMU']),
      s.staff(['SECURITY_MANAGER']),
      s.staff(['LISTENER'], { trainings: ALL_TRAININGS, languages: ['pl'] }),
      other.staff(['HEAD_OF_OMU', 'SECURITY_MANAGER']),
    ]);
    const [pomA, pomB] = await Promise.all([s.staff(['POM']), s.staff(['POM'])]);
    await sql(
      `UPDATE establishments SET settings = '{"pomCaseloadThreshold": 2}' WHERE code = $1`,
      [s.establishment],
    );

    // LOG_UNACKNOWLEDGED: two HIGH logs escalated to pomB (whose caseload is exactly the threshold).
    // Logged first, while their calls are the only ones waiting, so the listener claims exactly them.
    for (const name of ['escalationOverdue', 'escalationNotDue']) {
      p[name] = await s.prisoner({ pomUsername: pomB.username });
      await authorise(p[name], {});
      await s.ingestAndTriage([call(p[name], at(-2 / 24))]);
      const claimed = await s.claim(listener).expect(200);
      expect(claimed.body.call.prisonNumber).toBe(p[name]);
      await api.http
        .post(`/api/calls/${claimed.body.call.id}/log`)
        .set(bearer(listener.token))
        .send(highLog(claimed.body.claim.token))
        .expect(201);
    }
    // Escalated a week ago, due six days ago, never acknowledged. Its IRMM twin is overdue as well
    // but is not the POM's, so it must not flag.
    await sql(
      `UPDATE escalations SET created_at = $2, due_at = $3 WHERE prison_number = $1 AND target = 'POM'`,
      [p.escalationOverdue, at(-7), at(-6)],
    );
    await sql(`UPDATE escalations SET due_at = $2 WHERE prison_number = $1 AND target = 'IRMM'`, [
      p.escalationOverdue,
      at(-6),
    ]);
    const [escalation] = await sql(
      `SELECT id FROM escalations WHERE prison_number = $1 AND target = 'POM'`,
      [p.escalationOverdue],
    );
    const [notDue] = await sql(
      `SELECT due_at AS "dueAt" FROM escalations WHERE prison_number = $1 AND target = 'POM'`,
      [p.escalationNotDue],
    );
    expect((notDue.dueAt as Date).getTime()).toBeGreaterThan(FIXED.getTime());

    // MAPPA level not set before release: 94 days and exactly 183 days flag; 200 days does not.
    p.preRelease = await s.prisoner({
      alertCodes: ['P55'],
      earliestReleaseDate: dateAfter(TODAY, 94),
    });
    // COM_NOT_ALLOCATED: preRelease has no COM (release within 8.5 months); these two have one, and
    // comNotDue has none but release 300 days off (8.5 months from FIXED is 257 days).
    const com = { name: 'Sam Okafor', email: 'sam.okafor@justice.gov.uk' };
    p.preReleaseEdge = await s.prisoner({
      alertCodes: ['P11'],
      earliestReleaseDate: dateAfter(TODAY, 183),
      com,
    });
    p.farFromRelease = await s.prisoner({
      alertCodes: ['P55'],
      earliestReleaseDate: dateAfter(TODAY, 200),
      com,
    });
    p.comNotDue = await s.prisoner({ earliestReleaseDate: dateAfter(TODAY, 300) });

    // MAPPA level 1 reviews: 271 days ago and never flag; 100 days ago does not.
    p.l1Stale = await s.prisoner({ alertCodes: ['P66'] });
    p.l1Never = await s.prisoner({ alertCodes: ['P22'] });
    p.l1Recent = await s.prisoner({ alertCodes: ['P66'] });
    await sql(`UPDATE prisoners SET mappa_level_reviewed_at = $2 WHERE prison_number = $1`, [
      p.l1Stale,
      dateAfter(TODAY, -271),
    ]);
    await sql(`UPDATE prisoners SET mappa_level_reviewed_at = $2 WHERE prison_number = $1`, [
      p.l1Recent,
      dateAfter(TODAY, -100),
    ]);

    // Monitoring review overdue: started 120 days ago, so its review fell due 29 days ago.
    p.reviewOverdue = await s.prisoner();
    const overdue = await authorise(p.reviewOverdue, { startsAt: at(-120).toISOString() });
    p.overdueAuthorisation = overdue.id;
    p.reviewDueAt = overdue.reviewDueAt;

    // Monitoring expired 3 days ago with two calls still waiting from before and two made since.
    // Near misses: one expired 40 days ago; one expired but followed by another active authorisation.
    p.expired = await s.prisoner();
    p.expiredLongAgo = await s.prisoner();
    p.renewed = await s.prisoner();
    const ending = await Promise.all(
      [p.expired, p.expiredLongAgo, p.renewed].map((n) =>
        authorise(n, { startsAt: at(-60).toISOString(), endsAt: at(30).toISOString() }),
      ),
    );
    await authorise(p.renewed, { startsAt: at(-4).toISOString() });
    await s.ingestAndTriage([call(p.expired, at(-10)), call(p.expired, at(-5))]);
    expiredPendingCallIds = (await s.callsOf(p.expired)).map((c) => c.id);
    expect((await s.callsOf(p.expired)).map((c) => c.status)).toEqual(['PENDING', 'PENDING']);
    for (const [authorisation, endsAt] of [
      [ending[0], at(-3)],
      [ending[1], at(-40)],
      [ending[2], at(-3)],
    ] as const) {
      await sql(`UPDATE monitoring_authorisations SET ends_at = $2 WHERE id = $1`, [
        authorisation.id,
        endsAt,
      ]);
    }
    await s.ingestAndTriage([call(p.expired, at(-2)), call(p.expired, at(-1))]);

    // High risk, not on phone monitoring: RDV + RoSH high with nothing; RSP + RoSH very high with
    // mail only. Near misses: RDV with RoSH medium; RDV + RoSH high with an active phone authorisation.
    p.domesticAbuse = await s.prisoner({ alertCodes: ['RDV', 'ROH'] });
    p.stalkingMailOnly = await s.prisoner({ alertCodes: ['RSP', 'ROV'] });
    await authorise(p.stalkingMailOnly, { channels: ['MAIL'] });
    p.domesticAbuseMedium = await s.prisoner({ alertCodes: ['RDV', 'ROM'] });
    p.domesticAbuseMonitored = await s.prisoner({ alertCodes: ['RDV', 'ROH'] });
    await authorise(p.domesticAbuseMonitored, {});

    // POM caseload above the threshold of 2: pomA has 3 (pomB has exactly 2, above).
    p.pomA = pomA.username;
    p.pomB = pomB.username;
    for (let i = 0; i < 3; i += 1) await s.prisoner({ pomUsername: pomA.username });

    // Calls in Romanian wait for a listener; the Polish call does not (the listener speaks Polish).
    p.speaker = await s.prisoner();
    await authorise(p.speaker, {});
    await s.ingestAndTriage([
      call(p.speaker, at(-3), { language: 'ro' }),
      call(p.speaker, at(-1), { language: 'ro' }),
      call(p.speaker, at(-1), { language: 'pl' }),
    ]);
    // Two calls share a start time, so compare the statuses without relying on their order.
    expect((await s.callsOf(p.speaker)).map((c) => c.status).sort()).toEqual([
      'AWAITING_TRANSLATION',
      'AWAITING_TRANSLATION',
      'PENDING',
    ]);

    const reviewDue = new Date(p.reviewDueAt);
    expect(reviewDue.getTime()).toBe(at(-120).getTime() + 91 * DAY);
    const fixed = FIXED.toISOString();
    expected = inListOrder([
      {
        type: 'MAPPA_LEVEL_NOT_SET_PRE_RELEASE',
        prisonNumber: p.preRelease,
        subject: p.preRelease,
        detail: 'MAPPA category 2, level not set, release in 94 days',
        since: midnight(dateAfter(TODAY, 94 - 183)),
      },
      {
        type: 'MAPPA_LEVEL_NOT_SET_PRE_RELEASE',
        prisonNumber: p.preReleaseEdge,
        subject: p.preReleaseEdge,
        detail: 'MAPPA category 1, level not set, release in 183 days',
        since: midnight(TODAY),
      },
      {
        type: 'MAPPA_L1_REVIEW_OVERDUE',
        prisonNumber: p.l1Stale,
        subject: p.l1Stale,
        detail: `MAPPA level 1, last reviewed ${dateAfter(TODAY, -271)} (271 days ago)`,
        // Overdue from the first day the review was more than 183 days old.
        since: midnight(dateAfter(TODAY, -271 + 184)),
      },
      {
        type: 'COM_NOT_ALLOCATED',
        prisonNumber: p.preRelease,
        subject: p.preRelease,
        detail: `No community offender manager recorded, release in 94 days (${dateAfter(TODAY, 94)}); one is due 8.5 months before release`,
        // 8 months and 15 days before 1 March 2027.
        since: midnight('2026-06-16'),
      },
      {
        type: 'MAPPA_L1_REVIEW_OVERDUE',
        prisonNumber: p.l1Never,
        subject: p.l1Never,
        detail: 'MAPPA level 1, no review recorded',
        since: fixed,
      },
      {
        type: 'MONITORING_REVIEW_OVERDUE',
        prisonNumber: p.reviewOverdue,
        subject: p.overdueAuthorisation,
        detail: `Offence-related phone monitoring review was due ${dateOf(reviewDue)} (29 days overdue)`,
        since: reviewDue.toISOString(),
      },
      {
        type: 'MONITORING_EXPIRED',
        prisonNumber: p.expired,
        subject: p.expired,
        detail: `Phone monitoring expired on ${dateOf(at(-3))}; no authorisation since; 2 calls since not heard`,
        since: at(-3).toISOString(),
      },
      {
        type: 'HIGH_RISK_NOT_MONITORED',
        prisonNumber: p.domesticAbuse,
        subject: p.domesticAbuse,
        detail: 'Domestic-abuse perpetrator, RoSH high, not on phone monitoring',
        since: fixed,
      },
      {
        type: 'HIGH_RISK_NOT_MONITORED',
        prisonNumber: p.stalkingMailOnly,
        subject: p.stalkingMailOnly,
        detail: 'Stalking perpetrator, RoSH very high, not on phone monitoring',
        since: fixed,
      },
      {
        type: 'LOG_UNACKNOWLEDGED',
        prisonNumber: p.escalationOverdue,
        subject: escalation.id as string,
        detail: `High concern escalated to ${pomB.username} on ${dateOf(at(-7))}, not acknowledged; due ${dateOf(at(-6))}`,
        since: at(-6).toISOString(),
      },
      {
        type: 'POM_CASELOAD_HIGH',
        prisonNumber: null,
        subject: pomA.username,
        detail: `${pomA.username} has 3 prisoners (threshold 2)`,
        since: fixed,
      },
      {
        type: 'NO_LISTENER_FOR_LANGUAGE',
        prisonNumber: null,
        subject: 'ro',
        detail: `2 calls in Romanian wait; no listener here speaks it (oldest ${dateOf(at(-3))})`,
        since: at(-3).toISOString(),
      },
    ]);
  });

  afterAll(async () => {
    await api.close();
  });

  it('raises every flag type, with the expected detail and since, and none for the near misses', async () => {
    const items = await flags();
    expect(fields(items)).toEqual(expected);
    expect(new Set(items.map((f) => f.type))).toEqual(new Set(TYPE_ORDER));
    for (const f of items) {
      expect(f.establishmentCode).toBe(s.establishment);
      expect(f.firstSeenAt).toBe(FIXED.toISOString());
    }
    const named = new Set(items.map((f) => f.prisonNumber));
    for (const nearMiss of [
      'farFromRelease',
      'comNotDue',
      'l1Recent',
      'expiredLongAgo',
      'renewed',
      'domesticAbuseMedium',
      'domesticAbuseMonitored',
      'escalationNotDue',
    ]) {
      expect([nearMiss, named.has(p[nearMiss])]).toEqual([nearMiss, false]);
    }
    expect(items.map((f) => f.subject)).not.toContain(p.pomB);
    expect(items.map((f) => f.subject)).not.toContain('pl');
  });

  it('stops listening at once: the expired authorisation is expired and its pending calls leave the queue', async () => {
    await flags();
    const calls = await s.callsOf(p.expired);
    expect(calls.map((c) => c.status)).toEqual([
      'NOT_MONITORED',
      'NOT_MONITORED',
      'NOT_MONITORED',
      'NOT_MONITORED',
    ]);
    expect(calls.slice(0, 2).map((c) => c.id)).toEqual(expiredPendingCallIds);
    const statuses: { status: string }[] = await sql(
      `SELECT status FROM monitoring_authorisations WHERE prison_number = ANY($1) AND ends_at IS NOT NULL
       ORDER BY ends_at`,
      [[p.expired, p.expiredLongAgo]],
    );
    expect(statuses.map((a) => a.status)).toEqual(['EXPIRED', 'EXPIRED']);
  });

  it('a second read changes nothing but last_seen_at', async () => {
    const stored = () =>
      sql(
        `SELECT id, type, subject, prison_number, detail, since, first_seen_at, last_seen_at, resolved_at
         FROM risk_flags WHERE establishment_code = $1 ORDER BY id`,
        [s.establishment],
      );
    const first = await flags();
    const before = await stored();
    const later = new Date(FIXED.getTime() + 5 * 60_000);
    jest.spyOn(api.app.get(Clock), 'now').mockReturnValue(later);
    try {
      const second = await flags();
      expect(second).toEqual(first);
      const after = await stored();
      expect(after).toEqual(before.map((row: object) => ({ ...row, last_seen_at: later })));
    } finally {
      jest.spyOn(api.app.get(Clock), 'now').mockReturnValue(FIXED);
    }
  });

  it('filters by type', async () => {
    const items = await flags(`?establishment=${s.establishment}&type=HIGH_RISK_NOT_MONITORED`);
    expect(fields(items)).toEqual(expected.filter((f) => f.type === 'HIGH_RISK_NOT_MONITORED'));
    // Without an establishment: every establishment the head works at (here, just this one).
    expect(fields(await flags(''))).toEqual(expected);
  });

  it("shows a prisoner's open flags on their profile", async () => {
    await flags();
    const flagged = expected.find((f) => f.type === 'HIGH_RISK_NOT_MONITORED')!;
    const profile = await api.http
      .get(`/api/prisoners/${flagged.prisonNumber}`)
      .set(bearer(head.token))
      .expect(200);
    expect(fields(profile.body.riskFlags)).toEqual(
      expected.filter((f) => f.prisonNumber === flagged.prisonNumber),
    );
  });

  it('refuses a bad query, a listener, and the head of another establishment', async () => {
    await get(head, `?establishment=${s.establishment}&type=NOT_A_FLAG`).expect(400);
    await get(head, `?establishment=${s.establishment.toLowerCase()}`).expect(400);
    await get(listener).expect(403);
    await get(elsewhereHead).expect(403);
    await get(securityManager).expect(200);
  });

  it('records one audit event per read of an establishment', async () => {
    const count = async () =>
      (
        await sql(
          `SELECT count(*)::int AS n FROM audit_events
           WHERE action = 'RISK_FLAGS_READ' AND entity_type = 'establishment' AND entity_id = $1
             AND username = $2`,
          [s.establishment, head.username],
        )
      )[0].n as number;
    const before = await count();
    await flags();
    expect(await count()).toBe(before + 1);
    const [event] = await sql(
      `SELECT details FROM audit_events WHERE action = 'RISK_FLAGS_READ' AND username = $1
       ORDER BY id DESC LIMIT 1`,
      [head.username],
    );
    expect(new Set(event.details.prisonNumbers)).toEqual(
      new Set(expected.flatMap((f) => (f.prisonNumber ? [f.prisonNumber] : []))),
    );
  });

  it('resolves a flag on the next read once its condition is gone', async () => {
    await flags();
    await authorise(p.domesticAbuse, {});
    const items = await flags();
    expect(fields(items)).toEqual(expected.filter((f) => f.prisonNumber !== p.domesticAbuse));
    const rows: { resolvedAt: Date | null }[] = await sql(
      `SELECT resolved_at AS "resolvedAt" FROM risk_flags
       WHERE establishment_code = $1 AND type = 'HIGH_RISK_NOT_MONITORED' AND subject = $2`,
      [s.establishment, p.domesticAbuse],
    );
    expect(rows.map((r) => r.resolvedAt)).toEqual([FIXED]);
  });
});
