import { plainToInstance, Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';
import * as path from 'node:path';

/**
 * Every setting the processes read, validated once at boot. Nothing else in the code base reads
 * process.env: inject AppConfig instead.
 */
export class AppConfig {
  @Matches(/^postgres(ql)?:\/\//, { message: 'must be a postgres:// connection URL' })
  DATABASE_URL!: string;

  @Matches(/^rediss?:\/\//, { message: 'must be a redis:// connection URL' })
  REDIS_URL!: string;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(65535)
  PORT = 3000;

  @IsString()
  @MinLength(32, { message: 'must be at least 32 characters (use a random secret)' })
  JWT_SECRET!: string;

  @Type(() => Number)
  @IsInt()
  @Min(60)
  JWT_TTL_SECONDS = 3600;

  @IsString()
  @Matches(/^[a-z0-9._-]{2,64}$/i, {
    message: 'must be 2-64 letters, digits, dot, dash or underscore',
  })
  ADMIN_USERNAME!: string;

  @IsString()
  @MinLength(12, { message: 'must be at least 12 characters' })
  ADMIN_PASSWORD!: string;

  /** Directory the telephony provider's recordings are read from; recordingRef is relative to it. */
  @IsString()
  @IsNotEmpty()
  RECORDINGS_DIR = path.resolve('demo/recordings');

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  DB_POOL_SIZE = 10;

  /** Prefix of every BullMQ key, so that several deployments (or test runs) can share one Redis. */
  @IsString()
  @Matches(/^[a-z0-9:_-]+$/i)
  QUEUE_PREFIX = 'mpc';

  /** Calls triaged per transaction; a killed worker loses at most one chunk of work, redone on restart. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(5000)
  TRIAGE_CHUNK_SIZE = 1000;

  /**
   * Jobs a worker runs at once. A triage job spends much of its time waiting on PostgreSQL (commits,
   * the next chunk's reads), so four keep two cores busy: about a quarter more calls triaged a
   * second than two on the benchmark machine (bench/PERFORMANCE.md).
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(32)
  WORKER_CONCURRENCY = 4;

  /** How long a worker holds a job before BullMQ treats it as stalled and hands it to another. */
  @Type(() => Number)
  @IsInt()
  @Min(1000)
  WORKER_LOCK_MS = 30000;

  /** Calls left in RECEIVED for longer than this are re-enqueued by the reconciler. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  RECONCILE_AFTER_SECONDS = 60;

  @IsOptional()
  @IsIn(['true', 'false'])
  SCHEDULER_ENABLED?: string = 'true';
}

export class ConfigError extends Error {}

/** Reads and validates the environment; throws one error naming every bad or missing setting. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const plain: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && value !== '') plain[key] = value;
  }
  const config = plainToInstance(AppConfig, plain, { excludeExtraneousValues: false });
  const errors = validateSync(config, { whitelist: false });
  if (errors.length > 0) {
    const lines = errors.map((e) => {
      const value = e.value === undefined ? 'missing' : 'invalid';
      const reasons = Object.values(e.constraints ?? {}).join('; ');
      return `  ${e.property} (${value}): ${reasons}`;
    });
    throw new ConfigError(`Configuration is not valid:\n${lines.join('\n')}`);
  }
  // plainToInstance copies every env var onto the object; keep only declared settings.
  const clean = new AppConfig();
  for (const key of Object.keys(clean) as (keyof AppConfig)[]) {
    (clean as unknown as Record<string, unknown>)[key] = config[key];
  }
  for (const key of [
    'DATABASE_URL',
    'REDIS_URL',
    'JWT_SECRET',
    'ADMIN_USERNAME',
    'ADMIN_PASSWORD',
  ] as const) {
    clean[key] = config[key];
  }
  clean.RECORDINGS_DIR = path.resolve(clean.RECORDINGS_DIR);
  return Object.freeze(clean);
}
