import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { runMigrations } from '../../src/db/migrate';
import { assertTestDatabase, BASE_DATABASE_URL, databaseUrlFor, REDIS_URL } from './test-env';

/**
 * One fresh database (migrated once, as the owner) and one Redis key prefix per test run; dropped in
 * teardown. The migration also creates the run's application role (`<database>_app`), which every
 * api and worker in the run connects as, so the suite proves that role's rights suffice.
 */
export default async function globalSetup(): Promise<void> {
  const run = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const name = `mpc_test_${run}`;
  assertTestDatabase(name);
  const admin = new Client({ connectionString: BASE_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = databaseUrlFor(name);
  await runMigrations({ DATABASE_URL: url });
  process.env.TEST_BASE_DATABASE_URL = BASE_DATABASE_URL;
  process.env.DATABASE_URL = url;
  // Always the run's derived role: one set for another database would point elsewhere.
  delete process.env.DATABASE_APP_URL;
  process.env.TEST_DATABASE_NAME = name;
  process.env.REDIS_URL = REDIS_URL;
  process.env.QUEUE_PREFIX = `mpc-test-${run}`;
}
