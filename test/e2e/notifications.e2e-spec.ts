import { randomUUID } from 'node:crypto';
import { Clock } from '../../src/common/clock';
import { NotificationSender } from '../../src/notifications/notification-sender';
import { NotificationsRepository } from '../../src/notifications/notifications.repository';
import { NotificationsService } from '../../src/notifications/notifications.service';
import { bearer, startApi, TestApi } from '../support/api';
import { FakeNotify } from '../support/fake-notify';
import { highLogWithThreat, Scenario, Staffer } from '../support/scenario';

/**
 * Notifications through GOV.UK Notify (issue 14, item 5), with the real notifications-node-client
 * against a local Notify (test/support/fake-notify.ts) and a fixed application clock: the outbox
 * row is written with the escalation, sent once by the worker's sender, retried through Notify's
 * 429 and 500 answers, failed for good on 400, never sent twice when a sender dies after Notify
 * took the email, and the daily digest is one a person a day.
 */
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const ALL_TRAININGS = ['PUBLIC_PROTECTION', 'DOMESTIC_ABUSE', 'CHILD_SAFEGUARDING'];
const ESCALATION_TEMPLATE = randomUUID();
const DIGEST_TEMPLATE = randomUUID();

/** 03:00 London time (UTC in winter) on the day after the run's. */
const tomorrowAt = (hour: number) => {
  const d = new Date();
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1, hour));
};

interface Row {
  id: string;
  kind: string;
  status: string;
  attempts: number;
  notifyId: string | null;
  lastError: string | null;
  recipient: string;
  personalisation: Record<string, string>;
  templateId: string | null;
}

describe('notifications through GOV.UK Notify', () => {
  const notify = new FakeNotify();
  let api: TestApi;
  let clock: jest.SpyInstance<Date, []>;
  const at3 = tomorrowAt(3);

  beforeAll(async () => {
    await notify.start();
    process.env.NOTIFY_API_KEY = notify.apiKey;
    process.env.NOTIFY_BASE_URL = notify.url;
    process.env.WORKBENCH_URL = 'https://mpc.test';
    api = await startApi();
    clock = jest.spyOn(api.app.get(Clock), 'now').mockReturnValue(at3);
  });

  afterAll(async () => {
    await api.close();
    await notify.stop();
    delete process.env.NOTIFY_API_KEY;
    delete process.env.NOTIFY_BASE_URL;
  });

  beforeEach(() => {
    notify.mode = 'OK';
    notify.delayMs = 0;
    clock.mockReturnValue(at3);
  });

  const sender = () => api.app.get(NotificationSender);

  /** A monitored prisoner with a POM, a duty security manager on the rota tonight and a listener. */
  async function world(opts: { pomMode?: string } = {}) {
    const s = await Scenario.create(api);
    await s.settings({
      notifyEscalationTemplateId: ESCALATION_TEMPLATE,
      notifyDigestTemplateId: DIGEST_TEMPLATE,
    });
    const pom = await s.staff(['POM']);
    const duty = await s.staff(['SECURITY_MANAGER']);
    const offDuty = await s.staff(['SECURITY_MANAGER']);
    const head = await s.staff(['HEAD_OF_OMU']);
    const listener = await s.staff(['LISTENER'], { trainings: ALL_TRAININGS });
    const emailOf = (p: Staffer) => `${p.username}@justice.test`;
    for (const [p, roles, mode] of [
      [pom, ['POM'], opts.pomMode ?? 'IMMEDIATE'],
      [duty, ['SECURITY_MANAGER'], 'IMMEDIATE'],
      [offDuty, ['SECURITY_MANAGER'], 'IMMEDIATE'],
      [head, ['HEAD_OF_OMU'], 'IMMEDIATE'],
    ] as const) {
      await api.http
        .put(`/api/staff/${p.username}`)
        .set(bearer(s.adminToken))
        .send({
          displayName: `Test ${p.username}`,
          roles,
          establishments: [s.establishment],
          email: emailOf(p),
          notifications: { escalations: mode },
        })
        .expect(200);
    }
    await api.http
      .put(`/api/establishments/${s.establishment}/duty-rota`)
      .set(bearer(duty.token))
      .send({
        entries: [
          {
            username: duty.username,
            from: tomorrowAt(0).toISOString(),
            to: tomorrowAt(8).toISOString(),
          },
          {
            username: offDuty.username,
            from: tomorrowAt(8).toISOString(),
            to: tomorrowAt(16).toISOString(),
          },
        ],
      })
      .expect(200);
    const prisoner = await s.prisoner({ pomUsername: pom.username });
    await s.authorise(prisoner);
    await s.ingestAndTriage([s.call(prisoner), s.call(prisoner)]);
    return { s, pom, duty, offDuty, head, listener, prisoner, emailOf };
  }

  /** The listener claims a call and logs an IMMEDIATE concern: SECURITY (1 h) and POM (4 h). */
  async function immediateLog(w: Awaited<ReturnType<typeof world>>) {
    const claimed = (await w.s.claim(w.listener).expect(200)).body as {
      call: { id: string };
      claim: { token: string };
    };
    const res = await api.http
      .post(`/api/calls/${claimed.call.id}/log`)
      .set(bearer(w.listener.token))
      .send(highLogWithThreat(claimed.claim.token, { concernLevel: 'IMMEDIATE' }))
      .expect(201);
    return (res.body as { escalations: { id: string; target: string }[] }).escalations;
  }

  const rowsFor = (usernames: string[]) =>
    api.db.query<Row[]>(
      `SELECT id, kind, status, attempts, notify_id AS "notifyId", last_error AS "lastError",
              recipient_username AS recipient, personalisation, template_id AS "templateId"
         FROM notifications WHERE recipient_username = ANY($1) ORDER BY created_at, id`,
      [usernames],
    );

  it('emails the duty security contact about a security escalation at 03:00 within one cycle, once', async () => {
    const w = await world();
    const rota = await api.http
      .get(`/api/establishments/${w.s.establishment}/duty-rota`)
      .query({ at: at3.toISOString() })
      .set(bearer(w.head.token))
      .expect(200);
    expect((rota.body as { onDuty: { username: string }[] }).onDuty.map((p) => p.username)).toEqual(
      [w.duty.username],
    );

    const raised = await immediateLog(w);
    expect(raised.map((e) => e.target).sort()).toEqual(expect.arrayContaining(['POM', 'SECURITY']));
    // Written with the escalation, in its transaction: queued before any sender ran.
    const queued = await rowsFor([w.duty.username, w.offDuty.username, w.pom.username]);
    expect(queued.map((r) => [r.recipient, r.status]).sort()).toEqual(
      [
        [w.duty.username, 'QUEUED'],
        [w.pom.username, 'QUEUED'],
      ].sort(),
    );

    await sender().sendDue();
    const toDuty = notify.sentTo(w.emailOf(w.duty));
    expect(toDuty).toHaveLength(1);
    expect(notify.sentTo(w.emailOf(w.offDuty))).toHaveLength(0);
    expect(notify.sentTo(w.emailOf(w.pom))).toHaveLength(1);
    const security = raised.find((e) => e.target === 'SECURITY')!;
    expect(toDuty[0]).toMatchObject({
      template_id: ESCALATION_TEMPLATE,
      personalisation: {
        kind: 'new',
        target: 'a security escalation',
        prison_number: w.prisoner,
        link: `https://mpc.test/escalations/${security.id}`,
      },
    });
    // Nothing heard leaves: no summary, quote or theme in what Notify was given.
    const given = JSON.stringify(toDuty[0].personalisation);
    expect(given).not.toMatch(/pay|ex-partner|address|THREAT/i);

    const [dutyRow] = await rowsFor([w.duty.username]);
    expect(dutyRow).toMatchObject({ status: 'SENT', attempts: 1, notifyId: toDuty[0].id });
    expect(toDuty[0].reference).toBe(dutyRow.id);

    // Another cycle sends nothing again.
    await sender().sendDue();
    expect(notify.sentTo(w.emailOf(w.duty))).toHaveLength(1);

    // The list for oversight: the establishment's rows, never the content of a call.
    const list = await api.http
      .get('/api/notifications')
      .query({ establishment: w.s.establishment, status: 'SENT' })
      .set(bearer(w.duty.token))
      .expect(200);
    const items = (list.body as { items: { to: string; notifyId: string }[] }).items;
    expect(items.map((i) => i.to).sort()).toEqual([w.emailOf(w.duty), w.emailOf(w.pom)].sort());
    await api.http.get('/api/notifications').set(bearer(w.pom.token)).expect(403);
  });

  it('does not send twice when the sender dies after Notify took the email', async () => {
    const w = await world();
    await immediateLog(w);
    const repository = api.app.get(NotificationsRepository);
    // The worker is killed between Notify's 201 and marking the row: the mark never happens.
    const crash = jest
      .spyOn(repository, 'markSent')
      .mockRejectedValueOnce(new Error('worker killed'));
    await expect(sender().sendDue()).rejects.toThrow('worker killed');
    crash.mockRestore();
    const firstSent =
      notify.sentTo(w.emailOf(w.duty)).length + notify.sentTo(w.emailOf(w.pom)).length;
    expect(firstSent).toBeGreaterThanOrEqual(1);

    // Within the lease nobody takes the row again.
    await sender().sendDue();
    // The lease runs out: the next sender finds the email at Notify by its reference.
    clock.mockReturnValue(new Date(at3.getTime() + 3 * MINUTE));
    await sender().sendDue();
    expect(notify.sentTo(w.emailOf(w.duty))).toHaveLength(1);
    expect(notify.sentTo(w.emailOf(w.pom))).toHaveLength(1);
    const rows = await rowsFor([w.duty.username, w.pom.username]);
    expect(rows.every((r) => r.status === 'SENT')).toBe(true);
    for (const r of rows) {
      expect(r.notifyId).toBe(notify.sent.find((s) => s.reference === r.id)?.id);
    }
  });

  it('two senders at once send each email once', async () => {
    const w = await world();
    await immediateLog(w);
    notify.delayMs = 300;
    await Promise.all([sender().sendDue(), sender().sendDue()]);
    expect(notify.sentTo(w.emailOf(w.duty))).toHaveLength(1);
    expect(notify.sentTo(w.emailOf(w.pom))).toHaveLength(1);
  });

  it('keeps trying through 429 and 500 for ten minutes, then sends exactly once', async () => {
    const w = await world();
    await immediateLog(w);
    const rows = await rowsFor([w.duty.username]);
    const reference = rows[0].id;
    for (let minute = 0; minute <= 30; minute += 1) {
      notify.mode = minute < 5 ? 429 : minute < 10 ? 500 : 'OK';
      clock.mockReturnValue(new Date(at3.getTime() + minute * MINUTE));
      await sender().sendDue();
    }
    const tries = notify.attempts.filter((a) => a.reference === reference);
    expect(tries.filter((a) => a.status === 429).length).toBeGreaterThanOrEqual(1);
    expect(tries.filter((a) => a.status === 500).length).toBeGreaterThanOrEqual(1);
    expect(tries.filter((a) => a.status === 201)).toHaveLength(1);
    expect(notify.sentTo(w.emailOf(w.duty))).toHaveLength(1);
    const [row] = await rowsFor([w.duty.username]);
    expect(row.status).toBe('SENT');
    expect(row.attempts).toBe(tries.length);
  });

  it('fails a 400 for good with Notify’s error, and does not retry it', async () => {
    const w = await world();
    await immediateLog(w);
    notify.mode = 400;
    await sender().sendDue();
    const [row] = await rowsFor([w.duty.username]);
    expect(row.status).toBe('FAILED');
    expect(row.lastError).toMatch(/400 BadRequestError/);
    notify.mode = 'OK';
    clock.mockReturnValue(new Date(at3.getTime() + 5 * HOUR));
    await sender().sendDue();
    expect(notify.attempts.filter((a) => a.reference === row.id)).toHaveLength(1);
    expect(notify.sentTo(w.emailOf(w.duty))).toHaveLength(0);

    const failed = await api.http
      .get('/api/notifications')
      .query({ establishment: w.s.establishment, status: 'FAILED' })
      .set(bearer(w.duty.token))
      .expect(200);
    expect((failed.body as { items: { id: string }[] }).items.map((i) => i.id)).toContain(row.id);
  });

  it('sends the head of OMU one digest a day of the overdue escalations, and the digest people theirs', async () => {
    const w = await world({ pomMode: 'DAILY_DIGEST' });
    await immediateLog(w);
    // The POM takes escalations in the digest: nothing at once for them.
    expect(await rowsFor([w.pom.username])).toEqual([]);
    const service = api.app.get(NotificationsService);

    // Before 07:00 no digest is written; from then on, one a day however often the job runs.
    clock.mockReturnValue(tomorrowAt(6));
    await service.writeDailyDigests();
    expect(await rowsFor([w.head.username])).toEqual([]);
    clock.mockReturnValue(tomorrowAt(7));
    await service.writeDailyDigests();
    clock.mockReturnValue(tomorrowAt(9));
    await service.writeDailyDigests();
    await sender().sendDue();
    const toHead = notify.sentTo(w.emailOf(w.head));
    expect(toHead).toHaveLength(1);
    expect(toHead[0]).toMatchObject({
      template_id: DIGEST_TEMPLATE,
      personalisation: { link: 'https://mpc.test/escalations' },
    });
    // The security escalation was due at 04:00: overdue by 07:00.
    expect(Number(toHead[0].personalisation.overdue_count)).toBeGreaterThanOrEqual(1);
    const toPom = notify.sentTo(w.emailOf(w.pom));
    expect(toPom).toHaveLength(1);
    expect(Number(toPom[0].personalisation.waiting_count)).toBeGreaterThanOrEqual(1);

    // The next day: one more each.
    clock.mockReturnValue(new Date(tomorrowAt(8).getTime() + 24 * HOUR));
    await service.writeDailyDigests();
    await service.writeDailyDigests();
    await sender().sendDue();
    expect(notify.sentTo(w.emailOf(w.head))).toHaveLength(2);
    const digests = (await rowsFor([w.head.username])).filter((r) => r.kind === 'DAILY_DIGEST');
    expect(digests).toHaveLength(2);
  });

  it('refuses a rota entry that ends before it starts or names someone from elsewhere', async () => {
    const w = await world();
    const put = (entries: unknown[]) =>
      api.http
        .put(`/api/establishments/${w.s.establishment}/duty-rota`)
        .set(bearer(w.duty.token))
        .send({ entries });
    const ends = await put([
      {
        username: w.duty.username,
        from: tomorrowAt(8).toISOString(),
        to: tomorrowAt(7).toISOString(),
      },
    ]).expect(400);
    expect((ends.body as { details: { field: string }[] }).details[0].field).toBe('entries[0].to');
    const stranger = await put([
      {
        username: 'nobody-here',
        from: tomorrowAt(7).toISOString(),
        to: tomorrowAt(8).toISOString(),
      },
    ]).expect(400);
    expect((stranger.body as { details: { field: string }[] }).details[0].field).toBe(
      'entries[0].username',
    );
    await api.http
      .put(`/api/establishments/${w.s.establishment}/duty-rota`)
      .set(bearer(w.pom.token))
      .send({ entries: [] })
      .expect(403);
  });
});
