import { parse } from 'pg-connection-string';
import {
  appDatabaseUrl,
  appRoleName,
  appRolePassword,
  databaseOf,
  deriveAppDatabaseUrl,
} from './app-role';
import { passwordVerifier } from './app-role-provision';

describe('the application role', () => {
  it('is named after the database, in identifier characters, within 63 of them', () => {
    expect(appRoleName('mpc')).toBe('mpc_app');
    expect(appRoleName('Mpc-Prod.2')).toBe('mpc_prod_2_app');
    expect(appRoleName('2026')).toBe('db_2026_app');
    const long = appRoleName('x'.repeat(70));
    expect(long).toHaveLength(63);
    expect(long).toMatch(/^x+_[0-9a-f]{8}_app$/);
    expect(appRoleName('x'.repeat(71))).not.toBe(long);
  });

  it('takes the database from the URL, or the user when the URL names none', () => {
    expect(databaseOf('postgres://postgres@127.0.0.1:5432/mpc')).toBe('mpc');
    expect(databaseOf('postgres://owner@127.0.0.1:5432')).toBe('owner');
  });

  it('derives a URL with the role and an HMAC of the owner password, keeping everything else', () => {
    const url = deriveAppDatabaseUrl(
      'postgres://owner:s%40cret@db.internal:6543/mpc?application_name=mpc',
    );
    const parsed = parse(url);
    expect(parsed).toMatchObject({
      user: 'mpc_app',
      host: 'db.internal',
      port: '6543',
      database: 'mpc',
      application_name: 'mpc',
    });
    expect(parsed.password).toBe(appRolePassword('s@cret', 'mpc_app'));
    expect(parsed.password).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url).not.toContain('cret');
    // Another owner password or database gives another role password.
    expect(appRolePassword('other', 'mpc_app')).not.toBe(parsed.password);
    expect(appRolePassword('s@cret', 'mpc2_app')).not.toBe(parsed.password);
  });

  it('gives a role without a password when the owner has none (trust or peer authentication)', () => {
    expect(deriveAppDatabaseUrl('postgres://postgres@127.0.0.1:5432/mpc')).toBe(
      'postgres://mpc_app@127.0.0.1:5432/mpc',
    );
  });

  it('puts the credentials in the query of a URL without a host (a Unix socket)', () => {
    const parsed = parse(
      deriveAppDatabaseUrl('postgres:///mpc?host=/var/run/postgresql&user=owner'),
    );
    expect(parsed).toMatchObject({ user: 'mpc_app', host: '/var/run/postgresql', database: 'mpc' });
    expect(parsed.password).toBeFalsy();
  });

  it('is the one DATABASE_APP_URL names when it is set', () => {
    const given = 'postgres://custom:pw@127.0.0.1/mpc';
    expect(
      appDatabaseUrl({ DATABASE_URL: 'postgres://o@127.0.0.1/mpc', DATABASE_APP_URL: given }),
    ).toBe(given);
  });

  it('gets a SCRAM-SHA-256 verifier, never the password, in the statement that sets it', () => {
    const verifier = passwordVerifier('correct-horse');
    expect(verifier).toMatch(
      /^SCRAM-SHA-256\$4096:[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}:[A-Za-z0-9+/=]{44}$/,
    );
    expect(verifier).not.toContain('correct-horse');
  });
});
