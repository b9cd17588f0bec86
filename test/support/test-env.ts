/** Where the test run's own database and Redis key space are, shared by setup, teardown and specs. */
export const BASE_DATABASE_URL =
  process.env.TEST_BASE_DATABASE_URL ??
  process.env.DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export function databaseUrlFor(name: string): string {
  const url = new URL(BASE_DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export function assertTestDatabase(name: string): void {
  if (!/test/.test(name))
    throw new Error(`Refusing to run tests against database "${name}": its name lacks "test"`);
}
