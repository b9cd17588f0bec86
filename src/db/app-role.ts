import { createHash, createHmac } from 'node:crypto';
import { parse } from 'pg-connection-string';

/**
 * Two database roles: the owner (DATABASE_URL) runs the migrations and owns every table; the api and
 * worker connect as an application role that may read and write rows but not alter, disable or
 * bypass anything, and may only add to the audit trail. DATABASE_URL stays the one database setting
 * a user must give: without DATABASE_APP_URL the application role's connection is derived from it.
 */
export interface DatabaseSettings {
  /** Absent only in an api or worker given DATABASE_APP_URL (the config checks one of them is set). */
  DATABASE_URL?: string;
  DATABASE_APP_URL?: string;
}

/** Longest identifier PostgreSQL keeps (NAMEDATALEN - 1). */
const MAX_IDENTIFIER = 63;

/** The connection the api and worker use: DATABASE_APP_URL when given, otherwise derived. */
export function appDatabaseUrl(settings: DatabaseSettings): string {
  if (settings.DATABASE_APP_URL) return settings.DATABASE_APP_URL;
  if (!settings.DATABASE_URL) throw new Error('Neither DATABASE_APP_URL nor DATABASE_URL is set');
  return deriveAppDatabaseUrl(settings.DATABASE_URL);
}

/** The database a connection URL names (PostgreSQL's default: the user's name). */
export function databaseOf(url: string): string {
  const parsed = parse(url);
  const name = parsed.database || parsed.user;
  if (!name) throw new Error('The database URL names neither a database nor a user');
  return name;
}

/** The role name and password (null when the URL has none) a connection URL signs in with. */
export function credentialsOf(url: string): { user: string; password: string | null } {
  const parsed = parse(url);
  if (!parsed.user) throw new Error('The database URL names no user');
  return { user: parsed.user, password: parsed.password || null };
}

/**
 * `<database>_app`, in the characters an unquoted identifier may use. Roles are shared by the whole
 * cluster, so the name carries the database's: one product database per cluster or many (test runs
 * each create one) never share an application role. Over-long names keep a hash of the full one.
 */
export function appRoleName(database: string): string {
  const base = database.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  const name = `${/^[a-z_]/.test(base) ? '' : 'db_'}${base}_app`;
  if (name.length <= MAX_IDENTIFIER) return name;
  const hash = createHash('sha256').update(database).digest('hex').slice(0, 8);
  return `${name.slice(0, MAX_IDENTIFIER - 13)}_${hash}_app`;
}

/**
 * The application role's password, derived from the owner's so that there is no second secret to
 * hand out: whoever may run the migrations can compute it, whoever holds it cannot work back to the
 * owner's. An owner without a password (trust or peer authentication) gives a role without one.
 */
export function appRolePassword(ownerPassword: string | null, role: string): string | null {
  if (!ownerPassword) return null;
  return createHmac('sha256', ownerPassword).update(`mpc-app-role:${role}`).digest('base64url');
}

/** The owner's URL with the application role's name and derived password in place of the owner's. */
export function deriveAppDatabaseUrl(ownerUrl: string): string {
  const role = appRoleName(databaseOf(ownerUrl));
  const password = appRolePassword(credentialsOf(ownerUrl).password, role);
  const url = new URL(ownerUrl);
  url.searchParams.delete('user');
  url.searchParams.delete('password');
  url.username = '';
  url.password = '';
  if (url.host) {
    url.username = role;
    if (password) url.password = password;
  } else {
    // A URL without a host (a Unix socket given as ?host=) cannot carry credentials before the '@'.
    url.searchParams.set('user', role);
    if (password) url.searchParams.set('password', password);
  }
  return url.toString();
}
