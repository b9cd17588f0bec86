import { PatternsService } from '../../src/patterns/patterns.service';
import { bearer, startApi, TestApi } from '../support/api';
import { randomMobile, Scenario, Staffer, toE164 } from '../support/scenario';

/**
 * Call-pattern alerts, end to end: calls ingested over HTTP, triaged and examined by the worker's
 * services in process (as the worker does after each batch), reviewed over HTTP.
 */
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const ALL_TRAININGS = ['PUBLIC_PROTECTION', 'DOMESTIC_ABUSE', 'CHILD_SAFEGUARDING'];

const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
/** "07911 123456": how a UK mobile number reads in an alert's reason. */
const spoken = (national: string) => `${national.slice(0, 5)} ${national.slice(5)}`;

interface Alert {
  id: string;
  establishmentCode: string;
  prisonNumber: string;
  dialledNumber: string;
  kind: string;
  status: string;
  reason: string;
  evidence: Record<string, unknown>;
  callCount: number;
  firstCallAt: string;
  lastCallAt: string;
  monitored: boolean;
  createdAt: string;
  acknowledgedBy: string | null;
  dismissedBy: string | null;
  dismissReason: string | null;
}

interface CallRow {
  id: string;
  status: string;
  tier: string | null;
  reasons: string[];
  updatedAt: Date;
}

describe('pattern alerts', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi();
  });

  afterAll(async () => {
    await api.close();
  });

  const detect = (batchId: string) => api.app.get(PatternsService).detectAfterBatch(batchId);

  const list = async (who: Staffer, query: string) => {
    const res = await api.http
      .get(`/api/pattern-alerts${query}`)
      .set(bearer(who.token))
      .expect(200);
    const body = res.body as { items: Alert[]; total: number };
    return body;
  };

  const callsTo = (prisonNumber: string, national: string): Promise<CallRow[]> =>
    api.db.query(
      `SELECT id, status, tier, priority_reasons AS reasons, updated_at AS "updatedAt" FROM calls
       WHERE prison_number = $1 AND dialled_number = $2 ORDER BY started_at, id`,
      [prisonNumber, toE164(national)],
    );

  const flags = async (who: Staffer, s: Scenario) => {
    const res = await api.http
      .get(`/api/risk-flags?establishment=${s.establishment}&type=CONSIDER_MONITORING`)
      .set(bearer(who.token))
      .expect(200);
    return (res.body as { items: { prisonNumber: string; detail: string; since: string }[] }).items;
  };

  it('a domestic-abuse prisoner not on monitoring who calls a new number 43 times in a day gets alerts and a consider-monitoring flag, but no monitoring', async () => {
    const s = await Scenario.create(api);
    const [head, security, listener] = await Promise.all([
      s.staff(['HEAD_OF_OMU']),
      s.staff(['SECURITY_MANAGER']),
      s.staff(['LISTENER'], { trainings: ALL_TRAININGS }),
    ]);
    const prisoner = await s.prisoner({ alertCodes: ['RDV'] });

    // Three weeks of calls on record: his mother, now and then.
    const mother = randomMobile();
    const history = await s.ingestAndTriage(
      [20, 14, 9].map((d) => s.call(prisoner, { dialledNumber: mother, startedAt: ago(d * DAY) })),
    );
    expect(await detect(history.batchId)).toEqual({ raised: 0, updated: 0 });

    // Then a new number, 43 times between 23 and 2 hours ago.
    const partner = randomMobile();
    const flood = Array.from({ length: 43 }, (_, i) =>
      s.call(prisoner, {
        dialledNumber: partner,
        startedAt: ago(23 * HOUR - i * 30 * MINUTE),
        durationSeconds: 60 + i,
      }),
    );
    const batch = await s.ingestAndTriage(flood);
    expect(batch.accepted).toBe(43);
    expect(await detect(batch.batchId)).toEqual({ raised: 2, updated: 0 });
    // The detection itself brought the flags up to date (risk flags' hook), before any read of them.
    const stored: { type: string }[] = await api.db.query(
      `SELECT type FROM risk_flags WHERE prison_number = $1 AND resolved_at IS NULL`,
      [prisoner],
    );
    expect(stored.map((f) => f.type)).toContain('CONSIDER_MONITORING');

    const { items, total } = await list(head, `?establishment=${s.establishment}`);
    expect(total).toBe(2);
    const byKind = new Map(items.map((a) => [a.kind, a]));
    expect([...byKind.keys()].sort()).toEqual(['BURST', 'NEW_NUMBER_REPEATED']);
    for (const a of items) {
      expect(a).toMatchObject({
        establishmentCode: s.establishment,
        prisonNumber: prisoner,
        dialledNumber: toE164(partner),
        status: 'OPEN',
        callCount: 43,
        monitored: false,
        firstCallAt: flood[0].startedAt,
        lastCallAt: flood[42].startedAt,
      });
    }
    const burstAlert = byKind.get('BURST')!;
    expect(burstAlert.reason).toBe(`43 calls to ${spoken(partner)} in 24 hours (new number)`);
    expect(burstAlert.evidence).toMatchObject({ calls: 43, newNumber: true, threshold: 10 });
    expect(byKind.get('NEW_NUMBER_REPEATED')!.reason).toBe(
      `new number ${spoken(partner)} called 43 times within 48 hours of the first call`,
    );

    // Raised by the system, audited one by one.
    const raisedRows: { username: string }[] = await api.db.query(
      `SELECT username FROM audit_events WHERE action = 'PATTERN_ALERT_RAISED' AND entity_id = ANY($1)`,
      [items.map((a) => a.id)],
    );
    expect(raisedRows.map((r) => r.username)).toEqual(['system', 'system']);
    // The list is one read naming both alerts and the prisoner.
    const readRows: { subjectIds: string[] }[] = await api.db.query(
      `SELECT subject_ids AS "subjectIds" FROM audit_events
       WHERE action = 'PATTERN_ALERTS_READ' AND username = $1 AND subject_ids && $2::text[]`,
      [head.username, items.map((a) => a.id)],
    );
    expect(readRows).toEqual([
      { subjectIds: expect.arrayContaining([...items.map((a) => a.id), prisoner]) as unknown },
    ]);

    // Never monitoring by itself: his calls are not queued and nobody authorised anything.
    const notHeard = await callsTo(prisoner, partner);
    expect(notHeard).toHaveLength(43);
    expect(new Set(notHeard.map((c) => c.status))).toEqual(new Set(['NOT_MONITORED']));
    await s.claim(listener).expect(204);

    // The consider-monitoring flag, on the flags list and on his profile.
    const flagged = await flags(head, s);
    expect(flagged).toEqual([
      {
        type: 'CONSIDER_MONITORING',
        establishmentCode: s.establishment,
        prisonNumber: prisoner,
        subject: prisoner,
        detail: `43 calls to ${spoken(partner)} in 24 hours (new number) (and 1 more pattern alert); not on monitoring: consider an authorisation`,
        since: flood[0].startedAt,
        firstSeenAt: expect.any(String) as string,
      },
    ]);
    const profile = await api.http
      .get(`/api/prisoners/${prisoner}`)
      .set(bearer(head.token))
      .expect(200);
    expect(
      (profile.body as { riskFlags: { type: string }[] }).riskFlags.map((f) => f.type),
    ).toContain('CONSIDER_MONITORING');

    // The draft carries the evidence; reading it creates nothing.
    const draftRes = await api.http
      .get(`/api/pattern-alerts/${burstAlert.id}/authorisation-draft`)
      .set(bearer(security.token))
      .expect(200);
    const draft = draftRes.body as {
      type: string;
      grounds: string[];
      channels: string[];
      justification: string;
      lookbackDays: number;
    };
    expect(draft).toMatchObject({
      type: 'INTELLIGENCE_LED',
      grounds: ['CRIME', 'PUBLIC_SAFETY'],
      channels: ['PHONE'],
      lookbackDays: 2,
    });
    expect(Object.keys(draft).sort()).toEqual([
      'channels',
      'grounds',
      'justification',
      'lookbackDays',
      'type',
    ]);
    expect(draft.justification).toContain(burstAlert.reason);
    expect(draft.justification).toContain('called 43 times within 48 hours');
    expect(draft.justification).toContain('none of these calls has been listened to');
    const none: { n: number }[] = await api.db.query(
      `SELECT count(*)::int AS n FROM monitoring_authorisations WHERE prison_number = $1`,
      [prisoner],
    );
    expect(none[0].n).toBe(0);

    // Submitted as drafted and approved by someone else: his calls to that number are heard first.
    const requested = await api.http
      .post(`/api/prisoners/${prisoner}/monitoring-authorisations`)
      .set(bearer(security.token))
      .send(draft)
      .expect(201);
    await api.http
      .post(`/api/monitoring-authorisations/${(requested.body as { id: string }).id}/approve`)
      .set(bearer(head.token))
      .send({})
      .expect(200);
    // The newest burstP1Cap (10) calls are lifted to P1; the earlier 33 are P2 (the burst cap).
    const queued = await callsTo(prisoner, partner);
    for (const c of queued.slice(-10)) {
      expect(c).toMatchObject({ status: 'PENDING', tier: 'P1' });
      const lift = c.reasons.find((r) => r.startsWith('pattern alert: '));
      expect(lift).toContain(burstAlert.reason);
      expect(lift).toContain(byKind.get('NEW_NUMBER_REPEATED')!.reason);
    }
    for (const c of queued.slice(0, -10)) {
      expect(c).toMatchObject({ status: 'PENDING', tier: 'P2' });
      expect(c.reasons).toContain('earlier call of a burst');
    }
    // The look-back reaches the calls behind the alerts, not his mother's weeks ago.
    expect(new Set((await callsTo(prisoner, mother)).map((c) => c.status))).toEqual(
      new Set(['NOT_MONITORED']),
    );

    expect((await list(head, `?prisonNumber=${prisoner}`)).items.every((a) => a.monitored)).toBe(
      true,
    );
    expect(await flags(head, s)).toEqual([]);
  });

  it('a monitored prisoner calling his victim: the call is P1 for the victim contact and a PROTECTED_CONTACT alert; another prisoner calling her raises OTHER_PRISONERS_PROTECTED_CONTACT', async () => {
    const s = await Scenario.create(api);
    const head = await s.staff(['HEAD_OF_OMU']);
    const prisoner = await s.prisoner({ alertCodes: ['RDV'] });
    await s.authorise(prisoner);
    const victim = randomMobile();
    await s.contact(prisoner, {
      name: 'Jane Doe',
      relationship: 'EX_PARTNER',
      phoneNumbers: [victim],
      isVictim: true,
      restriction: 'NO_CONTACT',
    });

    const first = await s.ingestAndTriage([s.call(prisoner, { dialledNumber: victim })]);
    expect(await detect(first.batchId)).toEqual({ raised: 1, updated: 0 });
    const reason = `1 call to Jane Doe on ${spoken(victim)} (victim, no-contact restriction)`;
    const [call] = await callsTo(prisoner, victim);
    expect(call).toMatchObject({ status: 'PENDING', tier: 'P1' });
    expect(call.reasons).toEqual(
      expect.arrayContaining(['victim contact', `pattern alert: ${reason}`]),
    );
    const own = await list(head, `?prisonNumber=${prisoner}`);
    expect(own.items).toHaveLength(1);
    expect(own.items[0]).toMatchObject({
      kind: 'PROTECTED_CONTACT',
      reason,
      callCount: 1,
      monitored: true,
      evidence: {
        calls: 1,
        contacts: [
          {
            name: 'Jane Doe',
            relationship: 'EX_PARTNER',
            isVictim: true,
            restriction: 'NO_CONTACT',
          },
        ],
      },
    });

    // Another prisoner, not on monitoring, calls the same woman twice.
    const other = await s.prisoner();
    const second = await s.ingestAndTriage([
      s.call(other, { dialledNumber: victim, startedAt: ago(3 * HOUR) }),
      s.call(other, { dialledNumber: victim, startedAt: ago(2 * HOUR) }),
    ]);
    expect(await detect(second.batchId)).toEqual({ raised: 1, updated: 0 });
    const relayed = await list(head, `?prisonNumber=${other}`);
    expect(relayed.items).toHaveLength(1);
    expect(relayed.items[0]).toMatchObject({
      kind: 'OTHER_PRISONERS_PROTECTED_CONTACT',
      callCount: 2,
      monitored: false,
      reason: `2 calls to ${spoken(victim)}, protected contact (victim, no-contact restriction) of another prisoner (${prisoner}): possible witness intimidation or relayed contact`,
      evidence: {
        calls: 2,
        otherPrisoners: [
          {
            prisonNumber: prisoner,
            establishmentCode: s.establishment,
            isVictim: true,
            restriction: 'NO_CONTACT',
          },
        ],
      },
    });
    // He is not monitored: nothing queued, but flagged for consideration.
    expect(new Set((await callsTo(other, victim)).map((c) => c.status))).toEqual(
      new Set(['NOT_MONITORED']),
    );
    expect((await flags(head, s)).map((f) => f.prisonNumber)).toEqual([other]);
  });

  it('a day far above the prisoner’s own rate to a number raises RATE_SPIKE, judged on back-filled history', async () => {
    const s = await Scenario.create(api);
    const head = await s.staff(['HEAD_OF_OMU']);
    const prisoner = await s.prisoner();
    const sister = randomMobile();
    // About one call a day for 20 days, sent in one back-filled batch: nothing stands out.
    const history = await s.ingestAndTriage(
      Array.from({ length: 20 }, (_, i) =>
        s.call(prisoner, { dialledNumber: sister, startedAt: ago((29 - i) * DAY) }),
      ),
    );
    expect(await detect(history.batchId)).toEqual({ raised: 0, updated: 0 });
    // Then 7 calls in 18 hours: not a burst (under 10), but ten times his usual rate.
    const day = await s.ingestAndTriage(
      Array.from({ length: 7 }, (_, i) =>
        s.call(prisoner, { dialledNumber: sister, startedAt: ago((20 - 3 * i) * HOUR) }),
      ),
    );
    expect(await detect(day.batchId)).toEqual({ raised: 1, updated: 0 });
    const { items } = await list(head, `?prisonNumber=${prisoner}`);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      kind: 'RATE_SPIKE',
      callCount: 7,
      reason: `7 calls to ${spoken(sister)} in 24 hours against 0.7 a day over the previous 27 days`,
      evidence: { calls: 7, callsPrevious30Days: 20, multiplier: 5, minCalls: 6 },
    });
  });

  it('long evening calls to a privileged number raise a security review item, and the calls stay privileged', async () => {
    const s = await Scenario.create(api);
    const [head, security, listener] = await Promise.all([
      s.staff(['HEAD_OF_OMU']),
      s.staff(['SECURITY_MANAGER']),
      s.staff(['LISTENER'], { trainings: ALL_TRAININGS }),
    ]);
    const prisoner = await s.prisoner();
    await s.authorise(prisoner);
    const solicitor = randomMobile();
    await s.privilegedNumber(solicitor, security.token, 'Smith & Co Solicitors');
    /** `days` days ago at hh:30 UTC (18:30 or later in London in winter and summer). */
    const on = (days: number, hourUtc: number) => {
      const d = new Date(Date.now() - days * DAY);
      d.setUTCHours(hourUtc, 30, 0, 0);
      return d.toISOString();
    };
    const calls = [
      ...[1, 2, 3].map((d) =>
        s.call(prisoner, { dialledNumber: solicitor, startedAt: on(d, 19), durationSeconds: 1800 }),
      ),
      // Not social-looking: in the day, or short.
      s.call(prisoner, { dialledNumber: solicitor, startedAt: on(2, 10), durationSeconds: 2400 }),
      s.call(prisoner, { dialledNumber: solicitor, startedAt: on(4, 20), durationSeconds: 300 }),
    ];
    const batch = await s.ingestAndTriage(calls);
    expect(await detect(batch.batchId)).toEqual({ raised: 1, updated: 0 });

    const { items } = await list(security, `?establishment=${s.establishment}`);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      kind: 'PRIVILEGED_SOCIAL_USE',
      prisonNumber: prisoner,
      callCount: 3,
      reason: `3 evening calls of 20 minutes or more in 7 days to privileged number ${spoken(solicitor)} (legal adviser): security review of the number; never listened to`,
    });
    expect((items[0].evidence as { calls: unknown[] }).calls).toHaveLength(3);

    // The alert lifts nothing: every call stays privileged, unqueued, unheard.
    const rows = await callsTo(prisoner, solicitor);
    expect(rows).toHaveLength(5);
    for (const c of rows) {
      expect(c).toMatchObject({ status: 'EXCLUDED_PRIVILEGED', tier: null });
      expect(c.reasons.join(' ')).not.toContain('pattern alert');
    }
    await s.claim(listener).expect(204);

    // A call made while the alert is live is still judged privileged first.
    const later = await s.ingestAndTriage([
      s.call(prisoner, { dialledNumber: solicitor, startedAt: ago(2 * HOUR) }),
    ]);
    expect(await detect(later.batchId)).toEqual({ raised: 0, updated: 0 });
    const latest = (await callsTo(prisoner, solicitor)).at(-1)!;
    expect(latest).toMatchObject({ status: 'EXCLUDED_PRIVILEGED', tier: null });
    expect(latest.reasons.join(' ')).not.toContain('pattern alert');
    await s.claim(listener).expect(204);

    // No monitoring is ever drafted from it.
    await api.http
      .get(`/api/pattern-alerts/${items[0].id}/authorisation-draft`)
      .set(bearer(head.token))
      .expect(409);
  });

  it('detection is idempotent, and dismissing with a reason lets the P1 lift fall back until the pattern grows', async () => {
    const s = await Scenario.create(api);
    const head = await s.staff(['HEAD_OF_OMU']);
    const prisoner = await s.prisoner();
    await s.authorise(prisoner);
    const friend = randomMobile();
    const batch = await s.ingestAndTriage(
      Array.from({ length: 12 }, (_, i) =>
        s.call(prisoner, { dialledNumber: friend, startedAt: ago((20 - i) * HOUR) }),
      ),
    );
    expect(await detect(batch.batchId)).toEqual({ raised: 1, updated: 0 });
    const reason = `12 calls to ${spoken(friend)} in 24 hours`;
    // The newest 10 (burstP1Cap) are P1; the two earlier calls of the burst P2.
    const burst = await callsTo(prisoner, friend);
    expect(burst.map((c) => c.tier)).toEqual([
      ...Array<string>(2).fill('P2'),
      ...Array<string>(10).fill('P1'),
    ]);
    for (const c of burst.slice(-10)) {
      expect(c).toMatchObject({ status: 'PENDING', tier: 'P1' });
      expect(c.reasons).toContain(`pattern alert: ${reason}`);
    }

    // A second run over the same batch changes nothing at all.
    const snapshot = async () => ({
      alerts: await api.db.query<unknown[]>(
        `SELECT * FROM pattern_alerts WHERE prison_number = $1 ORDER BY id`,
        [prisoner],
      ),
      calls: await callsTo(prisoner, friend),
      audit: await api.db.query<unknown[]>(
        `SELECT count(*)::int AS n FROM audit_events WHERE entity_type = 'pattern_alert'
         AND details->>'prisonNumber' = $1`,
        [prisoner],
      ),
    });
    const before = await snapshot();
    expect(await detect(batch.batchId)).toEqual({ raised: 0, updated: 0 });
    expect(await snapshot()).toEqual(before);

    const [alert] = (await list(head, `?prisonNumber=${prisoner}`)).items;
    expect(alert).toMatchObject({ kind: 'BURST', reason, callCount: 12, status: 'OPEN' });

    // Dismissing needs a reason.
    for (const body of [{}, { reason: '   ' }]) {
      const bad = await api.http
        .post(`/api/pattern-alerts/${alert.id}/dismiss`)
        .set(bearer(head.token))
        .send(body)
        .expect(400);
      expect((bad.body as { details: { field: string }[] }).details.map((d) => d.field)).toContain(
        'reason',
      );
    }
    const dismissed = await api.http
      .post(`/api/pattern-alerts/${alert.id}/dismiss`)
      .set(bearer(head.token))
      .send({ reason: 'His brother, in hospital that day; checked with the POM.' })
      .expect(200);
    expect(dismissed.body).toMatchObject({
      status: 'DISMISSED',
      dismissedBy: head.username,
      dismissReason: 'His brother, in hospital that day; checked with the POM.',
    });
    for (const c of await callsTo(prisoner, friend)) {
      expect(c).toMatchObject({ status: 'PENDING', tier: 'P3' });
      expect(c.reasons.join(' ')).not.toContain('pattern alert');
    }
    await api.http
      .post(`/api/pattern-alerts/${alert.id}/dismiss`)
      .set(bearer(head.token))
      .send({ reason: 'again' })
      .expect(409);

    // The same evidence does not bring it back…
    expect(await detect(batch.batchId)).toEqual({ raised: 0, updated: 0 });
    expect(new Set((await callsTo(prisoner, friend)).map((c) => c.tier))).toEqual(new Set(['P3']));

    // …a bigger pattern does.
    const more = await s.ingestAndTriage([
      s.call(prisoner, { dialledNumber: friend, startedAt: ago(HOUR) }),
    ]);
    expect(await detect(more.batchId)).toEqual({ raised: 1, updated: 0 });
    const after = await list(head, `?prisonNumber=${prisoner}`);
    expect(after.items.map((a) => [a.status, a.callCount])).toEqual([
      ['OPEN', 13],
      ['DISMISSED', 12],
    ]);
    const lifted = await callsTo(prisoner, friend);
    expect(lifted).toHaveLength(13);
    expect(lifted.map((c) => c.tier)).toEqual([
      ...Array<string>(3).fill('P2'),
      ...Array<string>(10).fill('P1'),
    ]);
  });

  it('is for heads of OMU and security managers of the establishment only', async () => {
    const s = await Scenario.create(api);
    const elsewhere = await Scenario.create(api);
    const [head, listener, pom, otherHead] = await Promise.all([
      s.staff(['HEAD_OF_OMU']),
      s.staff(['LISTENER']),
      s.staff(['POM']),
      elsewhere.staff(['HEAD_OF_OMU', 'SECURITY_MANAGER']),
    ]);
    const prisoner = await s.prisoner();
    await s.authorise(prisoner);
    const number = randomMobile();
    const batch = await s.ingestAndTriage(
      Array.from({ length: 10 }, (_, i) =>
        s.call(prisoner, { dialledNumber: number, startedAt: ago((12 - i) * HOUR) }),
      ),
    );
    expect(await detect(batch.batchId)).toEqual({ raised: 1, updated: 0 });
    const [alert] = (await list(head, `?establishment=${s.establishment}`)).items;

    for (const who of [listener, pom]) {
      await api.http.get('/api/pattern-alerts').set(bearer(who.token)).expect(403);
      await api.http
        .post(`/api/pattern-alerts/${alert.id}/acknowledge`)
        .set(bearer(who.token))
        .expect(403);
    }
    await api.http
      .get(`/api/pattern-alerts?establishment=${s.establishment}`)
      .set(bearer(otherHead.token))
      .expect(403);
    expect((await list(otherHead, '')).items.map((a) => a.id)).not.toContain(alert.id);
    for (const path of ['', '/authorisation-draft']) {
      await api.http
        .get(`/api/pattern-alerts/${alert.id}${path}`)
        .set(bearer(otherHead.token))
        .expect(403);
    }
    await api.http
      .post(`/api/pattern-alerts/${alert.id}/dismiss`)
      .set(bearer(otherHead.token))
      .send({ reason: 'not mine to dismiss' })
      .expect(403);
    await api.http.get('/api/pattern-alerts').expect(401);
    await api.http.get('/api/pattern-alerts?kind=NOT_A_KIND').set(bearer(head.token)).expect(400);
    await api.http
      .get('/api/pattern-alerts/00000000-0000-4000-8000-000000000000')
      .set(bearer(head.token))
      .expect(404);

    // Acknowledged is still live: the calls stay lifted.
    for (let i = 0; i < 2; i++) {
      const ack = await api.http
        .post(`/api/pattern-alerts/${alert.id}/acknowledge`)
        .set(bearer(head.token))
        .expect(200);
      expect(ack.body).toMatchObject({ status: 'ACKNOWLEDGED', acknowledgedBy: head.username });
    }
    expect(new Set((await callsTo(prisoner, number)).map((c) => c.tier))).toEqual(new Set(['P1']));
    expect((await list(head, `?establishment=${s.establishment}&status=OPEN`)).total).toBe(0);
  });
});
