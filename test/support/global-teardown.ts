import Redis from 'ioredis';
import { Client } from 'pg';
import { appRoleName } from '../../src/db/app-role';
import { assertTestDatabase, BASE_DATABASE_URL, REDIS_URL } from './test-env';

export default async function globalTeardown(): Promise<void> {
  const name = process.env.TEST_DATABASE_NAME;
  if (name) {
    assertTestDatabase(name);
    const admin = new Client({ connectionString: BASE_DATABASE_URL });
    await admin.connect();
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      // Databases a spec made of its own under the run's name (the demo's history) go too.
      const own = await admin.query<{ datname: string }>(
        `SELECT datname FROM pg_database WHERE starts_with(datname, $1)`,
        [`${name}_`],
      );
      for (const { datname } of own.rows) {
        await admin.query(
          `DROP DATABASE IF EXISTS ${admin.escapeIdentifier(datname)} WITH (FORCE)`,
        );
      }
      // Roles belong to the cluster, not the database: the run's application role, and any other a
      // spec made under the run's name, go too (their grants went with the database).
      const roles = await admin.query<{ rolname: string }>(
        `SELECT rolname FROM pg_roles WHERE rolname = $1 OR starts_with(rolname, $2)`,
        [appRoleName(name), `${name}_`],
      );
      for (const { rolname } of roles.rows) {
        await admin.query(`DROP ROLE IF EXISTS ${admin.escapeIdentifier(rolname)}`);
      }
    } finally {
      await admin.end();
    }
  }
  const prefix = process.env.QUEUE_PREFIX;
  if (prefix?.startsWith('mpc-test-')) {
    const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await redis.connect();
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length) await redis.del(...keys);
      } while (cursor !== '0');
    } finally {
      redis.disconnect();
    }
  }
}
