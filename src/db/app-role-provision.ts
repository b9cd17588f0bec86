import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { appDatabaseUrl, credentialsOf, DatabaseSettings } from './app-role';

/** What provisioning needs of a connection: TypeORM's EntityManager and pg's Client both fit. */
export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/** The application may add to these and read them, never change or remove a row. */
export const APPEND_ONLY_TABLES = ['audit_events'];
/** The application may only read these. */
export const READ_ONLY_TABLES = ['schema_migrations'];

/** Arbitrary but fixed: two deployments migrating at once provision the role one after the other. */
const PROVISION_LOCK_KEY = 7_301_244_017;

/**
 * Creates (or brings up to date) the application role and grants it exactly what the api and worker
 * need, in the owner's transaction, after the migrations. Run on every migration so that tables a
 * new migration adds are granted and any right granted by hand is taken back. A role named by
 * DATABASE_APP_URL is created when missing and given that URL's password (when it has one and the
 * owner may); a derived one is the product's, and its password is set from the owner's each time.
 * Refuses a role that could undo the restrictions: the owner itself, a superuser, a replication or
 * row-security-bypassing role, or a member of a role owning the tables.
 */
export async function provisionAppRole(
  m: Queryable,
  settings: DatabaseSettings,
): Promise<{ role: string; created: boolean }> {
  const { user: role, password } = credentialsOf(appDatabaseUrl(settings));
  const derived = settings.DATABASE_APP_URL === undefined;
  await m.query('SELECT pg_advisory_xact_lock($1)', [PROVISION_LOCK_KEY]);
  const [here] = (await m.query(
    `SELECT current_user AS owner, current_database() AS database, current_schema() AS schema`,
  )) as { owner: string; database: string; schema: string }[];
  if (role === here.owner) {
    throw new Error(
      `DATABASE_APP_URL signs in as ${role}, the owner of the schema: it must name a less privileged role`,
    );
  }
  const exists = ((await m.query(`SELECT 1 FROM pg_roles WHERE rolname = $1`, [role])) as unknown[])
    .length;
  if (!exists) {
    await run(
      m,
      `CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT PASSWORD %L`,
      role,
      password === null ? null : passwordVerifier(password),
    );
  } else if (derived) {
    await run(
      m,
      `ALTER ROLE %I LOGIN PASSWORD %L`,
      role,
      password === null ? null : passwordVerifier(password),
    );
  } else if (password !== null) {
    await alterPasswordIfAllowed(m, role, password);
  }
  await refuseDangerousRole(m, role);

  const schema = here.schema;
  await run(m, `GRANT CONNECT ON DATABASE %I TO %I`, here.database, role);
  await run(m, `GRANT USAGE ON SCHEMA %I TO %I`, schema, role);
  // From nothing each time, so that the grants below are all the role has.
  await run(m, `REVOKE ALL ON ALL TABLES IN SCHEMA %I FROM %I`, schema, role);
  await run(m, `REVOKE ALL ON ALL SEQUENCES IN SCHEMA %I FROM %I`, schema, role);
  await run(
    m,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO %I`,
    schema,
    role,
  );
  await run(m, `GRANT USAGE ON ALL SEQUENCES IN SCHEMA %I TO %I`, schema, role);
  await run(m, `GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA %I TO %I`, schema, role);
  for (const table of APPEND_ONLY_TABLES) {
    if (await tableExists(m, schema, table))
      await run(m, `REVOKE UPDATE, DELETE ON %I.%I FROM %I`, schema, table, role);
  }
  for (const table of READ_ONLY_TABLES) {
    if (await tableExists(m, schema, table))
      await run(m, `REVOKE INSERT, UPDATE, DELETE ON %I.%I FROM %I`, schema, table, role);
  }
  // Tables the owner creates outside the migrations are usable at once (the next migration run
  // applies the append-only and read-only lists to them).
  await run(
    m,
    `ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO %I`,
    schema,
    role,
  );
  await run(
    m,
    `ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT USAGE ON SEQUENCES TO %I`,
    schema,
    role,
  );
  await run(
    m,
    `ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT EXECUTE ON FUNCTIONS TO %I`,
    schema,
    role,
  );
  await refuseLeftoverRights(m, schema, role);
  return { role, created: !exists };
}

/**
 * Makes a named role's password the one its URL gives, so that changing the URL and migrating is how
 * it is changed; a role managed by someone the owner may not alter keeps its own (with a warning).
 */
async function alterPasswordIfAllowed(m: Queryable, role: string, password: string): Promise<void> {
  await m.query('SAVEPOINT app_role_password');
  try {
    await run(m, `ALTER ROLE %I PASSWORD %L`, role, passwordVerifier(password));
    await m.query('RELEASE SAVEPOINT app_role_password');
  } catch (err) {
    if ((err as { code?: string }).code !== '42501') throw err;
    await m.query('ROLLBACK TO SAVEPOINT app_role_password');
    console.warn(`Not allowed to set the password of ${role}; it keeps the one it has`);
  }
}

/** Runs a statement built by PostgreSQL's own format(), so that names and literals are quoted by it. */
async function run(m: Queryable, template: string, ...args: (string | null)[]): Promise<void> {
  const placeholders = args.map((_, i) => `$${i + 2}::text`).join(', ');
  const [{ sql }] = (await m.query(`SELECT format($1, ${placeholders}) AS sql`, [
    template,
    ...args,
  ])) as { sql: string }[];
  await m.query(sql);
}

async function tableExists(m: Queryable, schema: string, table: string): Promise<boolean> {
  const [{ found }] = (await m.query(
    `SELECT to_regclass(format('%I.%I', $1::text, $2::text)) IS NOT NULL AS found`,
    [schema, table],
  )) as { found: boolean }[];
  return found;
}

async function refuseDangerousRole(m: Queryable, role: string): Promise<void> {
  const [attrs] = (await m.query(
    `SELECT rolsuper, rolreplication, rolbypassrls FROM pg_roles WHERE rolname = $1`,
    [role],
  )) as { rolsuper: boolean; rolreplication: boolean; rolbypassrls: boolean }[];
  const bad = [
    attrs.rolsuper && 'SUPERUSER',
    attrs.rolreplication && 'REPLICATION',
    attrs.rolbypassrls && 'BYPASSRLS',
  ].filter(Boolean);
  if (bad.length) {
    throw new Error(
      `The application role ${role} has ${bad.join(', ')}: it must have none of these`,
    );
  }
  const owners = (await m.query(
    `SELECT DISTINCT o.rolname FROM pg_class c JOIN pg_roles o ON o.oid = c.relowner
      WHERE c.relnamespace = current_schema()::regnamespace AND pg_has_role($1, o.oid, 'MEMBER')`,
    [role],
  )) as { rolname: string }[];
  if (owners.length) {
    throw new Error(
      `The application role ${role} is, or is a member of, ${owners.map((o) => o.rolname).join(', ')}, which owns tables: it must own none`,
    );
  }
}

/** A right still held (through PUBLIC, say) would undo the append-only guarantee: fail the run. */
async function refuseLeftoverRights(m: Queryable, schema: string, role: string): Promise<void> {
  for (const table of APPEND_ONLY_TABLES) {
    if (!(await tableExists(m, schema, table))) continue;
    const [rights] = (await m.query(
      `SELECT has_table_privilege($1, format('%I.%I', $2::text, $3::text), 'UPDATE, DELETE, TRUNCATE, TRIGGER') AS held`,
      [role, schema, table],
    )) as { held: boolean }[];
    if (rights.held) {
      throw new Error(
        `The application role ${role} can still change ${table} (granted to PUBLIC?): revoke it`,
      );
    }
  }
}

/**
 * A SCRAM-SHA-256 verifier, so that the password itself never appears in a statement (and so never
 * in a server log that records DDL). PostgreSQL stores a verifier given in this form as it is.
 * Passwords outside printable ASCII are sent as they are: PostgreSQL normalises those itself.
 */
export function passwordVerifier(password: string, iterations = 4096): string {
  if (!/^[\x20-\x7e]*$/.test(password)) return password;
  const salt = randomBytes(16);
  const salted = pbkdf2Sync(password, salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}
