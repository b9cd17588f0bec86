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
  ValidateIf,
  validateSync,
} from 'class-validator';
import * as path from 'node:path';
import { deriveAppDatabaseUrl } from '../db/app-role';

/**
 * Every setting the processes read, validated once at boot. Nothing else in the code base reads
 * process.env: inject AppConfig instead.
 */
export class AppConfig {
  /**
   * The owner's connection, for the migrations (src/db/app-role.ts). The api and worker need it only
   * to derive DATABASE_APP_URL: given that, they can run without the owner's credentials.
   */
  @ValidateIf((c: AppConfig) => c.DATABASE_APP_URL === undefined || c.DATABASE_URL !== undefined)
  @Matches(/^postgres(ql)?:\/\//, { message: 'must be a postgres:// connection URL' })
  DATABASE_URL?: string;

  /**
   * The application role's connection, used by the api and worker. Optional: without it the
   * product derives it from DATABASE_URL (role `<database>_app`, password derived from the owner's).
   */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\//, { message: 'must be a postgres:// connection URL' })
  DATABASE_APP_URL?: string;

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

  /** How long a request waits for a pooled connection before it is answered 503. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  DB_ACQUIRE_TIMEOUT_MS = 5000;

  /**
   * A workbench session ends after this long without a request (8 hours: a shift). Shortened in the
   * browser tests to see what a listener meets when it ends while they write a log.
   */
  @Type(() => Number)
  @IsInt()
  @Min(5)
  WEB_SESSION_SECONDS = 8 * 3600;

  /** PostgreSQL's statement_timeout for the processes' connections (the longest job statement fits). */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  DB_STATEMENT_TIMEOUT_MS = 30000;

  /** PostgreSQL's lock_timeout: a row lock waited on longer than this fails the request (503). */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  DB_LOCK_TIMEOUT_MS = 5000;

  /** PostgreSQL ends a transaction left idle this long, so its locks and connection come back. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  DB_IDLE_IN_TRANSACTION_TIMEOUT_MS = 15000;

  /**
   * What a query on the pool inside a transaction, or two queries at once on one connection, does
   * (src/db/transaction-guard.ts): `throw` fails the request, `warn` logs it with the stack.
   */
  @IsIn(['throw', 'warn', 'off'])
  DB_TRANSACTION_GUARD: 'throw' | 'warn' | 'off' = 'throw';

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

  /**
   * After triage, the calls table is analysed when about this many rows (or a tenth of the table)
   * have been added or changed since its last analyse: the claim's plan needs fresh statistics.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  ANALYZE_AFTER_CHANGES = 10000;

  /**
   * A GOV.UK Notify API key (`name-serviceid-secret`). Without one, notifications are "log only":
   * each is logged and marked SENT without a Notify id, so the demo and tests run without a key.
   */
  @IsOptional()
  @Matches(/^.+-[0-9a-f-]{36}-[0-9a-f-]{36}$/i, {
    message: 'must be a GOV.UK Notify API key: key name, service id and secret',
  })
  NOTIFY_API_KEY?: string;

  /** Where Notify is reached (its production API by default; tests point it at a local server). */
  @Matches(/^https?:\/\//, { message: 'must be an http(s):// URL' })
  NOTIFY_BASE_URL = 'https://api.notifications.service.gov.uk';

  /** The workbench's address as recipients reach it: the links in the emails start with it. */
  @Matches(/^https?:\/\//, { message: 'must be an http(s):// URL' })
  WORKBENCH_URL = 'http://localhost:3000';
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
  clean.DATABASE_URL = config.DATABASE_URL;
  clean.DATABASE_APP_URL = config.DATABASE_APP_URL;
  clean.NOTIFY_API_KEY = config.NOTIFY_API_KEY;
  for (const key of ['REDIS_URL', 'JWT_SECRET', 'ADMIN_USERNAME', 'ADMIN_PASSWORD'] as const) {
    clean[key] = config[key];
  }
  if (clean.DATABASE_APP_URL === undefined) {
    try {
      deriveAppDatabaseUrl(clean.DATABASE_URL!);
    } catch (err) {
      throw new ConfigError(
        `Configuration is not valid:\n  DATABASE_APP_URL (missing): cannot be derived from DATABASE_URL (${(err as Error).message}); set it`,
      );
    }
  }
  clean.RECORDINGS_DIR = path.resolve(clean.RECORDINGS_DIR);
  return Object.freeze(clean);
}
