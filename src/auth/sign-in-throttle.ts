import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import Redis from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppConfig } from '../config/app-config';

/** Failed sign-ins one username may have in the window before it is locked (API.md "Hardening"). */
export const USERNAME_FAILURES_MAX = 10;
/**
 * Failed sign-ins from one address in the window: higher than a username's, since a prison's staff
 * may all come through one address, but it stops one machine trying a password on many usernames.
 */
export const ADDRESS_FAILURES_MAX = 100;
export const FAILURE_WINDOW_SECONDS = 15 * 60;
/** A locked attempt is audited once a minute per username or address, not once per try. */
const LOCKED_AUDIT_EVERY_SECONDS = 60;
/** A Redis that answers nothing must not hold a sign-in (the memory counts take over). */
const REDIS_COMMAND_TIMEOUT_MS = 1000;

export interface Lockout {
  /** Which count is over its limit. */
  by: 'username' | 'address';
  retryAfterSeconds: number;
  /** True the first time in a minute this lock refused someone (so that it is audited). */
  audit: boolean;
}

/**
 * Counts failed sign-ins per username and per client address in Redis, under the deployment's key
 * prefix, so that every api instance sees the same counts. A count starts at the first failure and
 * ends with its window (fixed, not sliding): a locked username waits at most 15 minutes, and a
 * success clears its username's count. When Redis cannot be reached each instance counts in its own
 * memory meanwhile: the lock still holds on every instance (an attacker gets at most ten tries per
 * instance per window), and signing in keeps working. Memory counts are not carried back to Redis.
 */
@Injectable()
export class SignInThrottle implements OnModuleDestroy {
  private readonly logger = new Logger(SignInThrottle.name);
  private readonly redis: Redis;
  private readonly byUsername: RateLimiterRedis;
  private readonly byAddress: RateLimiterRedis;
  private readonly lockedAudits: RateLimiterRedis;

  constructor(config: AppConfig) {
    // As the job queue's connection: no offline queue, so commands fail at once while Redis is down.
    this.redis = new Redis(config.REDIS_URL, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
      commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
      retryStrategy: (times) => Math.min(times * 500, 5000),
    });
    this.redis.on('error', (err) => this.logger.debug(`Redis: ${err.message}`));
    const limiter = (name: string, points: number, duration: number) =>
      new RateLimiterRedis({
        storeClient: this.redis,
        keyPrefix: `${config.QUEUE_PREFIX}:sign-in:${name}`,
        points,
        duration,
        rejectIfRedisNotReady: true,
        insuranceLimiter: new RateLimiterMemory({ points, duration }),
      });
    this.byUsername = limiter('username', USERNAME_FAILURES_MAX, FAILURE_WINDOW_SECONDS);
    this.byAddress = limiter('address', ADDRESS_FAILURES_MAX, FAILURE_WINDOW_SECONDS);
    this.lockedAudits = limiter('locked-audit', 1, LOCKED_AUDIT_EVERY_SECONDS);
  }

  /**
   * Counts this attempt as a failure before its password is checked (so that concurrent attempts
   * cannot all slip under the limit), and answers the lock it is refused by, if any. The attempt
   * then ends in {@link succeeded} or {@link abandoned}; a wrong password leaves the count as it is.
   */
  async begin(username: string, address: string): Promise<Lockout | null> {
    const byUsername = await this.consume(this.byUsername, username);
    if (byUsername) return this.locked('username', username, byUsername);
    const byAddress = await this.consume(this.byAddress, address);
    if (byAddress) {
      await this.byUsername.reward(username);
      return this.locked('address', address, byAddress);
    }
    return null;
  }

  /** A right password ends its username's count, and does not count against its address. */
  async succeeded(username: string, address: string): Promise<void> {
    await this.byUsername.delete(username);
    await this.byAddress.reward(address);
  }

  /** The password was never checked (the service was busy): the attempt does not count. */
  async abandoned(username: string, address: string): Promise<void> {
    await this.byUsername.reward(username);
    await this.byAddress.reward(address);
  }

  private async locked(by: Lockout['by'], key: string, res: RateLimiterRes): Promise<Lockout> {
    return {
      by,
      retryAfterSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)),
      audit: (await this.consume(this.lockedAudits, `${by}:${key}`)) === null,
    };
  }

  /** Consumes a point; the limiter's answer when the key is over its limit, else null. */
  private async consume(limiter: RateLimiterRedis, key: string): Promise<RateLimiterRes | null> {
    try {
      await limiter.consume(key);
      return null;
    } catch (err) {
      if (err instanceof RateLimiterRes) return err;
      throw err;
    }
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
  }
}
