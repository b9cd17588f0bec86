import { AppConfig } from '../config/app-config';
import { SignInThrottle, USERNAME_FAILURES_MAX } from './sign-in-throttle';

describe('SignInThrottle with Redis unreachable', () => {
  // A port nothing listens on: every command fails at once (no offline queue).
  const config = { REDIS_URL: 'redis://127.0.0.1:1', QUEUE_PREFIX: 'unit' } as AppConfig;
  let throttle: SignInThrottle;

  beforeEach(() => {
    throttle = new SignInThrottle(config);
  });

  afterEach(() => {
    throttle.onModuleDestroy();
  });

  it('answers at once and still locks a username, counting in memory', async () => {
    const started = Date.now();
    for (let i = 0; i < USERNAME_FAILURES_MAX; i++) {
      expect(await throttle.begin('someone', '192.0.2.1')).toBeNull();
    }
    const lock = await throttle.begin('someone', '192.0.2.1');
    expect(lock).toMatchObject({ by: 'username', audit: true });
    expect(lock!.retryAfterSeconds).toBeGreaterThan(800);
    // Audited once a minute, not at every refused try.
    expect(await throttle.begin('someone', '192.0.2.1')).toMatchObject({ audit: false });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('clears the count on a success and does not count an abandoned attempt', async () => {
    for (let i = 0; i < USERNAME_FAILURES_MAX - 1; i++) await throttle.begin('u2', '192.0.2.2');
    await throttle.succeeded('u2', '192.0.2.2');
    for (let i = 0; i < USERNAME_FAILURES_MAX - 1; i++) await throttle.begin('u2', '192.0.2.2');
    expect(await throttle.begin('u2', '192.0.2.2')).toBeNull();
    await throttle.abandoned('u2', '192.0.2.2');
    expect(await throttle.begin('u2', '192.0.2.2')).toBeNull();
    expect(await throttle.begin('u2', '192.0.2.2')).toMatchObject({ by: 'username' });
  });
});
