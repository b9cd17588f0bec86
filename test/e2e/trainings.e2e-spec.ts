import { bearer, ErrorBody, startApi, TestApi } from '../support/api';
import { Scenario, Staffer } from '../support/scenario';

const DAY = 86_400_000;
/** A London calendar day this many days from today (whole days away, so midnight changes nothing). */
const day = (days: number) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(
    new Date(Date.now() + days * DAY),
  );

interface StaffBody {
  trainings: string[];
  trainingRecords: {
    code: string;
    completedOn: string | null;
    expiresOn: string | null;
    expired: boolean;
  }[];
}

interface Flag {
  type: string;
  prisonNumber: string | null;
  subject: string;
  detail: string;
}

/** A log with no concerns, of this recording quality. */
const quietLog = (token: string, recordingQuality: string) => ({
  token,
  contact: { contactId: null, relationship: 'SIBLING', confidence: 'CONFIRMED' },
  themes: [{ code: 'NO_CONCERNS' }],
  threats: [],
  concernLevel: 'NONE',
  summary:
    'Talked with his sister about a family visit next week and about his job in the kitchens.',
  recordingQuality,
});

/**
 * Issue 13, item 7: trainings with dates (an expired one does not count), CHILD_SAFEGUARDING for
 * child-contact prisoners, the NO_ELIGIBLE_LISTENER and RANDOM_ONLY_HIGH_RISK flags, and an
 * UNUSABLE recording counted apart. The claim decides expiry by the database clock, so the dates
 * here are days from the real today.
 */
describe('trainings and listening cover', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi();
  });

  afterAll(async () => {
    await api.close();
  });

  const putStaff = (s: Scenario, username: string, trainings: unknown[]) =>
    api.http
      .put(`/api/staff/${username}`)
      .set(bearer(s.adminToken))
      .send({
        displayName: 'Test Listener',
        roles: ['LISTENER'],
        establishments: [s.establishment],
        trainings,
      });

  const flagsOf = async (s: Scenario, head: Staffer, type: string) => {
    const res = await api.http
      .get(`/api/risk-flags?establishment=${s.establishment}&type=${type}`)
      .set(bearer(head.token))
      .expect(200);
    return (res.body as { items: Flag[] }).items;
  };

  it('takes plain and dated trainings, returns the dated form, and keeps dates a plain code does not mention', async () => {
    const s = await Scenario.create(api);
    const listener = await s.staff(['LISTENER']);
    const res = await putStaff(s, listener.username, [
      'PUBLIC_PROTECTION',
      { code: 'DOMESTIC_ABUSE', completedOn: day(-400), expiresOn: day(300) },
      { code: 'CHILD_SAFEGUARDING', completedOn: day(-800), expiresOn: day(-1) },
    ]).expect(200);
    const body = res.body as StaffBody;
    // `trainings` stays the codes that count (the expired one does not); the records have the dates.
    expect(body.trainings).toEqual(['PUBLIC_PROTECTION', 'DOMESTIC_ABUSE']);
    expect(body.trainingRecords).toEqual([
      { code: 'PUBLIC_PROTECTION', completedOn: null, expiresOn: null, expired: false },
      { code: 'DOMESTIC_ABUSE', completedOn: day(-400), expiresOn: day(300), expired: false },
      { code: 'CHILD_SAFEGUARDING', completedOn: day(-800), expiresOn: day(-1), expired: true },
    ]);

    // A client that knows only codes does not erase the dates of the trainings it names.
    const plain = await putStaff(s, listener.username, ['DOMESTIC_ABUSE']).expect(200);
    expect((plain.body as StaffBody).trainingRecords).toEqual([
      { code: 'DOMESTIC_ABUSE', completedOn: day(-400), expiresOn: day(300), expired: false },
    ]);
    const listed = await api.http
      .get(`/api/staff?establishment=${s.establishment}&role=LISTENER`)
      .set(bearer(s.adminToken))
      .expect(200);
    expect(listed.body.items).toEqual([
      expect.objectContaining({ username: listener.username, trainings: ['DOMESTIC_ABUSE'] }),
    ]);
  });

  it('refuses bad training dates with a 400 naming the field, and changes nothing', async () => {
    const s = await Scenario.create(api);
    const listener = await s.staff(['LISTENER'], { trainings: ['PUBLIC_PROTECTION'] });
    const refused = async (trainings: unknown[], field: string) => {
      const res = await putStaff(s, listener.username, trainings).expect(400);
      expect((res.body as ErrorBody).details.map((d) => d.field)).toContain(field);
    };
    await refused([{ code: 'DOMESTIC_ABUSE', expiresOn: '2027-02-30' }], 'trainings[0].expiresOn');
    await refused(
      ['PUBLIC_PROTECTION', { code: 'DOMESTIC_ABUSE', completedOn: '1 Feb 2026' }],
      'trainings[1].completedOn',
    );
    await refused(
      [{ code: 'DOMESTIC_ABUSE', completedOn: '2026-02-01', expiresOn: '2026-01-31' }],
      'trainings[0].expiresOn',
    );
    await refused([{ code: 'FIRST_AID' }], 'trainings[0].code');
    await refused([{ code: 'DOMESTIC_ABUSE', passed: true }], 'trainings[0].passed');
    await refused(['DOMESTIC_ABUSE', { code: 'DOMESTIC_ABUSE' }], 'trainings');

    const rows = await api.db.query<{ trainings: string[] }[]>(
      `SELECT trainings FROM staff WHERE username = $1`,
      [listener.username],
    );
    expect(rows).toEqual([{ trainings: ['PUBLIC_PROTECTION'] }]);
  });

  it('does not give a call to a listener whose training for it has expired; the other listener gets it', async () => {
    const s = await Scenario.create(api);
    const abuser = await s.prisoner({ alertCodes: ['RDV'] });
    await s.authorise(abuser);
    await s.ingestAndTriage([s.call(abuser)]);
    const [lapsed, current] = await Promise.all([
      s.staff(['LISTENER'], {
        trainings: [{ code: 'DOMESTIC_ABUSE', completedOn: day(-800), expiresOn: day(-3) }],
      }),
      s.staff(['LISTENER'], {
        trainings: [{ code: 'DOMESTIC_ABUSE', completedOn: day(-10), expiresOn: day(700) }],
      }),
    ]);

    await s.claim(lapsed).expect(204);
    const claimed = await s.claim(current).expect(200);
    expect(claimed.body.call).toMatchObject({
      prisonNumber: abuser,
      requiredTrainings: ['DOMESTIC_ABUSE'],
    });

    // Renewed, the same listener is eligible again (for the next call).
    await s.ingestAndTriage([s.call(abuser)]);
    await s.claim(lapsed).expect(204);
    await putStaff(s, lapsed.username, [
      { code: 'DOMESTIC_ABUSE', completedOn: day(-1), expiresOn: day(730) },
    ]).expect(200);
    await s.claim(lapsed).expect(200);
  });

  it('needs CHILD_SAFEGUARDING for a child-contact prisoner’s calls', async () => {
    const s = await Scenario.create(api);
    const childContact = await s.prisoner({ alertCodes: ['CC2'] });
    const adultRisk = await s.prisoner({ alertCodes: ['RKS'] });
    await s.authorise(childContact);
    await s.authorise(adultRisk);
    await s.ingestAndTriage([s.call(childContact), s.call(adultRisk)]);
    const [untrained, trained] = await Promise.all([
      s.staff(['LISTENER'], { trainings: ['PUBLIC_PROTECTION', 'DOMESTIC_ABUSE'] }),
      s.staff(['LISTENER'], { trainings: ['CHILD_SAFEGUARDING'] }),
    ]);

    // The near miss: a risk to a known adult (RKS) needs no child safeguarding.
    const first = await s.claim(untrained).expect(200);
    expect(first.body.call).toMatchObject({ prisonNumber: adultRisk, requiredTrainings: [] });
    const second = await s.claim(trained).expect(200);
    expect(second.body.call).toMatchObject({
      prisonNumber: childContact,
      requiredTrainings: ['CHILD_SAFEGUARDING'],
    });
  });

  it('flags waiting calls no current listener may take, until a listener is trained again', async () => {
    const s = await Scenario.create(api);
    const head = await s.staff(['HEAD_OF_OMU']);
    const abuser = await s.prisoner({ alertCodes: ['RDV'] });
    const ordinary = await s.prisoner();
    await s.authorise(abuser);
    await s.authorise(ordinary);
    await s.ingestAndTriage([s.call(abuser), s.call(abuser), s.call(ordinary)]);
    const listener = await s.staff(['LISTENER'], {
      trainings: [{ code: 'DOMESTIC_ABUSE', completedOn: day(-800), expiresOn: day(-1) }],
    });

    expect(await flagsOf(s, head, 'NO_ELIGIBLE_LISTENER')).toEqual([
      expect.objectContaining({
        type: 'NO_ELIGIBLE_LISTENER',
        prisonNumber: abuser,
        subject: abuser,
        detail: expect.stringMatching(
          /^2 calls wait that no current listener here may take \(needs current domestic abuse training\); oldest \d{4}-\d{2}-\d{2}$/,
        ),
      }),
    ]);

    await putStaff(s, listener.username, [
      { code: 'DOMESTIC_ABUSE', completedOn: day(-1), expiresOn: day(730) },
    ]).expect(200);
    expect(await flagsOf(s, head, 'NO_ELIGIBLE_LISTENER')).toEqual([]);
  });

  it('flags a MAPPA level 2 prisoner whom only random monitoring covers, until other monitoring does', async () => {
    const s = await Scenario.create(api);
    const head = await s.staff(['HEAD_OF_OMU']);
    const people = {
      requester: await s.staff(['SECURITY_MANAGER']),
      approver: await s.staff(['HEAD_OF_OMU']),
    };
    const random = {
      type: 'RANDOM',
      grounds: ['PRISON_SECURITY'],
      justification: 'Random sample of calls under the local security strategy.',
    };
    const level2 = await s.prisoner({ alertCodes: ['P77'] });
    const level1 = await s.prisoner({ alertCodes: ['P66', 'ROH'] });
    await s.authorise(level2, random, people);
    await s.authorise(level1, random, people);

    // The near miss: MAPPA level 1 at RoSH high is not flagged.
    expect(await flagsOf(s, head, 'RANDOM_ONLY_HIGH_RISK')).toEqual([
      expect.objectContaining({
        prisonNumber: level2,
        detail:
          'MAPPA level 2: phone monitoring is random only (the lowest priority); consider offence-related or intelligence-led monitoring',
      }),
    ]);

    await s.authorise(level2, {}, people);
    expect(await flagsOf(s, head, 'RANDOM_ONLY_HIGH_RISK')).toEqual([]);
  });

  it('counts a call logged with an UNUSABLE recording apart in reconciliation, not as heard', async () => {
    const s = await Scenario.create(api);
    const security = await s.staff(['SECURITY_MANAGER']);
    const prisoner = await s.prisoner();
    await s.authorise(prisoner);
    const from = new Date(Date.now() - 2 * DAY).toISOString();
    await s.ingestAndTriage([s.call(prisoner), s.call(prisoner), s.call(prisoner)]);
    const listener = await s.staff(['LISTENER']);
    for (const quality of ['GOOD', 'UNUSABLE']) {
      const claimed = await s.claim(listener).expect(200);
      await api.http
        .post(`/api/calls/${claimed.body.call.id}/log`)
        .set(bearer(listener.token))
        .send(quietLog(claimed.body.claim.token, quality))
        .expect(201);
    }

    const rec = await api.http
      .get(
        `/api/reconciliation?establishment=${s.establishment}&from=${from}&to=${new Date().toISOString()}`,
      )
      .set(bearer(security.token))
      .expect(200);
    expect(rec.body).toMatchObject({
      total: 3,
      logged: 1,
      unusable: 1,
      pending: 1,
      claimed: 0,
      unexplained: { total: 0 },
    });
    // Both logs are kept; only the usable one was heard within its time.
    const summary = await api.http
      .get(`/api/backlog/summary?establishment=${s.establishment}`)
      .set(bearer(security.token))
      .expect(200);
    expect(summary.body.last7Days.loggedWithinSlaPercent).toBe(50);
  });
});
