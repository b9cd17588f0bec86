import { Clock } from '../../src/common/clock';
import { DEFAULT_SETTINGS } from '../../src/establishments/settings';
import { OversightService } from '../../src/oversight/oversight.service';
import { bearer, startApi, TestApi } from '../support/api';
import { randomMobile, Scenario } from '../support/scenario';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const TIERS = ['P1', 'P2', 'P3', 'P4'] as const;
type Tier = (typeof TIERS)[number];

/**
 * The clock is fixed at noon (UTC) tomorrow, so that what the database stamps with its own clock
 * (logs, claims) falls inside the last seven days and before every due time used here.
 */
const FIXED = new Date(Math.floor(Date.now() / DAY) * DAY + DAY + 12 * HOUR);
const ago = (ms: number) => new Date(FIXED.getTime() - ms).toISOString();

interface Planned {
  key: string;
  prisoner: 'ordinary' | 'level2' | 'level3' | 'random' | 'unmonitored' | 'ended';
  ageMs: number;
  tier: Tier | null;
  status: string;
  privileged?: boolean;
}

describe('oversight for heads of offender management', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi();
    jest.spyOn(api.app.get(Clock), 'now').mockReturnValue(FIXED);
  });

  afterAll(async () => {
    jest.restoreAllMocks();
    await api.close();
  });

  it('computes the backlog summary, age buckets, breaches and reconciliation of a hand-built prison field by field', async () => {
    const s = await Scenario.create(api);
    const head = await s.staff(['HEAD_OF_OMU']);
    const security = await s.staff(['SECURITY_MANAGER']);
    const listener = await s.staff(['LISTENER'], {
      trainings: ['PUBLIC_PROTECTION', 'DOMESTIC_ABUSE'],
    });
    const prisoners = {
      ordinary: await s.prisoner(),
      level2: await s.prisoner({ alertCodes: ['P77'] }),
      level3: await s.prisoner({ alertCodes: ['P88'], leadListenerUsername: listener.username }),
      random: await s.prisoner(),
      unmonitored: await s.prisoner(),
      ended: await s.prisoner(),
    };
    const window = { startsAt: ago(60 * DAY) };
    for (const key of ['ordinary', 'level2', 'level3', 'ended'] as const)
      await s.authorise(prisoners[key], window);
    await s.authorise(prisoners.random, { ...window, type: 'RANDOM' });
    const privilegedNumber = randomMobile();
    await s.privilegedNumber(privilegedNumber, s.adminToken, 'Test Solicitors');

    const plan: Planned[] = [
      { key: 'a-2h', prisoner: 'ordinary', ageMs: 2 * HOUR, tier: 'P3', status: 'PENDING' },
      { key: 'a-30h', prisoner: 'ordinary', ageMs: 30 * HOUR, tier: 'P3', status: 'PENDING' },
      { key: 'a-5d', prisoner: 'ordinary', ageMs: 5 * DAY, tier: 'P3', status: 'PENDING' },
      { key: 'a-10d', prisoner: 'ordinary', ageMs: 10 * DAY, tier: 'P3', status: 'PENDING' },
      // Waiting past twice the P3 SLA (14 days), it has climbed to P2 (ageing) and is heard next.
      { key: 'a-40d', prisoner: 'ordinary', ageMs: 40 * DAY, tier: 'P2', status: 'CLAIMED' },
      {
        key: 'a-priv',
        prisoner: 'ordinary',
        ageMs: 3 * DAY,
        tier: null,
        status: 'EXCLUDED_PRIVILEGED',
        privileged: true,
      },
      { key: 'b-12h', prisoner: 'level2', ageMs: 12 * HOUR, tier: 'P2', status: 'PENDING' },
      { key: 'b-4d', prisoner: 'level2', ageMs: 4 * DAY, tier: 'P2', status: 'PENDING' },
      { key: 'c-30h', prisoner: 'level3', ageMs: 30 * HOUR, tier: 'P1', status: 'LOGGED' },
      { key: 'v-20d', prisoner: 'random', ageMs: 20 * DAY, tier: 'P4', status: 'PENDING' },
      // P4 for 28 days, then P3 (ageing): it waits in the over-30-days bucket.
      { key: 'v-35d', prisoner: 'random', ageMs: 35 * DAY, tier: 'P3', status: 'PENDING' },
      { key: 'd-1d', prisoner: 'unmonitored', ageMs: 1 * DAY, tier: null, status: 'NOT_MONITORED' },
      { key: 'd-2d', prisoner: 'unmonitored', ageMs: 2 * DAY, tier: null, status: 'NOT_MONITORED' },
      { key: 'e-6d', prisoner: 'ended', ageMs: 6 * DAY, tier: null, status: 'NOT_MONITORED' },
    ];
    const records = plan.map((p) =>
      s.call(prisoners[p.prisoner], {
        startedAt: ago(p.ageMs),
        durationSeconds: 420,
        ...(p.privileged ? { dialledNumber: privilegedNumber } : {}),
      }),
    );
    await s.ingestAndTriage(records);
    const idOf = new Map(plan.map((p, i) => [p.key, records[i].externalId as string]));
    const callId = async (key: string) =>
      (
        await api.db.query<{ id: string }[]>(`SELECT id FROM calls WHERE external_id = $1`, [
          idOf.get(key),
        ])
      )[0].id;

    // A call received but never triaged (its job was lost), and monitoring of "ended" ended early.
    const lost = s.call(prisoners.ordinary, { startedAt: ago(3 * DAY) });
    await s.ingest([lost]);
    const endedAuth: { id: string }[] = await api.db.query(
      `SELECT id FROM monitoring_authorisations WHERE prison_number = $1`,
      [prisoners.ended],
    );
    await api.http
      .post(`/api/monitoring-authorisations/${endedAuth[0].id}/end`)
      .set(bearer(head.token))
      .send({ reason: 'Risk reassessed' })
      .expect(200);

    // The listener hears the P1 call (held for nine minutes) and claims the next (the P3 call of 40
    // days, aged to P2 and due long before the P2 one of 4 days).
    const first = await s.claim(listener).expect(200);
    expect(first.body.call.id).toBe(await callId('c-30h'));
    await api.db.query(`UPDATE calls SET claimed_at = now() - interval '9 minutes' WHERE id = $1`, [
      first.body.call.id,
    ]);
    await api.http
      .post(`/api/calls/${first.body.call.id}/log`)
      .set(bearer(listener.token))
      .send({
        token: first.body.claim.token,
        contact: { relationship: 'FRIEND', confidence: 'PROBABLE' },
        themes: [{ code: 'RELEASE_PLANNING' }],
        concernLevel: 'LOW',
        summary:
          'Talked with a friend about a job offer at a garage after release; nothing of concern.',
        recordingQuality: 'GOOD',
      })
      .expect(201);
    const second = await s.claim(listener).expect(200);
    expect(second.body.call.id).toBe(await callId('a-40d'));

    // What the statuses must be, as planned.
    for (const p of plan) {
      const rows: { status: string; tier: string | null }[] = await api.db.query(
        `SELECT status, tier FROM calls WHERE external_id = $1`,
        [idOf.get(p.key)],
      );
      expect({ key: p.key, ...rows[0] }).toEqual({ key: p.key, status: p.status, tier: p.tier });
    }

    // The expected summary, computed here from the plan.
    const sla: Record<Tier, number> = DEFAULT_SETTINGS.slaHours;
    const pending = plan.filter((p) => p.status === 'PENDING');
    const byTier = Object.fromEntries(
      TIERS.map((t) => {
        const calls = pending.filter((p) => p.tier === t);
        const oldest = calls.length ? Math.max(...calls.map((c) => c.ageMs)) : null;
        return [
          t,
          {
            count: calls.length,
            breached: calls.filter((c) => c.ageMs > sla[t] * HOUR).length,
            oldestStartedAt: oldest === null ? null : ago(oldest),
          },
        ];
      }),
    );
    const bucket = (lo: number, hi: number) =>
      pending.filter((p) => p.ageMs >= lo && p.ageMs < hi).length;
    const arrivals = plan.filter((p) => p.tier !== null && p.ageMs < 7 * DAY).length;
    const round1 = (n: number) => Math.round(n * 10) / 10;
    const expected = {
      establishmentCode: s.establishment,
      generatedAt: FIXED.toISOString(),
      pending: { total: pending.length, byTier },
      ageBuckets: {
        '0-24h': bucket(0, DAY),
        '1-3d': bucket(DAY, 3 * DAY),
        '3-7d': bucket(3 * DAY, 7 * DAY),
        '7-30d': bucket(7 * DAY, 30 * DAY),
        '30d+': bucket(30 * DAY, Infinity),
      },
      claimed: 1,
      awaitingTranslation: 0,
      // One log, written before the call's due time; more arrive than are logged, so it never clears.
      last7Days: {
        arrivalsPerDay: round1(arrivals / 7),
        logsPerDay: round1(1 / 7),
        loggedWithinSlaPercent: 100,
      },
      projectedClearanceDays: null,
      requiredListenerHoursPerDay: round1(((arrivals / 7) * 9) / 60),
      meanHandlingMinutes: 9,
      // Nothing here is near the end of retention (retention.e2e-spec counts those).
      purgeUnheardNext7Days: 0,
    };
    const summary = await api.http
      .get(`/api/backlog/summary?establishment=${s.establishment}`)
      .set(bearer(head.token))
      .expect(200);
    expect(summary.body).toEqual(expected);
    expect(summary.body.ageBuckets).toEqual({
      '0-24h': 2,
      '1-3d': 1,
      '3-7d': 2,
      '7-30d': 2,
      '30d+': 1,
    });

    // Reconciliation over the 60 days: every covered call accounted for; the lost one unexplained.
    const rec = await api.http
      .get(
        `/api/reconciliation?establishment=${s.establishment}&from=${ago(60 * DAY)}&to=${FIXED.toISOString()}`,
      )
      .set(bearer(security.token))
      .expect(200);
    expect(rec.body).toEqual({
      establishmentCode: s.establishment,
      from: ago(60 * DAY),
      to: FIXED.toISOString(),
      total: plan.filter((p) => p.prisoner !== 'unmonitored').length + 1,
      logged: 1,
      unusable: 0,
      pending: pending.length,
      claimed: 1,
      excluded: { total: 2, privileged: 1, monitoringEnded: 1 },
      unexplained: {
        total: 1,
        items: [
          {
            callId: expect.any(String),
            prisonNumber: prisoners.ordinary,
            startedAt: ago(3 * DAY),
            status: 'RECEIVED',
            reason: 'received but never triaged',
          },
        ],
      },
    });

    // Listeners' workload.
    const listeners = await api.http
      .get(`/api/backlog/listeners?establishment=${s.establishment}`)
      .set(bearer(head.token))
      .expect(200);
    expect(listeners.body.items).toEqual([
      expect.objectContaining({
        username: listener.username,
        claimedNow: 1,
        logged7Days: 1,
        meanHandlingMinutes: 9,
        leadPrisoners: [prisoners.level3],
        trainings: ['PUBLIC_PROTECTION', 'DOMESTIC_ABUSE'],
      }),
    ]);

    // Staffing forecast from the last 28 days' arrivals.
    const forecast = await api.http
      .get(`/api/backlog/forecast?establishment=${s.establishment}&listeners=1&hoursPerDay=7.5`)
      .set(bearer(head.token))
      .expect(200);
    const arrivals28 = plan.filter((p) => p.tier !== null && p.ageMs < 28 * DAY);
    expect(forecast.body.tiers.P3.arrivalsPerDay).toBeCloseTo(
      arrivals28.filter((p) => p.tier === 'P3').length / 28,
      1,
    );
    expect(forecast.body.tiers.P3.backlog).toBe(byTier.P3.count);
    expect(forecast.body.capacityPerDay).toBeCloseTo((7.5 * 60) / 9, 1);
    expect(forecast.body.smallestListenersMeetingAllSlas).toEqual(expect.any(Number));
    await api.http
      .get(`/api/backlog/forecast?establishment=${s.establishment}&listeners=-1&hoursPerDay=30`)
      .set(bearer(head.token))
      .expect(400);

    // A listener may not see any of it; nor may another prison's head.
    await api.http
      .get(`/api/backlog/summary?establishment=${s.establishment}`)
      .set(bearer(listener.token))
      .expect(403);
    const elsewhere = await Scenario.create(api);
    const otherHead = await elsewhere.staff(['HEAD_OF_OMU']);
    await api.http
      .get(`/api/backlog/summary?establishment=${s.establishment}`)
      .set(bearer(otherHead.token))
      .expect(403);
  });

  it('re-scores pending calls when the SLAs change', async () => {
    const s = await Scenario.create(api);
    const head = await s.staff(['HEAD_OF_OMU']);
    const prisoner = await s.prisoner();
    await s.authorise(prisoner, { startsAt: ago(30 * DAY) });
    await s.ingestAndTriage([s.call(prisoner, { startedAt: ago(3 * DAY) })]);
    const dueAt = async () =>
      (
        await api.db.query<{ due_at: Date }[]>(
          `SELECT due_at FROM calls WHERE prison_number = $1`,
          [prisoner],
        )
      )[0].due_at.toISOString();
    expect(await dueAt()).toBe(new Date(FIXED.getTime() - 3 * DAY + 168 * HOUR).toISOString());
    const summaryBefore = await api.http
      .get(`/api/backlog/summary?establishment=${s.establishment}`)
      .set(bearer(head.token))
      .expect(200);
    expect(summaryBefore.body.pending.byTier.P3.breached).toBe(0);

    const settings = await api.http
      .put(`/api/establishments/${s.establishment}/settings`)
      .set(bearer(head.token))
      .send({ slaHours: { P3: 48 }, mailSlaHours: { P1: 36 }, patterns: { burstCalls24h: 20 } })
      .expect(200);
    expect(settings.body.slaHours).toEqual({ ...DEFAULT_SETTINGS.slaHours, P3: 48 });
    expect(settings.body.mailSlaHours).toEqual({ ...DEFAULT_SETTINGS.mailSlaHours, P1: 36 });
    expect(settings.body.patterns).toEqual({ ...DEFAULT_SETTINGS.patterns, burstCalls24h: 20 });
    expect(await dueAt()).toBe(new Date(FIXED.getTime() - 3 * DAY + 48 * HOUR).toISOString());
    const summaryAfter = await api.http
      .get(`/api/backlog/summary?establishment=${s.establishment}`)
      .set(bearer(head.token))
      .expect(200);
    expect(summaryAfter.body.pending.byTier.P3.breached).toBe(1);

    const bad = await api.http
      .put(`/api/establishments/${s.establishment}/settings`)
      .set(bearer(head.token))
      .send({ slaHours: { P1: 0 }, retentionDays: 365 })
      .expect(400);
    expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual([
      'retentionDays',
      'slaHours.P1',
    ]);
    const listener = await s.staff(['LISTENER']);
    await api.http
      .put(`/api/establishments/${s.establishment}/settings`)
      .set(bearer(listener.token))
      .send({ leaseMinutes: 30 })
      .expect(403);
  });

  it('keeps one snapshot per establishment per hour and shows the trend', async () => {
    const s = await Scenario.create(api);
    const head = await s.staff(['HEAD_OF_OMU']);
    const prisoner = await s.prisoner();
    await s.authorise(prisoner, { startsAt: ago(30 * DAY) });
    await s.ingestAndTriage([s.call(prisoner, { startedAt: ago(2 * DAY) })]);
    const oversight = api.app.get(OversightService);
    await oversight.snapshotAll();
    await oversight.snapshotAll();
    const rows: { taken_at: Date; pending: number }[] = await api.db.query(
      `SELECT taken_at, pending FROM backlog_snapshots WHERE establishment_code = $1`,
      [s.establishment],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].taken_at.toISOString()).toBe(
      new Date(Math.floor(FIXED.getTime() / HOUR) * HOUR).toISOString(),
    );
    const trend = await api.http
      .get(`/api/backlog/trend?establishment=${s.establishment}&days=30`)
      .set(bearer(head.token))
      .expect(200);
    expect(trend.body.items).toEqual([
      expect.objectContaining({
        pending: 1,
        breached: 0,
        byTier: { P1: 0, P2: 0, P3: 1, P4: 0 },
        arrivals24h: 0,
      }),
    ]);
  });
});
