import { PreReleaseDigestService } from '../../src/reports/digest.service';
import { bearer, startApi, TestApi } from '../support/api';
import { highLogWithThreat, quietLog, Scenario } from '../support/scenario';

const ALL_TRAININGS = ['PUBLIC_PROTECTION', 'DOMESTIC_ABUSE', 'CHILD_SAFEGUARDING'];
const DAY_MS = 86_400_000;
const QUOTE = 'you will pay';

/**
 * The inspection report's good-practice case, end to end through the API: a MAPPA level 2
 * prisoner's calls are heard; a threat goes to the POM, the COM and the IRMM; the POM shares it
 * with the COM; at the handover date the digest is due, says what was heard (the threat in the
 * prisoner's words, the escalations and what was shared), and is sent and kept in the register.
 */
describe('good practice: a level 2 prisoner heard, the COM told, the digest at handover', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi();
  });

  afterAll(async () => {
    await api.close();
  });

  it('logs → COM escalation → shared with the COM → digest due at handover → sent and registered', async () => {
    const s = await Scenario.create(api);
    const pom = await s.staff(['POM']);
    const listener = await s.staff(['LISTENER'], { trainings: ALL_TRAININGS });
    const today = new Date().toISOString().slice(0, 10);
    const prisoner = await s.prisoner({
      pomUsername: pom.username,
      mappaCategory: 1,
      mappaLevel: 2,
      earliestReleaseDate: new Date(Date.now() + 180 * DAY_MS).toISOString().slice(0, 10),
      com: { name: 'Sam Okafor', email: 'sam.okafor@justice.gov.uk' },
      handoverDate: today,
    });
    await s.authorise(prisoner);
    await s.ingestAndTriage([s.call(prisoner), s.call(prisoner)]);

    // Two calls heard: one without concerns, one with a threat to his ex-partner.
    const logCall = async (body: (token: string) => object) => {
      const claimed = (await s.claim(listener).expect(200)).body as {
        call: { id: string };
        claim: { token: string };
      };
      return (
        await api.http
          .post(`/api/calls/${claimed.call.id}/log`)
          .set(bearer(listener.token))
          .send(body(claimed.claim.token))
          .expect(201)
      ).body as { escalations: { id: string; target: string; assignee: string | null }[] };
    };
    await logCall(quietLog);
    const threat = await logCall((t) => highLogWithThreat(t));
    expect(threat.escalations.map((e) => e.target).sort()).toEqual(['COM', 'IRMM', 'POM']);
    const com = threat.escalations.find((e) => e.target === 'COM')!;
    expect(com.assignee).toBe(pom.username);

    // The POM tells the COM, and records it.
    await api.http
      .post(`/api/escalations/${com.id}/shares`)
      .set(bearer(pom.token))
      .send({
        channel: 'PHONE',
        sharedAt: new Date(Date.now() - 600_000).toISOString(),
        summary: 'Told the COM of the threat to his ex-partner heard on a call today.',
        response: 'The COM will take it to the MAPPA meeting.',
      })
      .expect(201);

    // The handover date has come: the digest is due for the POM.
    await api.app.get(PreReleaseDigestService).markDigestsDue();
    const [due] = await api.db.query<{ disclosureId: string | null }[]>(
      `SELECT disclosure_id AS "disclosureId" FROM pre_release_digests_due WHERE prison_number = $1`,
      [prisoner],
    );
    expect(due).toEqual({ disclosureId: null });

    const digest = (
      await api.http
        .get(`/api/prisoners/${prisoner}/pre-release-digest?format=json`)
        .set(bearer(pom.token))
        .expect(200)
    ).body as {
      prisoner: { com: { name: string } | null; handoverDate: string };
      threats: { quote: string | null }[];
      escalations: { target: string; status: string }[];
      contactsHeard: { heard: number }[];
    };
    expect(digest.prisoner.com?.name).toBe('Sam Okafor');
    expect(digest.prisoner.handoverDate).toBe(today);
    expect(digest.threats.map((t) => t.quote)).toEqual([QUOTE]);
    expect(digest.escalations.map((e) => e.target).sort()).toEqual(['COM', 'IRMM', 'POM']);
    expect(digest.contactsHeard.reduce((n, c) => n + c.heard, 0)).toBe(2);

    const sent = (
      await api.http
        .post(`/api/prisoners/${prisoner}/pre-release-digest/sent`)
        .set(bearer(pom.token))
        .send({
          to: 'sam.okafor@justice.gov.uk',
          analysis: 'He minimises the threat. Plan the ex-partner’s safety before release.',
          sentAt: new Date(Date.now() - 60_000).toISOString(),
        })
        .expect(201)
    ).body as { id: string };
    const register = (
      await api.http
        .get(`/api/disclosures?establishment=${s.establishment}`)
        .set(bearer(pom.token))
        .expect(200)
    ).body as { items: { id: string; prisonNumber: string; to: string }[] };
    expect(register.items).toEqual([
      expect.objectContaining({
        id: sent.id,
        prisonNumber: prisoner,
        to: 'sam.okafor@justice.gov.uk',
      }),
    ]);
    const [closed] = await api.db.query<{ disclosureId: string | null }[]>(
      `SELECT disclosure_id AS "disclosureId" FROM pre_release_digests_due WHERE prison_number = $1`,
      [prisoner],
    );
    expect(closed.disclosureId).toBe(sent.id);
  });
});
