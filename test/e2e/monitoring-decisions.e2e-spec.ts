import { Clock } from '../../src/common/clock';
import { PatternsService } from '../../src/patterns/patterns.service';
import { bearer, ErrorBody, startApi, TestApi } from '../support/api';
import { randomMobile, randomPrisonNumber, Scenario, Staffer } from '../support/scenario';

/**
 * Monitoring decisions on arrival (issue 14), end to end against a fixed clock: FIXED is a Monday
 * in winter (London = UTC), so three working days later is Thursday at the same time.
 */
const FIXED = new Date('2026-11-30T10:00:00Z');
const DUE = '2026-12-03T10:00:00.000Z';
const HOUR = 3_600_000;

interface Decision {
  id: string;
  prisonNumber: string;
  establishmentCode: string;
  reason: string;
  markers: string[];
  openedAt: string;
  dueAt: string;
  overdue: boolean;
  status: string;
  decision: string | null;
  rationale: string | null;
  decidedBy: string | null;
  authorisationId: string | null;
  reopens: string | null;
}

const AUTHORISATION = {
  type: 'OFFENCE_RELATED',
  grounds: ['PUBLIC_SAFETY', 'CRIME'],
  channels: ['PHONE'],
  justification: 'Domestic abuse perpetrator, RoSH high: his calls must be heard to protect her.',
};

describe('monitoring decisions on arrival', () => {
  let api: TestApi;
  let s: Scenario;
  let from: Scenario;
  let security: Staffer;
  let head: Staffer;
  let elsewhere: Staffer;

  const setClock = (at: Date) => jest.spyOn(api.app.get(Clock), 'now').mockReturnValue(at);

  const putPrisoner = (prisonNumber: string, establishmentCode: string, body: object = {}) =>
    api.http
      .put(`/api/prisoners/${prisonNumber}`)
      .set(bearer(s.adminToken))
      .send({ firstName: 'Kevin', lastName: 'Smith', establishmentCode, ...body })
      .expect(200);

  const decisions = async (who: Staffer, query: string) => {
    const res = await api.http
      .get(`/api/monitoring-decisions${query}`)
      .set(bearer(who.token))
      .expect(200);
    return res.body as { items: Decision[]; total: number };
  };
  const of = async (prisonNumber: string, establishment = s.establishment) =>
    (await decisions(security, `?establishment=${establishment}`)).items.filter(
      (d) => d.prisonNumber === prisonNumber,
    );
  const decide = (who: Staffer, id: string, body: object) =>
    api.http.post(`/api/monitoring-decisions/${id}/decide`).set(bearer(who.token)).send(body);
  const overdueFlags = async (who: Staffer) => {
    const res = await api.http
      .get(`/api/risk-flags?establishment=${s.establishment}&type=MONITORING_DECISION_OVERDUE`)
      .set(bearer(who.token))
      .expect(200);
    return (res.body as { items: { subject: string; prisonNumber: string; detail: string }[] })
      .items;
  };

  beforeAll(async () => {
    api = await startApi();
    setClock(FIXED);
    s = await Scenario.create(api);
    from = await Scenario.create(api);
    const other = await Scenario.create(api);
    [security, head, elsewhere] = await Promise.all([
      s.staff(['SECURITY_MANAGER']),
      s.staff(['HEAD_OF_OMU']),
      other.staff(['SECURITY_MANAGER', 'HEAD_OF_OMU']),
    ]);
  });

  afterEach(() => setClock(FIXED));

  afterAll(async () => {
    jest.restoreAllMocks();
    await api.close();
  });

  it('an RDV, RoSH-high prisoner transferred in opens a decision, overdue after 3 working days, decided not to monitor and reopened by a burst', async () => {
    const prisoner = randomPrisonNumber();
    await putPrisoner(prisoner, from.establishment, { alertCodes: ['RDV', 'ROH'] });
    await putPrisoner(prisoner, s.establishment, { alertCodes: ['RDV', 'ROH'] });
    // Re-sent by the feed: not an arrival, nothing new.
    await putPrisoner(prisoner, s.establishment, { alertCodes: ['RDV', 'ROH'] });

    const [opened] = await of(prisoner);
    expect(await of(prisoner)).toHaveLength(1);
    expect(opened).toMatchObject({
      establishmentCode: s.establishment,
      reason: `Transferred in from ${from.establishment} with: domestic abuse perpetrator (RDV), RoSH high`,
      markers: ['RDV', 'ROSH_HIGH'],
      openedAt: FIXED.toISOString(),
      dueAt: DUE,
      overdue: false,
      status: 'DUE',
      decision: null,
      rationale: null,
      decidedBy: null,
      reopens: null,
    });
    const openedAudit: { username: string }[] = await api.db.query(
      `SELECT username FROM audit_events WHERE action = 'MONITORING_DECISION_OPENED' AND entity_id = $1`,
      [opened.id],
    );
    expect(openedAudit).toEqual([{ username: 'system' }]);

    // Thursday, an hour before it is due: not overdue; an hour after: overdue and flagged.
    setClock(new Date(Date.parse(DUE) - HOUR));
    expect((await of(prisoner))[0].overdue).toBe(false);
    expect((await overdueFlags(head)).map((f) => f.subject)).not.toContain(opened.id);
    setClock(new Date(Date.parse(DUE) + HOUR));
    expect((await of(prisoner))[0].overdue).toBe(true);
    const flagged = (await overdueFlags(head)).filter((f) => f.subject === opened.id);
    expect(flagged).toEqual([
      expect.objectContaining({
        prisonNumber: prisoner,
        detail: `Decision on monitoring was due 2026-12-03, not made: ${opened.reason}`,
      }),
    ]);

    const decided = await decide(head, opened.id, {
      decision: 'DO_NOT_MONITOR',
      rationale: 'Offence was against a partner now deceased; no contact with any partner since.',
    }).expect(200);
    expect(decided.body).toMatchObject({
      id: opened.id,
      status: 'DECIDED',
      decision: 'DO_NOT_MONITOR',
      decidedBy: head.username,
      overdue: false,
      authorisationId: null,
    });
    expect((await overdueFlags(head)).map((f) => f.subject)).not.toContain(opened.id);
    // Deciding twice is a conflict.
    await decide(security, opened.id, { decision: 'DO_NOT_MONITOR', rationale: 'again' }).expect(
      409,
    );

    // A burst of calls to a new number: the pattern alert reopens the decision.
    const now = Date.parse(DUE) + HOUR;
    const partner = randomMobile();
    const burst = Array.from({ length: 12 }, (_, i) =>
      s.call(prisoner, {
        dialledNumber: partner,
        startedAt: new Date(now - (12 - i) * HOUR).toISOString(),
      }),
    );
    const batch = await s.ingestAndTriage(burst);
    const detected = await api.app.get(PatternsService).detectAfterBatch(batch.batchId);
    expect(detected.raised).toBeGreaterThan(0);

    const after = await of(prisoner);
    expect(after).toHaveLength(2);
    const reopened = after.find((d) => d.status === 'DUE')!;
    expect(reopened).toMatchObject({
      reopens: opened.id,
      markers: ['RDV', 'ROSH_HIGH'],
      overdue: false,
    });
    expect(reopened.reason).toMatch(/^Pattern alert: 12 calls to .* in 24 hours/);
    expect(reopened.reason).toContain('reopens the decision of 2026-12-03 not to monitor');
    // The decision not to monitor stays on record as it was.
    expect(after.find((d) => d.id === opened.id)).toMatchObject({
      status: 'DECIDED',
      decision: 'DO_NOT_MONITOR',
    });
    // Only DUE, or only DECIDED.
    const due = await decisions(security, `?establishment=${s.establishment}&status=DUE`);
    expect(due.items.map((d) => d.id)).toContain(reopened.id);
    expect(due.items.map((d) => d.id)).not.toContain(opened.id);
    const done = await decisions(security, `?establishment=${s.establishment}&status=DECIDED`);
    expect(done.items.map((d) => d.id)).toContain(opened.id);
  });

  it('MONITOR opens the monitoring request, which a second person approves; then a new marker opens nothing', async () => {
    const prisoner = await s.prisoner({ alertCodes: ['CPC'] });
    const [opened] = await of(prisoner);
    expect(opened).toMatchObject({
      reason: 'Arrived with: person posing a risk to children (CPC)',
      markers: ['CPC'],
    });

    const res = await decide(security, opened.id, {
      decision: 'MONITOR',
      rationale: 'Risk to children; he has asked for calls to a family with young children.',
      authorisation: AUTHORISATION,
    }).expect(200);
    const body = res.body as Decision & { authorisation: { id: string; status: string } };
    expect(body).toMatchObject({ status: 'DECIDED', decision: 'MONITOR' });
    expect(body.authorisation).toMatchObject({ status: 'REQUESTED', prisonNumber: prisoner });
    expect(body.authorisationId).toBe(body.authorisation.id);

    // The decider asked for it: someone else approves.
    await api.http
      .post(`/api/monitoring-authorisations/${body.authorisationId}/approve`)
      .set(bearer(security.token))
      .send({})
      .expect(403);
    await api.http
      .post(`/api/monitoring-authorisations/${body.authorisationId}/approve`)
      .set(bearer(head.token))
      .send({})
      .expect(200);

    // Monitored here now: a new marker asks for no decision.
    await putPrisoner(prisoner, s.establishment, { alertCodes: ['CPC', 'RSP'] });
    expect(await of(prisoner)).toHaveLength(1);
  });

  it('a new marker on a prisoner already here (a victim among his contacts) opens a decision; none without a marker', async () => {
    const prisoner = await s.prisoner({ alertCodes: [] });
    expect(await of(prisoner)).toEqual([]);
    await s.contact(prisoner, { relationship: 'EX_PARTNER', isVictim: true });
    const [opened] = await of(prisoner);
    expect(opened).toMatchObject({
      reason: 'New marker: a victim among the contacts',
      markers: ['VICTIM_CONTACT'],
      status: 'DUE',
    });
    // Another victim is not a new marker.
    await s.contact(prisoner, { relationship: 'PARTNER', isVictim: true });
    expect(await of(prisoner)).toHaveLength(1);
  });

  it('bad input is a 400 naming the field, and changes nothing', async () => {
    const prisoner = await s.prisoner({ alertCodes: ['ONCR'] });
    const [opened] = await of(prisoner);
    const fieldOf = async (body: object) => {
      const res = await decide(security, opened.id, body).expect(400);
      return (res.body as ErrorBody).details.map((d) => d.field);
    };
    expect(await fieldOf({ decision: 'MAYBE', rationale: 'x' })).toContain('decision');
    expect(await fieldOf({ decision: 'MONITOR', rationale: 'needed' })).toEqual(['authorisation']);
    expect(
      await fieldOf({
        decision: 'MONITOR',
        rationale: 'needed',
        authorisation: { ...AUTHORISATION, justification: 'too short' },
      }),
    ).toEqual(['authorisation.justification']);
    expect(
      await fieldOf({ decision: 'DO_NOT_MONITOR', rationale: 'x', authorisation: AUTHORISATION }),
    ).toEqual(['authorisation']);
    expect(await fieldOf({ decision: 'DO_NOT_MONITOR', rationale: '' })).toContain('rationale');
    await api.http
      .get(`/api/monitoring-decisions?establishment=${s.establishment}&status=OPEN`)
      .set(bearer(security.token))
      .expect(400);
    const still = await of(prisoner);
    expect(still).toEqual([expect.objectContaining({ id: opened.id, status: 'DUE' })]);
    const requests: unknown[] = await api.db.query(
      `SELECT 1 FROM monitoring_authorisations WHERE prison_number = $1`,
      [prisoner],
    );
    expect(requests).toEqual([]);
    await decide(security, '00000000-0000-4000-8000-000000000000', {
      decision: 'DO_NOT_MONITOR',
      rationale: 'x',
    }).expect(404);
  });

  it("another establishment's decisions are not shown or decided: 403", async () => {
    const prisoner = await s.prisoner({ alertCodes: ['OHCO'] });
    const [opened] = await of(prisoner);
    await api.http
      .get(`/api/monitoring-decisions?establishment=${s.establishment}`)
      .set(bearer(elsewhere.token))
      .expect(403);
    const theirs = await decisions(elsewhere, '');
    expect(theirs.items.map((d) => d.id)).not.toContain(opened.id);
    await decide(elsewhere, opened.id, { decision: 'DO_NOT_MONITOR', rationale: 'x' }).expect(403);
    await api.http
      .get(`/api/monitoring-decisions/${opened.id}`)
      .set(bearer(elsewhere.token))
      .expect(403);
    const listener = await s.staff(['LISTENER']);
    await api.http
      .get(`/api/monitoring-decisions?establishment=${s.establishment}`)
      .set(bearer(listener.token))
      .expect(403);
    expect((await of(prisoner))[0].status).toBe('DUE');
    // Reads are audited.
    const reads: unknown[] = await api.db.query(
      `SELECT 1 FROM audit_events WHERE action = 'MONITORING_DECISION_READ' AND username = $1
         AND $2 = ANY(subject_ids)`,
      [security.username, opened.id],
    );
    expect(reads.length).toBeGreaterThan(0);
  });
});
