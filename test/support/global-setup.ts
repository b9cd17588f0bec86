import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { runMigrations } from '../../src/db/migrate';
import { assertTestDatabase, BASE_DATABASE_URL, databaseUrlFor, REDIS_URL } from './test-env';

/** One fresh database (migrated once) and one Redis key prefix per test run; dropped in teardown. */
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
  await runMigrations(url);
  process.env.TEST_BASE_DATABASE_URL = BASE_DATABASE_URL;
  process.env.DATABASE_URL = url;
  process.env.TEST_DATABASE_NAME = name;
  process.env.REDIS_URL = REDIS_URL;
  process.env.QUEUE_PREFIX = `mpc-test-${run}`;
}
