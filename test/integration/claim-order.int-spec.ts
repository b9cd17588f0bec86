import { randomBytes } from 'node:crypto';
import { TIERS, Tier, Training, TRAININGS } from '../../src/common/vocabulary';
import { QueueRepository } from '../../src/queue/queue.repository';
import {
  chooseClaim,
  ClaimableCall,
  ClaimingListener,
  listWalks,
} from '../../src/simulation/claim-order';
import { seededRandom } from '../../src/simulation/handling';
import { currentTrainings, TrainingRecord } from '../../src/staff/training-records';
import { startApi, TestApi } from '../support/api';
import { Scenario } from '../support/scenario';

const CASES = 600;
const SEED = Number(process.env.CLAIM_ORDER_SEED ?? 20261202);
const LANGUAGES = ['en', 'en', 'en', 'pl', 'ar'];
const CREDITS = [0, 6, 12, 30];
const DAY_MS = 86_400_000;

/**
 * The simulator's claim order (src/simulation/claim-order.ts) and the claim statement agree: on
 * random queues across two establishments and a random listener (trainings, some of them expired,
 * languages, the prisoners they lead, the establishments they claim from, each establishment's
 * continuity credit) the call POST /api/queue/claim leases is the one the comparator picks. Due times
 * fall on whole hours, so calls tie on their keys and the tie-break by id is exercised too. Each case's calls are the only
 * waiting calls of the run; after the claim they leave the queue. The seed is printed with a failure.
 */
describe('the claim order of the simulator', () => {
  let api: TestApi;
  let s: Scenario;
  let queue: QueueRepository;

  beforeAll(async () => {
    api = await startApi();
    queue = api.app.get(QueueRepository);
    s = await Scenario.create(api);
  });

  afterAll(async () => {
    await api.close();
  });

  it(`picks the call the claim statement leases, in ${CASES} random cases`, async () => {
    const random = seededRandom(SEED);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
    const subset = <T>(xs: readonly T[], p: number): T[] => xs.filter(() => random() < p);
    const establishments = [s.establishment, await s.newEstablishment()];
    const prisoner = await s.prisoner();
    const me = await s.staff(['LISTENER'], { establishments });
    const base = Math.floor(Date.now() / 3_600_000) * 3_600_000 + 30 * DAY_MS;
    // The database's London date: the claim statement decides expiry by it.
    const [{ today }] = await api.db.query<{ today: string }[]>(
      `SELECT ((now() AT TIME ZONE 'Europe/London')::date)::text AS today`,
    );
    // Expiry dates a day or more from today, so a run across midnight decides the same.
    const dayFrom = (days: number) =>
      new Date(Date.parse(`${today}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
    const mismatches: string[] = [];
    // How often each rule decided the claim (the pick differs without it), so that the cases are
    // known to exercise every rule the comparator mirrors.
    const decided = { claimed: 0, spoken: 0, lead: 0, credit: 0, expired: 0, tie: 0 };

    for (let n = 0; n < CASES; n += 1) {
      const credit = new Map(establishments.map((e) => [e, pick(CREDITS)]));
      for (const [code, hours] of credit)
        await api.db.query(
          `UPDATE establishments SET settings = settings || jsonb_build_object('continuityCreditHours', $2::int)
           WHERE code = $1`,
          [code, hours],
        );
      // Held trainings: some never lapse, some have lapsed (today or before), some lapse later.
      const records: TrainingRecord[] = subset(TRAININGS, 0.6).map((code) => {
        const r = random();
        return {
          code,
          completedOn: dayFrom(-800),
          expiresOn:
            r < 0.4
              ? null
              : r < 0.7
                ? dayFrom(-Math.floor(random() * 300))
                : dayFrom(2 + Math.floor(random() * 600)),
        };
      });
      const listener: ClaimingListener = {
        username: me.username,
        establishments: random() < 0.5 ? [pick(establishments)] : [...establishments],
        trainings: currentTrainings(records, today),
        languages: subset(['pl', 'ar'], 0.4),
      };
      await api.db.query(
        `UPDATE staff SET trainings = $2, training_completed_on = $3::date[],
           training_expires_on = $4::date[], languages = $5 WHERE username = $1`,
        [
          me.username,
          records.map((r) => r.code),
          records.map((r) => r.completedOn),
          records.map((r) => r.expiresOn),
          listener.languages,
        ],
      );
      const tiers = subset<Tier>(TIERS, 0.5);
      const calls: ClaimableCall[] = Array.from({ length: 1 + Math.floor(random() * 8) }, () => {
        const lead = random();
        return {
          id: '',
          establishment: pick(establishments),
          tier: pick<Tier>(tiers.length ? tiers : TIERS),
          // Whole hours: calls tie, with or without a credit of whole hours (then by id).
          effectiveDueAt: base + Math.floor((random() - 0.5) * 12) * 3_600_000,
          language: pick(LANGUAGES),
          requiredTrainings: random() < 0.5 ? [] : subset<Training>(TRAININGS, 0.4),
          leadListener: lead < 0.5 ? me.username : lead < 0.6 ? 'someone-else' : null,
        };
      });
      const ids = await insertPending(api, prisoner, calls);
      calls.forEach((c, i) => (c.id = ids[i]));

      const outcome = await queue.claimNextEligibleCall(me.username, [...listener.establishments], {
        username: me.username,
        roles: 'LISTENER',
        clientAddress: null,
        correlationId: null,
      });
      const walks = listWalks(calls);
      const expected = chooseClaim(listener, walks, (e) => credit.get(e)!);
      const without = (w: Partial<typeof walks>, hours = (e: string) => credit.get(e)!) =>
        chooseClaim(listener, { ...walks, ...w }, hours) !== expected;
      if (expected) decided.claimed += 1;
      if (without({ bestOtherLanguage: () => null })) decided.spoken += 1;
      if (without({ bestLed: () => null })) decided.lead += 1;
      if (without({}, () => 0)) decided.credit += 1;
      const heldAll = { ...listener, trainings: records.map((r) => r.code) };
      if (chooseClaim(heldAll, listWalks(calls), (e) => credit.get(e)!) !== expected)
        decided.expired += 1;
      if (
        expected &&
        calls.some(
          (c) =>
            c !== expected &&
            c.tier === expected.tier &&
            c.effectiveDueAt === expected.effectiveDueAt &&
            listener.establishments.includes(c.establishment),
        )
      )
        decided.tie += 1;
      const got = outcome?.claimed?.call.id ?? null;
      if (got !== (expected?.id ?? null)) {
        const name = (id: string | null) => (id === null ? 'none' : `#${ids.indexOf(id)}`);
        mismatches.push(
          `case ${n} (seed ${SEED}): SQL ${name(got)}, comparator ${name(expected?.id ?? null)}; ` +
            JSON.stringify({ listener, credit: [...credit], calls }),
        );
      }
      await api.db.query(
        `UPDATE calls SET status = 'NOT_MONITORED', claimed_by = NULL, claim_token = NULL,
           claimed_at = NULL, claim_expires_at = NULL WHERE id = ANY($1::uuid[])`,
        [ids],
      );
    }

    expect(mismatches.slice(0, 3)).toEqual([]);
    expect(decided.claimed).toBeGreaterThan(CASES / 2);
    // Printed with the counts when it fails.
    const least = Math.min(
      decided.spoken,
      decided.lead,
      decided.credit,
      decided.expired,
      decided.tie,
    );
    expect([decided, least >= 20]).toEqual([decided, true]);
  }, 300_000);
});

/** The calls as triage would have left them, waiting; their ids in the same order. */
async function insertPending(
  api: TestApi,
  prisoner: string,
  calls: readonly ClaimableCall[],
): Promise<string[]> {
  const rows = await api.db.query<{ id: string; n: number }[]>(
    `INSERT INTO calls (external_id, batch_id, prison_number, establishment_code, dialled_number,
       started_at, duration_seconds, channel, language, status, tier, due_at, effective_due_at,
       required_trainings, lead_listener_username, triaged_at)
     SELECT 'CO-' || x.n || '-' || $2, gen_random_uuid(), $1, x.establishment, '+447911000000',
       now(), 300, 'PHONE', x.language, 'PENDING', x.tier, x.due, x.due,
       ARRAY(SELECT jsonb_array_elements_text(x.trainings)),
       x.lead, now()
     FROM jsonb_to_recordset($3::jsonb) AS x(n int, establishment text, language text, tier text,
       due timestamptz, trainings jsonb, lead text)
     RETURNING id, substring(external_id from 'CO-(\\d+)-')::int AS n`,
    [
      prisoner,
      randomBytes(6).toString('hex'),
      JSON.stringify(
        calls.map((c, n) => ({
          n,
          establishment: c.establishment,
          language: c.language,
          tier: c.tier,
          due: new Date(c.effectiveDueAt).toISOString(),
          trainings: c.requiredTrainings,
          lead: c.leadListener,
        })),
      ),
    ],
  );
  const ids: string[] = [];
  for (const r of rows) ids[r.n] = r.id;
  return ids;
}
