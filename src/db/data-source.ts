import { DataSourceOptions } from 'typeorm';
import { ALL_MIGRATIONS } from '../../migrations';
import { appDatabaseUrl, DatabaseSettings } from './app-role';
import { installTransactionGuard, TransactionGuardMode } from './transaction-guard';

/** What the running processes' pool is bounded by; migrations run without these limits. */
export interface PoolLimits {
  DB_ACQUIRE_TIMEOUT_MS: number;
  DB_STATEMENT_TIMEOUT_MS: number;
  DB_LOCK_TIMEOUT_MS: number;
  DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: number;
  DB_TRANSACTION_GUARD: TransactionGuardMode;
}

/**
 * `as` picks the role: the api and worker connect as the application role, only the migrations
 * as the owner (src/db/app-role.ts). `limits` bound the running processes' pool.
 */
export function dataSourceOptions(
  settings: DatabaseSettings & { DB_POOL_SIZE: number },
  as: 'app' | 'owner' = 'app',
  limits?: PoolLimits,
): DataSourceOptions {
  if (as === 'owner' && !settings.DATABASE_URL) throw new Error('DATABASE_URL is not set');
  if (limits) installTransactionGuard(limits.DB_TRANSACTION_GUARD);
  return {
    type: 'postgres',
    url: as === 'owner' ? settings.DATABASE_URL : appDatabaseUrl(settings),
    // The schema is owned by the hand-written migrations; the ORM never alters it.
    synchronize: false,
    migrationsRun: false,
    migrations: ALL_MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    entities: [],
    logging: false,
    extra: {
      max: settings.DB_POOL_SIZE,
      application_name: 'mpc',
      // Overload must answer, not hang: a request that cannot get a connection within a few seconds
      // fails (503 with Retry-After), and PostgreSQL itself ends a statement, a lock wait or a
      // transaction left idle past its limit, so a stuck request cannot hold a connection forever.
      ...(limits && {
        connectionTimeoutMillis: limits.DB_ACQUIRE_TIMEOUT_MS,
        statement_timeout: limits.DB_STATEMENT_TIMEOUT_MS,
        lock_timeout: limits.DB_LOCK_TIMEOUT_MS,
        idle_in_transaction_session_timeout: limits.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
      }),
    },
  };
}
