import 'reflect-metadata';
import { loadConfig } from './app-config';

const base = {
  REDIS_URL: 'redis://127.0.0.1:6379',
  JWT_SECRET: 'x'.repeat(32),
  ADMIN_USERNAME: 'admin',
  ADMIN_PASSWORD: 'a-long-admin-password',
};

describe('the database settings', () => {
  it('need DATABASE_URL when DATABASE_APP_URL is not given', () => {
    expect(() => loadConfig(base)).toThrow(/DATABASE_URL \(missing\)/);
  });

  it('leave DATABASE_APP_URL to be derived from DATABASE_URL', () => {
    const config = loadConfig({ ...base, DATABASE_URL: 'postgres://postgres@127.0.0.1/mpc' });
    expect(config.DATABASE_APP_URL).toBeUndefined();
  });

  it('let an api or worker run on DATABASE_APP_URL alone, without the owner credentials', () => {
    const config = loadConfig({ ...base, DATABASE_APP_URL: 'postgres://mpc_app:pw@db/mpc' });
    expect(config.DATABASE_APP_URL).toBe('postgres://mpc_app:pw@db/mpc');
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it('refuse a DATABASE_APP_URL that is not a postgres URL', () => {
    expect(() =>
      loadConfig({ ...base, DATABASE_URL: 'postgres://o@db/mpc', DATABASE_APP_URL: 'mysql://x' }),
    ).toThrow(/DATABASE_APP_URL \(invalid\)/);
  });
});
