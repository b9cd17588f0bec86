import { Client } from 'pg';
import { appDatabaseUrl, appRoleName } from '../../src/db/app-role';
import { runMigrations } from '../../src/db/migrate';
import { applyTestEnv, startApi, TestApi } from '../support/api';

/** Runs `sql` in a transaction that is rolled back whatever happens, returning its error if any. */
async function attempt(client: Client, sql: string, params: unknown[] = []): Promise<Error | null> {
  await client.query('BEGIN');
  try {
    await client.query(sql, params);
    return null;
  } catch (err) {
    return err as Error;
  } finally {
    await client.query('ROLLBACK');
  }
}

async function connect(url: string): Promise<Client> {
  const client = new Client({ connectionString: url });
  await client.connect();
  return client;
}

describe('database roles', () => {
  const database = process.env.TEST_DATABASE_NAME!;
  const ownerUrl = process.env.DATABASE_URL!;
  const appRole = appRoleName(database);
  let api: TestApi;
  let app: Client;
  let owner: Client;
  let eventId: string;

  beforeAll(async () => {
    applyTestEnv();
    api = await startApi();
    app = await connect(appDatabaseUrl({ DATABASE_URL: process.env.DATABASE_URL! }));
    owner = await connect(ownerUrl);
    const rows = await app.query<{ id: string }>(
      `INSERT INTO audit_events (username, action, entity_type, entity_id)
       VALUES ('db-roles-spec', 'TEST', 'test', 'db-roles') RETURNING id`,
    );
    eventId = rows.rows[0].id;
  });

  afterAll(async () => {
    await app?.end();
    await owner?.end();
    await api?.close();
  });

  it('connects the api as the application role, which is no superuser and owns nothing', async () => {
    const [me] = await api.db.query<{ user: string }[]>(`SELECT current_user AS user`);
    expect(me.user).toBe(appRole);
    const role = await owner.query<{
      rolsuper: boolean;
      rolreplication: boolean;
      rolbypassrls: boolean;
      rolcreaterole: boolean;
      rolcreatedb: boolean;
      owned: number;
    }>(
      `SELECT rolsuper, rolreplication, rolbypassrls, rolcreaterole, rolcreatedb,
              (SELECT count(*)::int FROM pg_class c WHERE c.relowner = r.oid) AS owned
         FROM pg_roles r WHERE rolname = $1`,
      [appRole],
    );
    expect(role.rows).toEqual([
      {
        rolsuper: false,
        rolreplication: false,
        rolbypassrls: false,
        rolcreaterole: false,
        rolcreatedb: false,
        owned: 0,
      },
    ]);
  });

  it('cannot disable, drop or bypass the audit trail guard, nor change or remove an event', async () => {
    const refusals: [string, RegExp][] = [
      [`ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_delete`, /must be owner/],
      [`ALTER TABLE audit_events DISABLE TRIGGER ALL`, /must be owner/],
      [`DROP TRIGGER audit_events_no_update_delete ON audit_events`, /must be owner/],
      [`DROP TRIGGER audit_events_no_truncate ON audit_events`, /must be owner/],
      [
        `CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$`,
        /must be owner|permission denied/,
      ],
      [`SET session_replication_role = replica`, /permission denied/],
      [
        `UPDATE audit_events SET username = 'someone-else' WHERE id = ${eventId}`,
        /permission denied/,
      ],
      [`DELETE FROM audit_events WHERE id = ${eventId}`, /permission denied/],
      [`TRUNCATE audit_events`, /permission denied/],
      [`ALTER TABLE calls DISABLE TRIGGER ALL`, /must be owner/],
      [`DROP TABLE monitoring_logs`, /must be owner/],
      [`INSERT INTO schema_migrations (timestamp, name) VALUES (1, 'forged')`, /permission denied/],
      [`SET ROLE postgres`, /permission denied/],
    ];
    const outcomes: string[] = [];
    for (const [sql] of refusals) outcomes.push((await attempt(app, sql))?.message ?? 'allowed');
    refusals.forEach(([sql, expected], i) => {
      expect(`${sql}: ${outcomes[i]}`).toMatch(expected);
    });
    const after = await owner.query(`SELECT username FROM audit_events WHERE id = $1`, [eventId]);
    expect(after.rows).toEqual([{ username: 'db-roles-spec' }]);
  });

  it('can add to the audit trail and read it, and work the other tables', async () => {
    expect(
      await attempt(
        app,
        `INSERT INTO audit_events (username, action, entity_type) VALUES ('db-roles-spec', 'TEST', 'test')`,
      ),
    ).toBeNull();
    const read = await app.query(`SELECT username FROM audit_events WHERE id = $1`, [eventId]);
    expect(read.rows).toEqual([{ username: 'db-roles-spec' }]);
    // Row changes, sequences and session advisory locks on the ordinary tables.
    expect(
      await attempt(
        app,
        // A code no other test of the run has taken (they pick three random letters).
        `WITH c AS (SELECT v.code FROM (VALUES ('ZZQ'), ('ZQZ'), ('QZZ'), ('ZZZ'), ('QQZ')) v(code)
                    WHERE NOT EXISTS (SELECT 1 FROM establishments x WHERE x.code = v.code) LIMIT 1),
              e AS (INSERT INTO establishments (code, name) SELECT code, 'HMP Roles' FROM c RETURNING code)
         UPDATE establishments SET name = 'HMP Roles 2' WHERE code IN (SELECT code FROM e)`,
      ),
    ).toBeNull();
    expect(await attempt(app, `DELETE FROM web_sessions WHERE expire < now()`)).toBeNull();
    expect(await attempt(app, `SELECT pg_advisory_xact_lock(1)`)).toBeNull();
  });

  it('still meets the trigger as the owner, the second line of defence', async () => {
    const err = await attempt(owner, `DELETE FROM audit_events WHERE id = $1`, [eventId]);
    expect(err?.message).toMatch(/append-only/);
  });

  it('takes back a right granted by hand the next time the migrations run', async () => {
    await owner.query(`GRANT UPDATE, DELETE, TRUNCATE ON audit_events TO ${appRole}`);
    expect(await attempt(app, `DELETE FROM audit_events WHERE id = ${eventId}`)).toBeInstanceOf(
      Error,
    );
    expect((await attempt(app, `TRUNCATE audit_events`))?.message).toMatch(/append-only/);
    await runMigrations({ DATABASE_URL: ownerUrl });
    expect((await attempt(app, `TRUNCATE audit_events`))?.message).toMatch(/permission denied/);
    expect((await attempt(app, `DELETE FROM audit_events`))?.message).toMatch(/permission denied/);
  });

  it('refuses a DATABASE_APP_URL that signs in as the owner', async () => {
    await expect(
      runMigrations({ DATABASE_URL: ownerUrl, DATABASE_APP_URL: ownerUrl }),
    ).rejects.toThrow(/less privileged role/);
  });

  describe('with DATABASE_APP_URL naming a role of its own', () => {
    const custom = `${database}_custom`;
    afterAll(async () => {
      // Its grants live in this database and its default privileges in the catalogue: both go first.
      await owner.query(`DROP OWNED BY ${custom}`);
      await owner.query(`DROP ROLE IF EXISTS ${custom}`);
    });

    it('creates it with the same rights', async () => {
      const url = new URL(ownerUrl);
      url.username = custom;
      url.password = '';
      await runMigrations({ DATABASE_URL: ownerUrl, DATABASE_APP_URL: url.toString() });
      const client = await connect(url.toString());
      try {
        const me = await client.query<{ user: string }>(`SELECT current_user AS user`);
        expect(me.rows).toEqual([{ user: custom }]);
        expect(await attempt(client, `SELECT count(*) FROM calls`)).toBeNull();
        expect((await attempt(client, `TRUNCATE audit_events`))?.message).toMatch(
          /permission denied/,
        );
      } finally {
        await client.end();
      }
    });
  });
});
