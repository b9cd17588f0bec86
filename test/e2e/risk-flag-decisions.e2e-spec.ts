import { Clock } from '../../src/common/clock';
import { bearer, ErrorBody, startApi, TestApi } from '../support/api';
import { Scenario, Staffer } from '../support/scenario';

/**
 * Decisions on risk flags (issue 14) against a fixed clock in winter (London = UTC): a decided flag
 * leaves the open list until its review date, or until its facts change.
 */
const FIXED = new Date('2026-11-30T10:00:00Z');
const DAY = 86_400_000;
const at = (days: number) => new Date(FIXED.getTime() + days * DAY);
const dateOf = (d: Date) => d.toISOString().slice(0, 10);

interface Flag {
  type: string;
  prisonNumber: string | null;
  subject: string;
  detail: string;
  decision?: { id: string; decision: string; rationale: string; reviewBy: string } | null;
}

describe('decisions on risk flags', () => {
  let api: TestApi;
  let s: Scenario;
  let head: Staffer;
  let elsewhere: Staffer;

  const setClock = (d: Date) => jest.spyOn(api.app.get(Clock), 'now').mockReturnValue(d);
  const flags = async (type: string, extra = '') => {
    const res = await api.http
      .get(`/api/risk-flags?establishment=${s.establishment}&type=${type}${extra}`)
      .set(bearer(head.token))
      .expect(200);
    return (res.body as { items: Flag[] }).items;
  };
  const flaggedPrisoners = async (type: string, extra = '') =>
    (await flags(type, extra)).map((f) => f.prisonNumber);
  /** The flag types the prisoner's profile shows. */
  const profileFlags = async (prisonNumber: string) =>
    (
      (await api.http.get(`/api/prisoners/${prisonNumber}`).set(bearer(head.token)).expect(200))
        .body as { riskFlags: { type: string }[] }
    ).riskFlags.map((f) => f.type);
  const decide = (who: Staffer, body: object) =>
    api.http.post('/api/risk-flags/decisions').set(bearer(who.token)).send(body);

  beforeAll(async () => {
    api = await startApi();
    setClock(FIXED);
    s = await Scenario.create(api);
    const other = await Scenario.create(api);
    head = await s.staff(['HEAD_OF_OMU']);
    elsewhere = await other.staff(['HEAD_OF_OMU']);
  });

  afterEach(() => setClock(FIXED));

  afterAll(async () => {
    jest.restoreAllMocks();
    await api.close();
  });

  it('a decision hides the flag until its review date, and the flag comes back on it', async () => {
    const prisoner = await s.prisoner({ alertCodes: ['RDV', 'ROH'] });
    expect(await flaggedPrisoners('HIGH_RISK_NOT_MONITORED')).toContain(prisoner);
    expect(await profileFlags(prisoner)).toContain('HIGH_RISK_NOT_MONITORED');

    const reviewBy = dateOf(at(7));
    const res = await decide(head, {
      type: 'HIGH_RISK_NOT_MONITORED',
      prisonNumber: prisoner,
      decision: 'ACCEPTED_RISK',
      rationale:
        'Victim has moved abroad and has no phone contact; risk accepted until the review.',
      reviewBy,
    }).expect(201);
    expect(res.body).toMatchObject({
      type: 'HIGH_RISK_NOT_MONITORED',
      prisonNumber: prisoner,
      establishmentCode: s.establishment,
      decision: 'ACCEPTED_RISK',
      reviewBy,
      subjects: [prisoner],
      decidedBy: head.username,
    });
    const id = (res.body as { id: string }).id;
    const audited: { username: string }[] = await api.db.query(
      `SELECT username FROM audit_events WHERE action = 'RISK_FLAG_DECIDED' AND entity_id = $1`,
      [id],
    );
    expect(audited).toEqual([{ username: head.username }]);

    expect(await flaggedPrisoners('HIGH_RISK_NOT_MONITORED')).not.toContain(prisoner);
    // The profile hides it too.
    expect(await profileFlags(prisoner)).not.toContain('HIGH_RISK_NOT_MONITORED');
    // Shown with its decision when asked for.
    const decided = (await flags('HIGH_RISK_NOT_MONITORED', '&include=decided')).find(
      (f) => f.prisonNumber === prisoner,
    );
    expect(decided?.decision).toMatchObject({ id, decision: 'ACCEPTED_RISK', reviewBy });
    // The open list's items keep their shape.
    const anyOpen = await flags('HIGH_RISK_NOT_MONITORED');
    expect(anyOpen.every((f) => !('decision' in f))).toBe(true);

    // The day before the review date: still hidden; on it: back.
    setClock(at(6));
    expect(await flaggedPrisoners('HIGH_RISK_NOT_MONITORED')).not.toContain(prisoner);
    setClock(new Date(`${reviewBy}T00:30:00Z`));
    expect(await flaggedPrisoners('HIGH_RISK_NOT_MONITORED')).toContain(prisoner);
    expect(await profileFlags(prisoner)).toContain('HIGH_RISK_NOT_MONITORED');
  });

  it('a decision holds while the facts stay, however the wording moves day by day, and ends when they change', async () => {
    // MAPPA category 2, level not set, release in 100 days: "release in N days" changes daily.
    const mappa = await s.prisoner({
      alertCodes: ['P55'],
      earliestReleaseDate: dateOf(at(100)),
    });
    expect(await flaggedPrisoners('MAPPA_LEVEL_NOT_SET_PRE_RELEASE')).toContain(mappa);
    await decide(head, {
      type: 'MAPPA_LEVEL_NOT_SET_PRE_RELEASE',
      prisonNumber: mappa,
      decision: 'ACTIONED',
      rationale: 'Referred to the MAPPA coordinator; level to be set at the next meeting.',
      reviewBy: dateOf(at(30)),
    }).expect(201);
    setClock(at(1));
    expect(await flaggedPrisoners('MAPPA_LEVEL_NOT_SET_PRE_RELEASE')).not.toContain(mappa);
    // The release date moves: new facts, the flag is back.
    await api.http
      .put(`/api/prisoners/${mappa}`)
      .set(bearer(s.adminToken))
      .send({
        firstName: 'Test',
        lastName: 'Mappa',
        establishmentCode: s.establishment,
        alertCodes: ['P55'],
        earliestReleaseDate: dateOf(at(60)),
      })
      .expect(200);
    expect(await flaggedPrisoners('MAPPA_LEVEL_NOT_SET_PRE_RELEASE')).toContain(mappa);

    // RoSH rises from high to very high: the detail changes, so does the flag's standing.
    setClock(FIXED);
    const risky = await s.prisoner({ alertCodes: ['RSP', 'ROH'] });
    await decide(head, {
      type: 'HIGH_RISK_NOT_MONITORED',
      prisonNumber: risky,
      decision: 'ACCEPTED_RISK',
      rationale: 'Order in place and victim informed; monitoring not proportionate now.',
      reviewBy: dateOf(at(30)),
    }).expect(201);
    expect(await flaggedPrisoners('HIGH_RISK_NOT_MONITORED')).not.toContain(risky);
    await api.http
      .put(`/api/prisoners/${risky}`)
      .set(bearer(s.adminToken))
      .send({
        firstName: 'Test',
        lastName: 'Risky',
        establishmentCode: s.establishment,
        alertCodes: ['RSP', 'ROV'],
      })
      .expect(200);
    expect(await flaggedPrisoners('HIGH_RISK_NOT_MONITORED')).toContain(risky);
  });

  it('bad input is a 400 naming the field; no such flag 404; another establishment 403', async () => {
    const prisoner = await s.prisoner({ alertCodes: ['RDV', 'ROV'] });
    await flags('HIGH_RISK_NOT_MONITORED');
    const good = {
      type: 'HIGH_RISK_NOT_MONITORED',
      prisonNumber: prisoner,
      decision: 'ACTIONED',
      rationale: 'Authorisation requested today.',
      reviewBy: dateOf(at(14)),
    };
    const fieldsOf = async (body: object) =>
      ((await decide(head, body).expect(400)).body as ErrorBody).details.map((d) => d.field);
    expect(await fieldsOf({ ...good, type: 'NOT_A_FLAG' })).toEqual(['type']);
    expect(await fieldsOf({ ...good, decision: 'IGNORED' })).toEqual(['decision']);
    expect(await fieldsOf({ ...good, reviewBy: 'next week' })).toEqual(['reviewBy']);
    expect(await fieldsOf({ ...good, reviewBy: dateOf(FIXED) })).toEqual(['reviewBy']);
    expect(await fieldsOf({ ...good, prisonNumber: 'nope' })).toEqual(['prisonNumber']);
    expect(await fieldsOf({ ...good, rationale: '' })).toEqual(['rationale']);
    await decide(head, { ...good, type: 'MAPPA_L1_REVIEW_OVERDUE' }).expect(404);
    await decide(elsewhere, good).expect(403);
    const written: unknown[] = await api.db.query(
      `SELECT 1 FROM risk_flag_decisions WHERE prison_number = $1`,
      [prisoner],
    );
    expect(written).toEqual([]);
    expect(await flaggedPrisoners('HIGH_RISK_NOT_MONITORED')).toContain(prisoner);
  });
});
