import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import connectPgSimple from 'connect-pg-simple';
import session from 'express-session';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

type PgStore = InstanceType<ReturnType<typeof connectPgSimple>>;

/**
 * The workbench's session store: the web_sessions table (see the WebSessions migration), on the
 * api's own pool. A provider so that it closes with the app: the store prunes expired sessions on a
 * timer of its own (every 7½–22½ minutes), and a timer that outlived its app would prune through a
 * pool already ended — in a test run, long after that app's tests, an error in whichever test file
 * was running then. Expired sessions are never read back (the store checks `expire` on every read),
 * so pruning is housekeeping only.
 */
@Injectable()
export class WebSessionStore implements OnApplicationShutdown {
  private readonly logger = new Logger(WebSessionStore.name);
  readonly store: PgStore;

  constructor(db: DataSource) {
    const PgStore = connectPgSimple(session);
    this.store = new PgStore({
      pool: (db.driver as PostgresDriver).master as Pool,
      tableName: 'web_sessions',
      createTableIfMissing: false,
      errorLog: (...args: unknown[]) => this.logger.warn(args.map(String).join(' ')),
    });
  }

  /** Stops the pruning timer; the pool is the app's, ended by TypeORM. */
  onApplicationShutdown(): void {
    this.store.close();
  }
}
