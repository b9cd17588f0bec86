import { randomUUID } from 'node:crypto';
import { bearer, ErrorBody, startApi, TestApi } from '../support/api';
import { randomMobile, Scenario, Staffer } from '../support/scenario';

const ALL_TRAININGS = ['PUBLIC_PROTECTION', 'DOMESTIC_ABUSE', 'CHILD_SAFEGUARDING'];
const HOUR = 3_600_000;
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

/** The UTC instant a London clock shows hh:00 on the London day `day` (YYYY-MM-DD). */
function londonHour(day: string, hour: number): number {
  const guess = Date.parse(`${day}T${String(hour).padStart(2, '0')}:00:00Z`);
  const shown = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    hour: '2-digit',
    hourCycle: 'h23',
  }).format(guess);
  return guess - (Number(shown) - hour) * HOUR;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

describe('POST /api/simulations', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi();
  });

  afterAll(async () => {
    await api.close();
  });

  /**
   * Three days ago (a London day D): one monitored prisoner made three calls before the shift, A
   * (05:00 UTC, to a friend, P3), B (06:00, to his victim, P1) and C (06:30, to the friend, P3),
   * each ten minutes long. The plan: one listener, D's weekday only, 09:00–17:00 London, an hour a
   * call (FIXED, no spread).
   */
  async function history() {
    const s = await Scenario.create(api);
    const head = await s.staff(['HEAD_OF_OMU']);
    const prisoner = await s.prisoner();
    const friend = randomMobile();
    const victim = randomMobile();
    await s.contact(prisoner, { relationship: 'FRIEND', phoneNumbers: [friend] });
    await s.contact(prisoner, {
      relationship: 'EX_PARTNER',
      phoneNumbers: [victim],
      isVictim: true,
    });
    await s.authorise(prisoner);
    const day = new Date(Date.now() - 3 * 24 * HOUR).toISOString().slice(0, 10);
    const at = (hhmm: string) => `${day}T${hhmm}:00.000Z`;
    await s.ingestAndTriage([
      s.call(prisoner, { dialledNumber: friend, startedAt: at('05:00'), durationSeconds: 600 }),
      s.call(prisoner, { dialledNumber: victim, startedAt: at('06:00'), durationSeconds: 600 }),
      s.call(prisoner, { dialledNumber: friend, startedAt: at('06:30'), durationSeconds: 600 }),
    ]);
    const weekday = WEEKDAYS[new Date(`${day}T12:00:00Z`).getUTCDay()];
    const body = {
      establishment: s.establishment,
      source: { kind: 'HISTORY', from: day, to: day },
      staffing: [
        {
          listeners: 1,
          days: [weekday],
          start: '09:00',
          end: '17:00',
          trainings: ALL_TRAININGS,
          languages: ['en'],
        },
      ],
      handling: { kind: 'FIXED', meanMinutes: 60, sdMinutes: 0 },
      policies: ['CURRENT', 'FIFO', 'MAPPA_LEVEL'],
    };
    return { s, head, day, body, arrivals: { A: at('05:10'), B: at('06:10'), C: at('06:40') } };
  }

  const post = (token: string, body: unknown, correlationId = `sim-${randomUUID()}`) =>
    api.http
      .post('/api/simulations')
      .set(bearer(token))
      .set('x-correlation-id', correlationId)
      .send(body as object);

  it('replays the history under each policy with the figures the hand arithmetic gives', async () => {
    const { head, day, body, arrivals, s } = await history();
    const correlationId = `sim-${randomUUID()}`;
    const res = await post(head.token, body, correlationId).expect(200);

    const shift = londonHour(day, 9);
    const wait = (claimedAt: number, arrived: string) =>
      round2((claimedAt - Date.parse(arrived)) / HOUR);
    expect(res.body).toMatchObject({ calls: 3, notQueued: 0, listenerHours: 8 });
    const { CURRENT, FIFO, MAPPA_LEVEL } = res.body.policies;
    // CURRENT: B (P1) at the start of the shift, then A and C (P3) in due order, an hour each.
    expect(CURRENT.byTier.P1).toEqual({
      calls: 1,
      heard: 1,
      heardWithinSla: 1,
      heardWithinSlaPercent: 100,
      medianWaitHours: wait(shift, arrivals.B),
      p95WaitHours: wait(shift, arrivals.B),
      unheard: 0,
      purgedUnheard: 0,
    });
    const p3Waits = [wait(shift + HOUR, arrivals.A), wait(shift + 2 * HOUR, arrivals.C)].sort(
      (x, y) => x - y,
    );
    expect(CURRENT.byTier.P3).toMatchObject({
      calls: 2,
      heard: 2,
      medianWaitHours: p3Waits[0],
      p95WaitHours: p3Waits[1],
    });
    expect(CURRENT.victimContact).toMatchObject({ calls: 1, heardWithinSlaPercent: 100 });
    expect(CURRENT.utilisationPercent).toBe(37.5);
    // FIFO: A, B, C in arrival order; MAPPA level (no level here): the same.
    expect(FIFO.byTier.P1.medianWaitHours).toBe(wait(shift + HOUR, arrivals.B));
    expect(FIFO.byTier.P3.medianWaitHours).toBe(wait(shift, arrivals.A));
    expect(MAPPA_LEVEL.byTier.P1.medianWaitHours).toBe(wait(shift + HOUR, arrivals.B));
    expect(CURRENT.backlogHourly[0]).toEqual({
      at: new Date(londonHour(day, 0)).toISOString(),
      waiting: 0,
    });
    expect(res.body.summary).toBe(
      'With this plan 100% of P1 calls are heard within 24 hours (FIFO: 100%; MAPPA level: 100%); no call would be purged unheard.',
    );

    // One audit row for the request, in the establishment.
    const rows = await api.db.query<
      { action: string; establishmentCode: string; details: Record<string, unknown> }[]
    >(
      `SELECT action, trim(establishment_code) AS "establishmentCode", details FROM audit_events
       WHERE correlation_id = $1`,
      [correlationId],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      action: 'SIMULATION_RUN',
      establishmentCode: s.establishment,
      details: { source: 'HISTORY', calls: 3 },
    });
  });

  it('falls back to a stated handling time, and says so, when the establishment has too few logs', async () => {
    const { head, body } = await history();
    const res = await post(head.token, { ...body, handling: { kind: 'OBSERVED' } }).expect(200);
    expect(res.body.calls).toBe(3);
    expect(res.body.notes.join(' ')).toMatch(/Only 0 logged handling times .*10 ± 4 minutes/);
  });

  it('runs a synthetic world at a stated overload, the same for the same seed', async () => {
    const { head, body } = await history();
    const synthetic = {
      ...body,
      source: { kind: 'SYNTHETIC', days: 7, scale: 0.2, overload: 2, seed: 7 },
    };
    const first = await post(head.token, synthetic).expect(200);
    const second = await post(head.token, synthetic).expect(200);
    expect(first.body.calls).toBeGreaterThan(0);
    expect(second.body.policies).toEqual(first.body.policies);
    expect(first.body.notes.join(' ')).toMatch(/Synthetic: .* monitored calls/);
  });

  it('refuses bad input with a 400 naming the field', async () => {
    const { head, body } = await history();
    const row = body.staffing[0];
    const unknown = await (async () => {
      for (;;) {
        const code = `Z${String.fromCharCode(65 + Math.floor(Math.random() * 26))}${String.fromCharCode(65 + Math.floor(Math.random() * 26))}`;
        const rows: unknown[] = await api.db.query(`SELECT 1 FROM establishments WHERE code = $1`, [
          code,
        ]);
        if (rows.length === 0) return code;
      }
    })();
    const cases: [string, unknown][] = [
      ['staffing[0].end', { ...body, staffing: [{ ...row, start: '16:00', end: '08:00' }] }],
      ['staffing[0].listeners', { ...body, staffing: [{ ...row, listeners: 0 }] }],
      ['staffing', { ...body, staffing: [] }],
      ['staffing[0].days', { ...body, staffing: [{ ...row, days: ['MONDAY'] }] }],
      ['source.to', { ...body, source: { kind: 'HISTORY', from: '2025-01-01', to: '2026-02-05' } }],
      ['source.to', { ...body, source: { kind: 'HISTORY', from: '2026-10-10', to: '2026-10-01' } }],
      [
        'source.from',
        { ...body, source: { kind: 'HISTORY', from: '2026-02-30', to: '2026-03-01' } },
      ],
      ['source.days', { ...body, source: { kind: 'SYNTHETIC', days: 400 } }],
      ['establishment', { ...body, establishment: unknown }],
      ['policies', { ...body, policies: ['CURRENT', 'RANDOM'] }],
      ['handling.meanMinutes', { ...body, handling: { kind: 'FIXED', sdMinutes: 1 } }],
    ];
    for (const [field, bad] of cases) {
      const res = await post(head.token, bad);
      expect({ field, status: res.status }).toEqual({ field, status: 400 });
      const error = res.body as ErrorBody;
      expect(error.details.map((d) => d.field)).toContain(field);
    }
  });

  it('is refused to a role without access, and for another establishment', async () => {
    const { s, body } = await history();
    const listener: Staffer = await s.staff(['LISTENER']);
    await post(listener.token, body).expect(403);
    const elsewhere = await s.newEstablishment();
    const otherHead = await s.staff(['HEAD_OF_OMU'], { establishments: [elsewhere] });
    await post(otherHead.token, body).expect(403);
  });
});
