import { TriageService } from '../../src/triage/triage.service';
import { startApi, TestApi } from '../support/api';
import { Scenario } from '../support/scenario';

/**
 * After a release that changes the priority policy (issue 13, item 8), the worker's
 * `rescore-for-policy` job re-scores every waiting call once under the new rules. A call scored by
 * the old policy is simulated by overwriting its tier and reasons.
 */
describe('re-scoring waiting calls after a policy change', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi();
  });

  afterAll(async () => {
    await api.close();
  });

  const tierOf = async (prisonNumber: string) =>
    (
      await api.db.query<{ tier: string; reasons: string[] }[]>(
        `SELECT tier, priority_reasons AS reasons FROM calls WHERE prison_number = $1`,
        [prisonNumber],
      )
    )[0];
  const scoreAsOldPolicy = (prisonNumber: string) =>
    api.db.query(
      `UPDATE calls SET tier = 'P4', priority_reasons = '{"scored by the old policy"}'
       WHERE prison_number = $1`,
      [prisonNumber],
    );
  const version = () => 1_000_000 + Math.floor(Math.random() * 1_000_000);

  it('re-scores calls left with an old policy’s tier, and a second run moves nothing', async () => {
    const s = await Scenario.create(api);
    const prisoner = await s.prisoner({ mappaCategory: 1, mappaLevel: 2 });
    await s.authorise(prisoner);
    await s.ingestAndTriage([s.call(prisoner)]);
    const now = await tierOf(prisoner);
    expect(now.tier).toBe('P2');
    await scoreAsOldPolicy(prisoner);

    const triage = api.app.get(TriageService);
    const v = version();
    const first = await triage.rescoreForPolicy(v, [s.establishment]);
    expect(first).toEqual({ version: v, prisoners: 1, rescored: 1, alreadyDone: false });
    expect(await tierOf(prisoner)).toEqual(now);

    const again = await triage.rescoreForPolicy(v, [s.establishment]);
    expect(again).toEqual({ version: v, prisoners: 1, rescored: 0, alreadyDone: false });
  });

  it('does nothing for a version already re-scored', async () => {
    const s = await Scenario.create(api);
    const prisoner = await s.prisoner({ mappaCategory: 1, mappaLevel: 2 });
    await s.authorise(prisoner);
    await s.ingestAndTriage([s.call(prisoner)]);
    await scoreAsOldPolicy(prisoner);
    const v = version();
    await api.db.query(
      `INSERT INTO policy_rescores (policy_version, prisoners, calls_written) VALUES ($1, 0, 0)`,
      [v],
    );

    const run = await api.app.get(TriageService).rescoreForPolicy(v, [s.establishment]);
    expect(run).toEqual({ version: v, prisoners: 0, rescored: 0, alreadyDone: true });
    expect((await tierOf(prisoner)).tier).toBe('P4');
  });
});
