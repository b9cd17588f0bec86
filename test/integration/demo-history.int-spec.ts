import { Client } from 'pg';
import { Clock } from '../../src/common/clock';
import { runMigrations } from '../../src/db/migrate';
import {
  buildDemoWorld,
  DEMO_PASSWORD,
  demoWorldOptions,
  DemoWorld,
} from '../../src/demo/demo-world';
import { seedDemo, SeedReport } from '../../src/demo/seed-demo';
import { bearer, startApi, TestApi } from '../support/api';
import { BASE_DATABASE_URL, databaseUrlFor } from '../support/test-env';

/**
 * The demo opens on a month of work (issue 19, item 5): the seed plays the history through the real
 * services with the clock pinned, so every row carries the time it would have had. A smaller world
 * (one prison, ten days) on a database of its own: the replay snapshots, re-scores and sends for
 * every establishment, which must not reach the other specs' data.
 */
// Now, to the hour: the pages and the trend read back from the real date.
const NOW = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
const DAYS = 10;

describe('the demo with a past', () => {
  const database = `${process.env.TEST_DATABASE_NAME}_demo`;
  let api: TestApi;
  let world: DemoWorld;
  let report: SeedReport;

  const admin = async <T>(fn: (c: Client) => Promise<T>): Promise<T> => {
    const c = new Client({ connectionString: BASE_DATABASE_URL });
    await c.connect();
    try {
      return await fn(c);
    } finally {
      await c.end();
    }
  };
  const rows = <T>(sql: string, params: unknown[] = []) => api.db.query<T[]>(sql, params);
  const tokenOf = async (username: string) =>
    (
      (
        await api.http
          .post('/api/auth/token')
          .send({ username, password: DEMO_PASSWORD })
          .expect(200)
      ).body as { accessToken: string }
    ).accessToken;

  beforeAll(async () => {
    await admin((c) => c.query(`CREATE DATABASE ${database}`));
    await runMigrations({ DATABASE_URL: databaseUrlFor(database) });
    process.env.DATABASE_URL = databaseUrlFor(database);
    api = await startApi();
    world = buildDemoWorld({
      ...demoWorldOptions(20261127, NOW),
      establishments: [{ code: 'NHI', name: 'HMP New Hall', prisoners: 250, population: 'FEMALE' }],
      days: DAYS,
    });
    report = await seedDemo(api.app, world, () => undefined);
  }, 240_000);

  afterAll(async () => {
    await api?.close();
    await admin((c) => c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
  });

  it('heard calls through the queue, each log written after its call ended and before now', async () => {
    // The seed wrote to the spec's own database, not the run's shared one.
    expect(await rows(`SELECT current_database() AS db`)).toEqual([{ db: database }]);
    const history = report.history!;
    expect(history.claims).toBeGreaterThan(100);
    expect(history.leasesLost).toBe(0);
    expect(Object.values(history.logs).reduce((a, b) => a + b, 0)).toBe(history.claims);
    expect(history.logs.NONE).toBeGreaterThan(history.logs.HIGH_THREAT);

    const logs = await rows<{ days: number; early: number; late: number; unclaimed: number }>(
      `SELECT count(DISTINCT date_trunc('day', l.created_at))::int AS days,
              count(*) FILTER (WHERE l.created_at < c.started_at + make_interval(secs => c.duration_seconds))::int AS early,
              count(*) FILTER (WHERE l.created_at > $1)::int AS late,
              count(*) FILTER (WHERE c.logged_at <> l.created_at OR l.claimed_at >= l.created_at)::int AS unclaimed
       FROM monitoring_logs l JOIN calls c ON c.id = l.call_id`,
      [NOW],
    );
    // Spread over the days of the month as listened (not all stamped with the seed's real time).
    expect(logs[0].days).toBeGreaterThanOrEqual(DAYS - 3);
    expect(logs[0]).toMatchObject({ early: 0, late: 0, unclaimed: 0 });
    // Nothing is left claimed: every claim of the replay was logged.
    expect(await rows(`SELECT id FROM calls WHERE status = 'CLAIMED'`)).toEqual([]);
    // The application clock is let go once the history is played.
    expect(api.app.get(Clock).pinned()).toBeNull();
  });

  it('gives the backlog trend an hourly history the head of OMU sees', async () => {
    const head = await tokenOf('head1');
    const res = await api.http
      .get('/api/backlog/trend?establishment=NHI&days=60')
      .set(bearer(head))
      .expect(200);
    const items = (res.body as { items: { takenAt: string; pending: number; logs24h: number }[] })
      .items;
    expect(items.length).toBeGreaterThanOrEqual((DAYS - 1) * 24);
    expect(Date.parse(items[0].takenAt)).toBeLessThan(NOW.getTime() - (DAYS - 1) * 86_400_000);
    expect(Date.parse(items[items.length - 1].takenAt)).toBeLessThanOrEqual(NOW.getTime());
    // A trend, not a flat line: the backlog moved and logs were written in the last day of most hours.
    expect(new Set(items.map((i) => i.pending)).size).toBeGreaterThan(10);
    expect(items.filter((i) => i.logs24h > 0).length).toBeGreaterThan(items.length / 2);
  });

  it('acts on escalations in the past: acknowledged after raised, closed after that, meetings held', async () => {
    const [e] = await rows<{
      raised: number;
      acknowledged: number;
      closed: number;
      disorder: number;
    }>(
      `SELECT count(*)::int AS raised,
              count(acknowledged_at)::int AS acknowledged,
              count(closed_at)::int AS closed,
              count(*) FILTER (WHERE acknowledged_at < created_at OR closed_at < acknowledged_at
                               OR closed_at > $1 OR created_at > $1)::int AS disorder
       FROM escalations`,
      [NOW],
    );
    expect(e.raised).toBeGreaterThan(0);
    expect(e.acknowledged).toBeGreaterThan(0);
    expect(e.closed).toBeGreaterThan(0);
    expect(e.disorder).toBe(0);
    const meetings = await rows<{ heldAt: Date }>(`SELECT held_at AS "heldAt" FROM irmm_meetings`);
    expect(meetings.length).toBe(report.history!.meetings);
    for (const m of meetings) expect(m.heldAt.getTime()).toBeLessThan(NOW.getTime());
  });

  it('leaves a POM with logs read in the past and some still unread', async () => {
    const pom = world.staff.find((s) => s.roles.includes('POM'))!;
    const caseload = await api.http
      .get('/api/poms/me/caseload')
      .set(bearer(await tokenOf(pom.username)))
      .expect(200);
    const items = (caseload.body as { items: { unreadLogs: number }[] }).items;
    expect(items.reduce((n, i) => n + i.unreadLogs, 0)).toBeGreaterThan(0);
    const [reads] = await rows<{ n: number; late: number }>(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE r.read_at < l.created_at OR r.read_at > $1)::int AS late
       FROM log_reads r JOIN monitoring_logs l ON l.id = r.log_id`,
      [NOW],
    );
    expect(reads.n).toBe(report.history!.logsRead);
    expect(reads.late).toBe(0);
  });

  it('creates nothing when run again', async () => {
    const again = await seedDemo(api.app, world, () => undefined);
    expect(again.skipped).toBe(true);
    const [{ n }] = await rows<{ n: number }>(`SELECT count(*)::int AS n FROM monitoring_logs`);
    expect(n).toBe(report.history!.claims);
  });
});
