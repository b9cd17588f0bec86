import { Client } from 'pg';
import { scalar } from './pg';
import { log, now } from './util';

/** Columns copied when rows are moved aside and back, or cloned into history. */
const COLUMNS = [
  'id',
  'external_id',
  'batch_id',
  'prison_number',
  'establishment_code',
  'dialled_number',
  'started_at',
  'duration_seconds',
  'channel',
  'recording_ref',
  'language',
  'status',
  'contact_id',
  'tier',
  'due_at',
  'effective_due_at',
  'priority_reasons',
  'required_trainings',
  'lead_listener_username',
  'privileged_kind',
  'claimed_by',
  'claim_token',
  'claimed_at',
  'claim_expires_at',
  'received_at',
  'triaged_at',
  'updated_at',
  'logged_at',
].join(', ');

/** What autovacuum would have done by now (it is off on this machine's PostgreSQL). */
/**
 * After a bulk change of the benchmark's own making (loading the world, parking or restoring
 * hundreds of thousands of rows), what a quiet system would have done by the time the next load
 * starts: vacuum and analyse (autovacuum is off on this machine), then a checkpoint. Without it the
 * checkpoint forced by the bulk change's WAL runs during the next measurement, and every page a claim
 * first touches after it is written whole into the WAL: claims then wait hundreds of milliseconds on
 * their commits because of the set-up, not the claim (seen in a full run: p99 222 ms at 1,000,000
 * rows against 23 ms at 100,000, with a checkpoint spanning the whole phase).
 */
export async function vacuumAnalyze(db: Client, table = 'calls'): Promise<void> {
  const t0 = now();
  await db.query(`VACUUM (ANALYZE) ${table}`);
  const t1 = now();
  await db.query('CHECKPOINT');
  log(
    `VACUUM (ANALYZE) ${table}: ${((t1 - t0) / 1000).toFixed(1)} s; CHECKPOINT: ${((now() - t1) / 1000).toFixed(1)} s`,
  );
}

/**
 * Makes exactly `pending` calls PENDING: extra ones (chosen at random, so the queue stays spread over
 * establishments and tiers) become LOGGED, as if heard already; if too few, pending calls are cloned.
 */
export async function setPendingCount(db: Client, pending: number): Promise<void> {
  const have = await scalar(db, `SELECT count(*)::int AS n FROM calls WHERE status = 'PENDING'`);
  if (have > pending) {
    await db.query(
      `UPDATE calls c SET status = 'LOGGED', logged_at = least(now(), c.started_at + interval '6 hours')
       FROM (SELECT id FROM calls WHERE status = 'PENDING' ORDER BY md5(id::text) LIMIT $1) extra
       WHERE c.id = extra.id`,
      [have - pending],
    );
  } else if (have < pending) {
    await db.query(
      `INSERT INTO calls (${COLUMNS.replace('id, ', '')})
       SELECT ${COLUMNS.replace('id, ', '').replace('external_id', `external_id || '-T' || g`)}
       FROM (SELECT * FROM calls WHERE status = 'PENDING') c, generate_series(1, $2::int) g
       ORDER BY g, md5(c.id::text) LIMIT $1`,
      [pending - have, Math.ceil(pending / Math.max(1, have))],
    );
  }
  log(`pending calls: ${have} after triage, now ${pending}`);
}

/**
 * Moves every call that is not PENDING into bench_parked and rebuilds calls from the pending ones
 * alone, so the claim can be measured on a table that holds only the queue.
 */
export async function parkNonPending(db: Client): Promise<number> {
  await db.query(`DROP TABLE IF EXISTS bench_parked, bench_pending`);
  await db.query(
    `CREATE UNLOGGED TABLE bench_parked AS SELECT ${COLUMNS} FROM calls WHERE status <> 'PENDING'`,
  );
  await db.query(
    `CREATE UNLOGGED TABLE bench_pending AS SELECT ${COLUMNS} FROM calls WHERE status = 'PENDING'`,
  );
  await db.query(`TRUNCATE calls CASCADE`);
  await db.query(`INSERT INTO calls (${COLUMNS}) SELECT ${COLUMNS} FROM bench_pending`);
  await db.query(`DROP TABLE bench_pending`);
  await vacuumAnalyze(db);
  return scalar(db, `SELECT count(*)::int AS n FROM calls`);
}

/** Puts the parked calls back. */
export async function unpark(db: Client): Promise<number> {
  await db.query(`INSERT INTO calls (${COLUMNS}) SELECT ${COLUMNS} FROM bench_parked`);
  await vacuumAnalyze(db);
  return scalar(db, `SELECT count(*)::int AS n FROM calls`);
}

/**
 * Grows calls to `target` rows with history: copies of the calls already there, each copy `shiftDays`
 * further in the past, under new ids and external ids. Nothing added is PENDING: calls that were
 * waiting (or claimed) are LOGGED in the copies, hours after they were made.
 */
export async function growHistory(db: Client, target: number, shiftDays: number): Promise<number> {
  const base = await scalar(db, `SELECT count(*)::int AS n FROM calls`);
  await db.query(`DROP TABLE IF EXISTS bench_base`);
  await db.query(`CREATE UNLOGGED TABLE bench_base AS SELECT ${COLUMNS} FROM calls`);
  let rows = base;
  for (let copy = 1; rows < target; copy++) {
    const t0 = now();
    const take = Math.min(base, target - rows);
    const shift = `make_interval(days => ${copy * shiftDays})`;
    await db.query(
      `INSERT INTO calls (external_id, batch_id, prison_number, establishment_code, dialled_number, started_at,
         duration_seconds, channel, recording_ref, language, status, contact_id, tier, due_at, effective_due_at,
         priority_reasons, required_trainings, lead_listener_username, privileged_kind, received_at, triaged_at,
         updated_at, logged_at)
       SELECT s.external_id || '-H${copy}', s.batch_id, s.prison_number, s.establishment_code, s.dialled_number,
         s.started_at - ${shift}, s.duration_seconds, s.channel, s.recording_ref, s.language,
         CASE WHEN s.status IN ('PENDING', 'CLAIMED', 'AWAITING_TRANSLATION') THEN 'LOGGED' ELSE s.status END,
         s.contact_id, s.tier, s.due_at - ${shift}, s.effective_due_at - ${shift}, s.priority_reasons,
         s.required_trainings, s.lead_listener_username, s.privileged_kind, s.received_at - ${shift},
         s.triaged_at - ${shift}, now(),
         CASE WHEN s.status IN ('PENDING', 'CLAIMED', 'AWAITING_TRANSLATION', 'LOGGED')
              THEN s.started_at - ${shift} + make_interval(hours => 1 + (get_byte(decode(md5(s.id::text), 'hex'), 0) % 72))
         END
       FROM bench_base s LIMIT ${take}`,
    );
    rows += take;
    log(
      `history copy ${copy}: +${take} rows (${rows} in all) in ${((now() - t0) / 1000).toFixed(1)} s`,
    );
  }
  await db.query(`DROP TABLE bench_base`);
  await vacuumAnalyze(db);
  return scalar(db, `SELECT count(*)::int AS n FROM calls`);
}
