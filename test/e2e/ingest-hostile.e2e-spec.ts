import { Client } from 'pg';
import { bearer, startApi, TestApi } from '../support/api';
import { Scenario } from '../support/scenario';
import { databaseUrlFor } from '../support/test-env';

interface IngestBody {
  batchId: string;
  accepted: number;
  duplicates: number;
  rejected: { index: number; externalId: string | null; errors: string[] }[];
}

/** A record that fails for any reason is rejected alone, with its index and field; the rest is stored. */
describe('POST /api/calls/batch with hostile records', () => {
  let api: TestApi;
  let s: Scenario;
  let prisoner: string;
  const runPrefix = process.env.QUEUE_PREFIX;

  beforeAll(async () => {
    process.env.QUEUE_PREFIX = `${process.env.QUEUE_PREFIX}:ingest-hostile-spec`;
    api = await startApi();
    s = await Scenario.create(api);
    prisoner = await s.prisoner();
  });

  afterAll(async () => {
    await api.close();
    process.env.QUEUE_PREFIX = runPrefix;
  });

  const post = async (calls: Record<string, unknown>[]) => {
    const res = await api.http.post('/api/calls/batch').set(bearer(s.ingestToken)).send({ calls });
    expect(res.status).toBe(202);
    return res.body as IngestBody;
  };

  const stored = async (calls: Record<string, unknown>[]) =>
    (
      await api.db.query<{ externalId: string; startedAt: Date }[]>(
        `SELECT external_id AS "externalId", started_at AS "startedAt" FROM calls
          WHERE external_id = ANY($1) ORDER BY external_id`,
        [calls.map((c) => c.externalId)],
      )
    ).map((r) => r.externalId);

  it.each([
    ['a NUL byte in the externalId', { externalId: 'BT-\u0000-1' }, 'externalId'],
    ['a NUL byte in the recording reference', { recordingRef: 'rec/\u0000.ogg' }, 'recordingRef'],
    ['a NUL byte in the transcript', { transcript: 'hello \u0000 there' }, 'transcript'],
    [
      'a lone surrogate in a transcript segment (jsonb refuses it)',
      { transcript: { segments: [{ text: 'x\ud800' }] } },
      'transcript',
    ],
    ['a start in year 0000', { startedAt: '0000-01-01T10:00:00Z' }, 'startedAt'],
    ['a start in year 1899', { startedAt: '1899-12-31T10:00:00Z' }, 'startedAt'],
    ['a start on 30 February', { startedAt: '2026-02-30T10:00:00Z' }, 'startedAt'],
    ['a start at 25 o’clock', { startedAt: '2026-02-10T25:00:00Z' }, 'startedAt'],
    ['a duration past int', { durationSeconds: 1e20 }, 'durationSeconds'],
  ])('rejects only the record with %s, naming its index and field', async (_what, bad, field) => {
    const calls = [s.call(prisoner), s.call(prisoner, bad), s.call(prisoner)];
    const body = await post(calls);
    expect(body.accepted).toBe(2);
    expect(body.rejected).toHaveLength(1);
    expect(body.rejected[0].index).toBe(1);
    expect(body.rejected[0].errors.join('; ')).toMatch(new RegExp(`^${field}: `));
    expect(await stored([calls[0], calls[2]])).toHaveLength(2);
  });

  it('stores a real 29 February of a leap year as that day, not another', async () => {
    const call = s.call(prisoner, { startedAt: '2024-02-29T10:00:00Z' });
    expect((await post([call])).accepted).toBe(1);
    const rows = await api.db.query<{ startedAt: Date }[]>(
      `SELECT started_at AS "startedAt" FROM calls WHERE external_id = $1`,
      [call.externalId],
    );
    expect(rows[0].startedAt.toISOString()).toBe('2024-02-29T10:00:00.000Z');
  });

  it('rejects alone, with its index, a record only the database refuses; the rest is stored', async () => {
    // A rule the api's checks know nothing of, as a database constraint (added as the owner).
    const owner = new Client({ connectionString: databaseUrlFor(process.env.TEST_DATABASE_NAME!) });
    await owner.connect();
    await owner.query(
      `ALTER TABLE calls ADD CONSTRAINT test_refused_by_db CHECK (external_id NOT LIKE '%REFUSED-BY-DB%') NOT VALID`,
    );
    try {
      const calls = Array.from({ length: 40 }, () => s.call(prisoner));
      for (const i of [3, 17, 39])
        calls[i].externalId = `REFUSED-BY-DB-${i}-${String(calls[i].externalId)}`;
      const body = await post(calls);
      expect(body.accepted).toBe(37);
      expect(body.duplicates).toBe(0);
      expect(body.rejected.map((r) => r.index)).toEqual([3, 17, 39]);
      expect(body.rejected[0].errors[0]).toMatch(/^record: /);
      expect(await stored(calls)).toHaveLength(37);
      const audit = await api.db.query<{ details: { accepted: number; rejected: number } }[]>(
        `SELECT details FROM audit_events WHERE entity_id = $1 AND action = 'CALLS_INGESTED'`,
        [body.batchId],
      );
      expect(audit.map((a) => a.details)).toEqual([{ accepted: 37, duplicates: 0, rejected: 3 }]);
    } finally {
      await owner.query(`ALTER TABLE calls DROP CONSTRAINT test_refused_by_db`);
      await owner.end();
    }
  });
});
