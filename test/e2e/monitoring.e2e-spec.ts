import { DEFAULT_SETTINGS } from '../../src/establishments/settings';
import { MonitoringService } from '../../src/monitoring/monitoring.service';
import { bearer, startApi, TestApi } from '../support/api';
import { randomMobile, randomPrisonNumber, Scenario, Staffer, toE164 } from '../support/scenario';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ALL_TRAININGS = ['PUBLIC_PROTECTION', 'DOMESTIC_ABUSE', 'CHILD_SAFEGUARDING'];

interface Authorisation {
  id: string;
  prisonNumber: string;
  establishmentCode: string;
  type: string;
  status: string;
  requestedBy: string;
  approvedBy: string | null;
  startsAt: string;
  endsAt: string | null;
  reviewDueAt: string;
  reviewOverdue: boolean;
  lookbackDays: number;
  endedBy: string | null;
  reviews?: { decision: string; rationale: string; reviewedBy: string; nextReviewDueAt: string }[];
}

interface CallBody {
  id: string;
  status: string;
  tier: string | null;
  startedAt: string;
  dueAt: string | null;
  priorityReasons: string[];
  contact: { id: string; isVictim: boolean } | null;
  hasRecording: boolean;
  claim: { username: string; expiresAt: string } | null;
}

interface ErrorBody {
  statusCode: number;
  details: { field: string; message: string }[];
}

const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

describe('monitoring authorisations', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi();
  });

  afterAll(async () => {
    await api.close();
  });

  const justification = 'Risk to a former partner; calls must be heard to manage it.';

  const request = (who: Staffer, prisonNumber: string, body: Record<string, unknown> = {}) =>
    api.http
      .post(`/api/prisoners/${prisonNumber}/monitoring-authorisations`)
      .set(bearer(who.token))
      .send({
        type: 'OFFENCE_RELATED',
        grounds: ['PUBLIC_SAFETY', 'CRIME'],
        channels: ['PHONE'],
        justification,
        ...body,
      });

  const requested = async (who: Staffer, prisonNumber: string, body?: Record<string, unknown>) =>
    (await request(who, prisonNumber, body).expect(201)).body as Authorisation;

  const approve = (who: Staffer, id: string) =>
    api.http
      .post(`/api/monitoring-authorisations/${id}/approve`)
      .set(bearer(who.token))
      .send({ note: 'Necessary and proportionate.' });

  const authorisation = async (who: Staffer, id: string) =>
    (await api.http.get(`/api/monitoring-authorisations/${id}`).set(bearer(who.token)).expect(200))
      .body as Authorisation;

  const getCall = async (who: Staffer, id: string) =>
    (await api.http.get(`/api/calls/${id}`).set(bearer(who.token)).expect(200)).body as CallBody;

  /** Status of each of the prisoner's calls, by externalId. */
  const statuses = async (s: Scenario, prisonNumber: string) =>
    Object.fromEntries((await s.callsOf(prisonNumber)).map((c) => [c.externalId, c.status]));

  const authorisers = async (s: Scenario) => {
    const [requester, approver] = await Promise.all([
      s.staff(['SECURITY_MANAGER']),
      s.staff(['HEAD_OF_OMU']),
    ]);
    return { requester, approver };
  };

  it('queues nothing for a prisoner without an active authorisation', async () => {
    const s = await Scenario.create(api);
    const prisoner = await s.prisoner();
    const [listener, requester] = await Promise.all([
      s.staff(['LISTENER'], { trainings: ALL_TRAININGS }),
      s.staff(['SECURITY_MANAGER']),
    ]);
    await s.ingestAndTriage([s.call(prisoner), s.call(prisoner)]);

    const rows = await s.callsOf(prisoner);
    expect(rows.map((c) => [c.status, c.tier])).toEqual([
      ['NOT_MONITORED', null],
      ['NOT_MONITORED', null],
    ]);
    await s.claim(listener).expect(204);

    const asked = await requested(requester, prisoner);
    expect(asked).toMatchObject({ status: 'REQUESTED', requestedBy: requester.username });
    expect((await s.callsOf(prisoner)).map((c) => c.status)).toEqual([
      'NOT_MONITORED',
      'NOT_MONITORED',
    ]);
    await s.claim(listener).expect(204);
  });

  it('needs a second person, an authoriser of the establishment, to approve', async () => {
    const s = await Scenario.create(api);
    const other = await Scenario.create(api);
    const prisoner = await s.prisoner();
    const [requester, listener, securityManager, headOfOmu, outsider] = await Promise.all([
      s.staff(['SECURITY_MANAGER']),
      s.staff(['LISTENER']),
      s.staff(['SECURITY_MANAGER']),
      s.staff(['HEAD_OF_OMU']),
      other.staff(['HEAD_OF_OMU', 'SECURITY_MANAGER']),
    ]);
    const startsAt = Date.now() - 2 * DAY;
    const inside = s.call(prisoner, { startedAt: ago(HOUR) });
    const dayBefore = s.call(prisoner, { startedAt: new Date(startsAt - DAY).toISOString() });
    const weekBefore = s.call(prisoner, { startedAt: new Date(startsAt - 7 * DAY).toISOString() });
    await s.ingestAndTriage([inside, dayBefore, weekBefore]);
    const [insideId, dayBeforeId, weekBeforeId] = [inside, dayBefore, weekBefore].map(
      (c) => c.externalId as string,
    );

    // Staff of another establishment may not even ask.
    await request(outsider, prisoner).expect(403);
    const { id } = await requested(requester, prisoner, {
      startsAt: new Date(startsAt).toISOString(),
    });
    await approve(requester, id).expect(403);
    await approve(listener, id).expect(403);
    await approve(outsider, id).expect(403);
    expect(await authorisation(requester, id)).toMatchObject({
      status: 'REQUESTED',
      approvedBy: null,
    });
    expect(await statuses(s, prisoner)).toEqual({
      [insideId]: 'NOT_MONITORED',
      [dayBeforeId]: 'NOT_MONITORED',
      [weekBeforeId]: 'NOT_MONITORED',
    });

    const approved = (await approve(securityManager, id).expect(200)).body as Authorisation;
    expect(approved).toMatchObject({ status: 'ACTIVE', approvedBy: securityManager.username });
    // Re-scored in the same breath: the call inside the period is queued, earlier ones are not.
    expect(await statuses(s, prisoner)).toEqual({
      [insideId]: 'PENDING',
      [dayBeforeId]: 'NOT_MONITORED',
      [weekBeforeId]: 'NOT_MONITORED',
    });

    // A look-back of two days reaches the call made a day before the start, not the one a week before.
    const lookback = await requested(requester, prisoner, {
      startsAt: new Date(startsAt).toISOString(),
      lookbackDays: 2,
    });
    expect(lookback.lookbackDays).toBe(2);
    await approve(headOfOmu, lookback.id).expect(200);
    expect(await statuses(s, prisoner)).toEqual({
      [insideId]: 'PENDING',
      [dayBeforeId]: 'PENDING',
      [weekBeforeId]: 'NOT_MONITORED',
    });
  });

  it('refuses a second approval and requests that are not valid', async () => {
    const s = await Scenario.create(api);
    const prisoner = await s.prisoner();
    const people = await authorisers(s);
    const id = await s.authorise(prisoner, {}, people);
    const again = await approve(people.approver, id).expect(409);
    expect((again.body as ErrorBody).statusCode).toBe(409);
    expect((await authorisation(people.approver, id)).status).toBe('ACTIVE');

    const startsAt = new Date(Date.now() - DAY);
    const invalid: [Record<string, unknown>, string][] = [
      [{ justification: 'Seems risky.' }, 'justification'],
      [{ grounds: [] }, 'grounds'],
      [{ channels: ['PHONE', 'FAX'] }, 'channels'],
      [
        {
          startsAt: startsAt.toISOString(),
          endsAt: new Date(startsAt.getTime() - HOUR).toISOString(),
        },
        'endsAt',
      ],
    ];
    for (const [body, field] of invalid) {
      const res = await request(people.requester, prisoner, body).expect(400);
      expect((res.body as ErrorBody).details.map((d) => d.field)).toContain(field);
    }
    const all = await request(people.requester, prisoner, {
      justification: 'short',
      grounds: [],
      channels: ['FAX'],
    }).expect(400);
    expect((all.body as ErrorBody).details.map((d) => d.field)).toEqual(
      expect.arrayContaining(['justification', 'grounds', 'channels']),
    );

    // Nothing was written by the refused requests.
    const list = await api.http
      .get(`/api/monitoring-authorisations?prisonNumber=${prisoner}`)
      .set(bearer(people.approver.token))
      .expect(200);
    expect((list.body as { items: Authorisation[] }).items.map((a) => a.id)).toEqual([id]);

    // A request whose end date passed before anyone approved it can no longer be approved.
    const lapsed = await requested(people.requester, prisoner, {
      startsAt: startsAt.toISOString(),
      endsAt: new Date(Date.now() + HOUR).toISOString(),
    });
    await api.db.query(
      `UPDATE monitoring_authorisations SET ends_at = now() - interval '1 minute' WHERE id = $1`,
      [lapsed.id],
    );
    await approve(people.approver, lapsed.id).expect(409);
    expect((await authorisation(people.approver, lapsed.id)).status).toBe('REQUESTED');
  });

  it('sets the review date from the type of authorisation', async () => {
    const s = await Scenario.create(api);
    const prisoner = await s.prisoner();
    const requester = await s.staff(['POM']);
    const startsAt = new Date(Math.floor((Date.now() - 5 * DAY) / 1000) * 1000);
    const intervals = DEFAULT_SETTINGS.reviewIntervalDays;

    const offence = await requested(requester, prisoner, {
      type: 'OFFENCE_RELATED',
      startsAt: startsAt.toISOString(),
    });
    expect(new Date(offence.startsAt).getTime()).toBe(startsAt.getTime());
    expect(new Date(offence.reviewDueAt).getTime()).toBe(
      startsAt.getTime() + intervals.OFFENCE_RELATED * DAY,
    );
    const intelligence = await requested(requester, prisoner, {
      type: 'INTELLIGENCE_LED',
      startsAt: startsAt.toISOString(),
    });
    expect(new Date(intelligence.reviewDueAt).getTime()).toBe(
      startsAt.getTime() + intervals.INTELLIGENCE_LED * DAY,
    );

    // Without startsAt it starts now, and the review falls due one interval later.
    const before = Date.now();
    const now = await requested(requester, prisoner, { type: 'OFFENCE_RELATED' });
    const started = new Date(now.startsAt).getTime();
    expect(started).toBeGreaterThanOrEqual(before - 1000);
    expect(started).toBeLessThanOrEqual(Date.now() + 1000);
    expect(new Date(now.reviewDueAt).getTime()).toBe(started + intervals.OFFENCE_RELATED * DAY);
  });

  it('records reviews: CONTINUE moves the review date, END stops listening', async () => {
    const s = await Scenario.create(api);
    const prisoner = await s.prisoner();
    const people = await authorisers(s);
    const listener = await s.staff(['LISTENER']);
    const id = await s.authorise(prisoner, {}, people);
    await s.ingestAndTriage([s.call(prisoner)]);
    expect((await s.callsOf(prisoner)).map((c) => c.status)).toEqual(['PENDING']);
    const reviewer = people.requester;

    await api.http
      .post(`/api/monitoring-authorisations/${id}/review`)
      .set(bearer(reviewer.token))
      .send({ decision: 'CONTINUE', rationale: 'x', nextReviewDueAt: ago(DAY) })
      .expect(400);
    const next = new Date(Math.floor((Date.now() + 20 * DAY) / 1000) * 1000);
    const continued = await api.http
      .post(`/api/monitoring-authorisations/${id}/review`)
      .set(bearer(reviewer.token))
      .send({
        decision: 'CONTINUE',
        rationale: 'Threats continue.',
        nextReviewDueAt: next.toISOString(),
      })
      .expect(200);
    expect(continued.body).toMatchObject({ status: 'ACTIVE' });
    expect(new Date((continued.body as Authorisation).reviewDueAt).getTime()).toBe(next.getTime());

    // Without a date, the next review is one interval from now.
    const before = Date.now();
    const defaulted = (
      await api.http
        .post(`/api/monitoring-authorisations/${id}/review`)
        .set(bearer(reviewer.token))
        .send({ decision: 'CONTINUE', rationale: 'Still necessary.' })
        .expect(200)
    ).body as Authorisation;
    const interval = DEFAULT_SETTINGS.reviewIntervalDays.OFFENCE_RELATED * DAY;
    expect(new Date(defaulted.reviewDueAt).getTime()).toBeGreaterThanOrEqual(before + interval);
    expect(new Date(defaulted.reviewDueAt).getTime()).toBeLessThanOrEqual(Date.now() + interval);

    const stored = await authorisation(reviewer, id);
    expect(stored.reviewDueAt).toBe(defaulted.reviewDueAt);
    expect(stored.reviews).toHaveLength(2);
    expect(stored.reviews![0]).toMatchObject({
      decision: 'CONTINUE',
      rationale: 'Threats continue.',
      reviewedBy: reviewer.username,
    });
    expect(new Date(stored.reviews![0].nextReviewDueAt).getTime()).toBe(next.getTime());
    expect((await s.callsOf(prisoner)).map((c) => c.status)).toEqual(['PENDING']);

    const ended = await api.http
      .post(`/api/monitoring-authorisations/${id}/review`)
      .set(bearer(reviewer.token))
      .send({ decision: 'END', rationale: 'No longer proportionate.' })
      .expect(200);
    expect(ended.body).toMatchObject({ status: 'ENDED', endedBy: reviewer.username });
    expect((await authorisation(reviewer, id)).reviews).toHaveLength(3);
    expect((await s.callsOf(prisoner)).map((c) => c.status)).toEqual(['NOT_MONITORED']);
    await s.claim(listener).expect(204);
    await api.http
      .post(`/api/monitoring-authorisations/${id}/review`)
      .set(bearer(reviewer.token))
      .send({ decision: 'CONTINUE', rationale: 'Too late.' })
      .expect(409);
  });

  it('ending an authorisation takes its calls out of the queue at once', async () => {
    const s = await Scenario.create(api);
    const prisoner = await s.prisoner();
    const people = await authorisers(s);
    const listener = await s.staff(['LISTENER']);
    const id = await s.authorise(prisoner, {}, people);
    await s.ingestAndTriage([s.call(prisoner), s.call(prisoner)]);
    expect((await s.callsOf(prisoner)).map((c) => c.status)).toEqual(['PENDING', 'PENDING']);

    const res = await api.http
      .post(`/api/monitoring-authorisations/${id}/end`)
      .set(bearer(people.approver.token))
      .send({ reason: 'Risk has reduced.' })
      .expect(200);
    expect(res.body).toMatchObject({ status: 'ENDED', endedBy: people.approver.username });
    expect((await s.callsOf(prisoner)).map((c) => c.status)).toEqual([
      'NOT_MONITORED',
      'NOT_MONITORED',
    ]);
    await s.claim(listener).expect(204);
    await api.http
      .post(`/api/monitoring-authorisations/${id}/end`)
      .set(bearer(people.approver.token))
      .send({ reason: 'Again.' })
      .expect(409);
  });

  it('takes a call from its listener as soon as it may no longer be heard', async () => {
    const s = await Scenario.create(api);
    const prisoner = await s.prisoner();
    const people = await authorisers(s);
    const [listener, colleague] = await Promise.all([s.staff(['LISTENER']), s.staff(['LISTENER'])]);
    const id = await s.authorise(prisoner, {}, people);
    const lawyerNumber = randomMobile();
    await s.ingestAndTriage([
      s.call(prisoner, { dialledNumber: lawyerNumber, startedAt: ago(2 * HOUR) }),
      s.call(prisoner, { startedAt: ago(HOUR) }),
    ]);
    const claim = async (who: Staffer) =>
      (await s.claim(who).expect(200)).body as {
        call: CallBody & { dialledNumber: string };
        claim: { token: string };
      };
    const toLawyer = await claim(listener);
    const other = await claim(colleague);
    expect(toLawyer.call.dialledNumber).toBe(toE164(lawyerNumber));
    const recording = (who: Staffer, callId: string) =>
      api.http.get(`/api/calls/${callId}/recording`).set(bearer(who.token));
    await recording(listener, toLawyer.call.id).expect(200);

    // The number being heard turns out to be a solicitor's.
    await s.privilegedNumber(toE164(lawyerNumber), people.requester.token, 'Test Solicitors LLP');
    expect(await getCall(listener, toLawyer.call.id)).toMatchObject({
      status: 'EXCLUDED_PRIVILEGED',
      claim: null,
    });
    await recording(listener, toLawyer.call.id).expect(403);
    await api.http
      .post(`/api/calls/${toLawyer.call.id}/claim/extend`)
      .set(bearer(listener.token))
      .send({ token: toLawyer.claim.token })
      .expect(409);
    // The revocation is on the record: which call, whose claim, why.
    const revoked = await api.db.query<{ username: string; details: Record<string, unknown> }[]>(
      `SELECT username, details FROM audit_events WHERE action = 'CLAIM_REVOKED' AND entity_id = $1`,
      [toLawyer.call.id],
    );
    expect(revoked).toEqual([
      {
        username: 'system',
        details: {
          listener: listener.username,
          becomes: 'EXCLUDED_PRIVILEGED',
          reason: 'the number is privileged',
        },
      },
    ]);
    // The other call is still being heard.
    expect(await getCall(colleague, other.call.id)).toMatchObject({ status: 'CLAIMED' });

    // Monitoring ends: the other listener's claim goes too.
    await api.http
      .post(`/api/monitoring-authorisations/${id}/end`)
      .set(bearer(people.approver.token))
      .send({ reason: 'No longer necessary.' })
      .expect(200);
    expect(await getCall(colleague, other.call.id)).toMatchObject({
      status: 'NOT_MONITORED',
      claim: null,
    });
    const ended = await api.db.query<{ details: Record<string, unknown> }[]>(
      `SELECT details FROM audit_events WHERE action = 'CLAIM_REVOKED' AND entity_id = $1`,
      [other.call.id],
    );
    expect(ended.map((e) => e.details)).toEqual([
      {
        listener: colleague.username,
        becomes: 'NOT_MONITORED',
        reason: 'no active authorisation covers the call',
      },
    ]);
    await recording(colleague, other.call.id).expect(403);
    await api.http
      .post(`/api/calls/${other.call.id}/release`)
      .set(bearer(colleague.token))
      .send({ token: other.claim.token })
      .expect(409);
  });

  it('expires an authorisation whose end date has passed and stops its calls', async () => {
    const s = await Scenario.create(api);
    const prisoner = await s.prisoner();
    const people = await authorisers(s);
    const [listener, head] = await Promise.all([s.staff(['LISTENER']), s.staff(['HEAD_OF_OMU'])]);
    const id = await s.authorise(
      prisoner,
      { endsAt: new Date(Date.now() + DAY).toISOString() },
      people,
    );
    await s.ingestAndTriage([s.call(prisoner)]);
    expect((await s.callsOf(prisoner)).map((c) => c.status)).toEqual(['PENDING']);

    await api.db.query(
      `UPDATE monitoring_authorisations SET ends_at = now() - interval '1 minute' WHERE id = $1`,
      [id],
    );
    expect(await api.app.get(MonitoringService).expireDue()).toBeGreaterThanOrEqual(1);

    expect(await authorisation(head, id)).toMatchObject({ status: 'EXPIRED' });
    expect((await s.callsOf(prisoner)).map((c) => c.status)).toEqual(['NOT_MONITORED']);
    await s.claim(listener).expect(204);
    const queue = await api.http
      .get(`/api/queue?establishment=${s.establishment}`)
      .set(bearer(head.token))
      .expect(200);
    expect((queue.body as { total: number }).total).toBe(0);
    const profile = await api.http
      .get(`/api/prisoners/${prisoner}`)
      .set(bearer(head.token))
      .expect(200);
    expect((profile.body as { monitoring: unknown[] }).monitoring).toEqual([]);
  });

  it('lists authorisations by establishment, status and overdue review', async () => {
    const s = await Scenario.create(api);
    const other = await Scenario.create(api);
    const people = await authorisers(s);
    const [p1, p2, p3, p4] = [
      await s.prisoner(),
      await s.prisoner(),
      await s.prisoner(),
      await s.prisoner(),
    ];
    const current = await s.authorise(p1, {}, people);
    const overdue = await s.authorise(p2, {}, people);
    const pending = (await requested(people.requester, p3)).id;
    const ended = await s.authorise(p4, {}, people);
    await api.http
      .post(`/api/monitoring-authorisations/${ended}/end`)
      .set(bearer(people.approver.token))
      .send({ reason: 'Released.' })
      .expect(200);
    await api.db.query(
      `UPDATE monitoring_authorisations SET review_due_at = now() - interval '1 day' WHERE id = $1`,
      [overdue],
    );
    const elsewhere = await other.authorise(await other.prisoner());
    const head = await s.staff(['HEAD_OF_OMU']);

    const list = async (query: string) => {
      const res = await api.http
        .get(`/api/monitoring-authorisations?${query}`)
        .set(bearer(head.token))
        .expect(200);
      const body = res.body as { items: Authorisation[]; total: number };
      expect(body.total).toBe(body.items.length);
      return body.items;
    };
    const ids = (items: Authorisation[]) => items.map((a) => a.id).sort();

    const active = await list(`establishment=${s.establishment}&status=ACTIVE`);
    expect(ids(active)).toEqual([current, overdue].sort());
    expect(
      active.every((a) => a.status === 'ACTIVE' && a.establishmentCode === s.establishment),
    ).toBe(true);

    const late = await list(`establishment=${s.establishment}&reviewOverdue=true`);
    expect(late.map((a) => [a.id, a.reviewOverdue])).toEqual([[overdue, true]]);
    const onTime = await list(`establishment=${s.establishment}&status=ACTIVE&reviewOverdue=false`);
    expect(onTime.map((a) => [a.id, a.reviewOverdue])).toEqual([[current, false]]);

    expect(ids(await list(`establishment=${s.establishment}&status=REQUESTED`))).toEqual([pending]);
    expect(ids(await list(`establishment=${s.establishment}&status=ENDED`))).toEqual([ended]);
    const everything = ids(await list(`establishment=${s.establishment}`));
    expect(everything).toEqual([current, overdue, pending, ended].sort());
    expect(everything).not.toContain(elsewhere);
    // Without a filter a head of OMU sees their own establishment only.
    expect(ids(await list(''))).toEqual(everything);
    await api.http
      .get(`/api/monitoring-authorisations?establishment=${other.establishment}`)
      .set(bearer(head.token))
      .expect(403);
  });

  it('re-scores waiting calls when the authorisation, profile, contacts or directory change', async () => {
    const s = await Scenario.create(api);
    const people = await authorisers(s);
    const head = await s.staff(['HEAD_OF_OMU']);

    // Random monitoring only: the lowest tier.
    const randomOnly = await s.prisoner();
    await s.authorise(randomOnly, { type: 'RANDOM' }, people);
    await s.ingestAndTriage([s.call(randomOnly)]);
    const [randomCall] = await s.callsOf(randomOnly);
    const p4 = await getCall(head, randomCall.id);
    expect(p4).toMatchObject({ status: 'PENDING', tier: 'P4' });
    expect(p4.priorityReasons).toContain('random monitoring only');
    expect(new Date(p4.dueAt!).getTime()).toBe(
      new Date(p4.startedAt).getTime() + DEFAULT_SETTINGS.slaHours.P4 * HOUR,
    );

    // The profile changes to MAPPA level 3: the waiting call goes to the top tier.
    await api.http
      .put(`/api/prisoners/${randomOnly}`)
      .set(bearer(s.adminToken))
      .send({
        firstName: 'Test',
        lastName: 'Prisoner',
        establishmentCode: s.establishment,
        alertCodes: ['P88'],
      })
      .expect(200);
    const p1 = await getCall(head, randomCall.id);
    expect(p1).toMatchObject({ status: 'PENDING', tier: 'P1' });
    expect(p1.priorityReasons).toContain('MAPPA level 3');
    expect(new Date(p1.dueAt!).getTime()).toBe(
      new Date(p1.startedAt).getTime() + DEFAULT_SETTINGS.slaHours.P1 * HOUR,
    );

    // A victim is recorded with the number dialled: that call (only) becomes P1.
    const prisoner = await s.prisoner();
    await s.authorise(prisoner, {}, people);
    const victimNumber = randomMobile();
    const lawyerNumber = randomMobile();
    const toVictim = s.call(prisoner, { dialledNumber: victimNumber });
    const toLawyer = s.call(prisoner, { dialledNumber: lawyerNumber });
    await s.ingestAndTriage([toVictim, toLawyer]);
    const byExternalId = async () =>
      new Map((await s.callsOf(prisoner)).map((c) => [c.externalId, c]));
    let calls = await byExternalId();
    expect(calls.get(toVictim.externalId as string)).toMatchObject({
      status: 'PENDING',
      tier: 'P3',
    });
    expect(calls.get(toLawyer.externalId as string)).toMatchObject({
      status: 'PENDING',
      tier: 'P3',
    });

    const contactId = await s.contact(prisoner, {
      relationship: 'EX_PARTNER',
      isVictim: true,
      phoneNumbers: [`${victimNumber.slice(0, 5)} ${victimNumber.slice(5)}`],
    });
    calls = await byExternalId();
    const victimCall = await getCall(head, calls.get(toVictim.externalId as string)!.id);
    expect(victimCall).toMatchObject({ status: 'PENDING', tier: 'P1' });
    expect(victimCall.priorityReasons).toContain('victim contact');
    expect(victimCall.contact).toMatchObject({ id: contactId, isVictim: true });
    expect(calls.get(toLawyer.externalId as string)).toMatchObject({ tier: 'P3' });

    // The other number turns out to be a solicitor's: the call leaves the queue.
    await s.privilegedNumber(
      `${lawyerNumber.slice(0, 5)} ${lawyerNumber.slice(5)}`,
      s.adminToken,
      'Test & Co Solicitors',
    );
    const lawyerId = (await byExternalId()).get(toLawyer.externalId as string)!.id;
    const privileged = await getCall(head, lawyerId);
    expect(privileged).toMatchObject({
      status: 'EXCLUDED_PRIVILEGED',
      tier: null,
      hasRecording: false,
    });
    const queue = await api.http
      .get(`/api/queue?establishment=${s.establishment}`)
      .set(bearer(head.token))
      .expect(200);
    const queued = (queue.body as { items: CallBody[] }).items.map((i) => i.id);
    expect(queued).not.toContain(lawyerId);
    expect([...queued].sort()).toEqual([randomCall.id, victimCall.id].sort());
  });

  it('shows the prisoner profile with derived risk, active monitoring and contacts', async () => {
    const s = await Scenario.create(api);
    const other = await Scenario.create(api);
    const people = await authorisers(s);
    const [pom, outsider] = await Promise.all([s.staff(['POM']), other.staff(['POM'])]);
    const prisoner = await s.prisoner({ alertCodes: ['P55', 'RDV', 'ROH'] });
    const profile = async () =>
      (await api.http.get(`/api/prisoners/${prisoner}`).set(bearer(pom.token)).expect(200))
        .body as {
        prisonNumber: string;
        alertCodes: string[];
        mappaCategory: number | null;
        mappaLevel: number | null;
        roshLevel: string | null;
        monitoring: Authorisation[];
        contacts: { id: string; phoneNumbers: string[] }[];
      };

    expect(await profile()).toMatchObject({
      prisonNumber: prisoner,
      alertCodes: ['P55', 'RDV', 'ROH'],
      mappaCategory: 2,
      mappaLevel: null,
      roshLevel: 'HIGH',
      monitoring: [],
      contacts: [],
    });

    const put = await api.http
      .put(`/api/prisoners/${prisoner}`)
      .set(bearer(s.adminToken))
      .send({
        firstName: 'Test',
        lastName: 'Prisoner',
        establishmentCode: s.establishment,
        alertCodes: ['P55', 'RDV', 'ROH'],
        mappaLevel: 1,
      })
      .expect(200);
    expect(put.body).toMatchObject({ mappaCategory: 2, mappaLevel: 1, roshLevel: 'HIGH' });

    const active = await s.authorise(prisoner, {}, people);
    await requested(people.requester, prisoner, { type: 'INTELLIGENCE_LED' });
    const mobile = randomMobile();
    const contactId = await s.contact(prisoner, {
      relationship: 'PARTNER',
      phoneNumbers: [`${mobile.slice(0, 5)} ${mobile.slice(5)}`, '020 7946 0000'],
    });
    const bad = await api.http
      .post(`/api/prisoners/${prisoner}/contacts`)
      .set(bearer(s.adminToken))
      .send({
        name: 'Someone',
        relationship: 'FRIEND',
        phoneNumbers: [randomMobile(), '07911 12a'],
      })
      .expect(400);
    expect((bad.body as ErrorBody).details.map((d) => d.field)).toEqual(['phoneNumbers[1]']);

    const seen = await profile();
    expect(seen).toMatchObject({ mappaCategory: 2, mappaLevel: 1, roshLevel: 'HIGH' });
    expect(seen.monitoring.map((a) => [a.id, a.status])).toEqual([[active, 'ACTIVE']]);
    expect(seen.contacts).toEqual([
      expect.objectContaining({
        id: contactId,
        relationship: 'PARTNER',
        phoneNumbers: [toE164(mobile), '+442079460000'],
      }),
    ]);
    await api.http.get(`/api/prisoners/${prisoner}`).set(bearer(outsider.token)).expect(403);
  });

  it('only accepts a POM and a lead listener who hold that role at the establishment', async () => {
    const s = await Scenario.create(api);
    const pom = await s.staff(['POM']);
    const listener = await s.staff(['LISTENER']);
    const elsewhere = await s.newEstablishment();
    const farListener = await s.staff(['LISTENER'], { establishments: [elsewhere] });
    const prisonNumber = randomPrisonNumber();
    const put = (body: Record<string, unknown>) =>
      api.http
        .put(`/api/prisoners/${prisonNumber}`)
        .set(bearer(s.adminToken))
        .send({ firstName: 'A', lastName: 'B', establishmentCode: s.establishment, ...body });
    const wrongRole = await put({
      pomUsername: listener.username,
      leadListenerUsername: pom.username,
    }).expect(400);
    expect(wrongRole.body.details.map((d: { field: string }) => d.field)).toEqual([
      'pomUsername',
      'leadListenerUsername',
    ]);
    const wrongPlace = await put({ leadListenerUsername: farListener.username }).expect(400);
    expect(wrongPlace.body.details).toEqual([
      {
        field: 'leadListenerUsername',
        message: `${farListener.username} is not a LISTENER at ${s.establishment}`,
      },
    ]);
    await put({ pomUsername: pom.username, leadListenerUsername: listener.username }).expect(200);
  });
});
