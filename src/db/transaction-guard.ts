import { AsyncLocalStorage } from 'node:async_hooks';
import { Logger } from '@nestjs/common';
import { Pool } from 'pg';
import { EntityManager, QueryRunner } from 'typeorm';
import { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner';

/**
 * Makes the two mistakes that froze the api under load impossible to ship unnoticed:
 *
 * 1. A query on the pool from inside a transaction. The transaction holds one connection and waits
 *    for a second; with every pooled connection held that way, nothing is ever answered.
 * 2. Two queries at once on one transaction's connection (a `Promise.all` over `m.query`): pg
 *    serialises them today with a deprecation warning and will refuse them in its next major.
 *
 * Every transaction callback runs inside an AsyncLocalStorage scope naming its query runner; any
 * query on another runner, or any connection taken from the pool, while that scope is live is a
 * `TransactionMisuse`. The scope ends when the callback settles, so work the callback leaves
 * behind (an enqueue that later reads the database) is not mistaken for misuse.
 *
 * `throw` (the default, and what the tests run with) fails the request; `warn` logs it with the
 * stack and lets it through.
 */
export type TransactionGuardMode = 'throw' | 'warn' | 'off';

export class TransactionMisuse extends Error {}

interface TransactionScope {
  runner: QueryRunner;
  live: boolean;
}

const scope = new AsyncLocalStorage<TransactionScope>();
const inFlight = new WeakMap<QueryRunner, number>();
const logger = new Logger('TransactionGuard');
let mode: TransactionGuardMode = 'off';
let installed = false;

function misuse(message: string): void {
  if (mode === 'throw') throw new TransactionMisuse(message);
  if (mode === 'warn') logger.error(`${message}\n${new Error().stack ?? ''}`);
}

function liveScope(): TransactionScope | undefined {
  const current = scope.getStore();
  return current?.live ? current : undefined;
}

export function installTransactionGuard(guardMode: TransactionGuardMode): void {
  mode = guardMode;
  if (installed || guardMode === 'off') return;
  installed = true;

  type TransactionFn = (...args: unknown[]) => Promise<unknown>;
  const managerPrototype = EntityManager.prototype as unknown as { transaction: TransactionFn };
  const originalTransaction = managerPrototype.transaction;
  managerPrototype.transaction = function (this: EntityManager, ...args: unknown[]) {
    const index = typeof args[0] === 'function' ? 0 : 1;
    const work = args[index] as ((m: EntityManager) => Promise<unknown>) | undefined;
    if (typeof work !== 'function') return originalTransaction.apply(this, args);
    const wrapped = args.slice();
    wrapped[index] = async (m: EntityManager) => {
      const outer = liveScope();
      // A nested transaction on the same manager is a savepoint on the same connection.
      if (outer && outer.runner === m.queryRunner) return work(m);
      const own: TransactionScope = { runner: m.queryRunner!, live: true };
      try {
        return await scope.run(own, () => work(m));
      } finally {
        own.live = false;
      }
    };
    return originalTransaction.apply(this, wrapped);
  };

  type QueryFn = (this: QueryRunner, ...args: unknown[]) => Promise<unknown>;
  const prototype = PostgresQueryRunner.prototype as unknown as { query: QueryFn };
  const originalQuery = prototype.query;
  prototype.query = async function (this: QueryRunner, ...args: unknown[]) {
    const current = liveScope();
    if (current && current.runner !== this) {
      misuse(
        'A query ran on another connection inside a transaction: pass the transaction manager ' +
          `to every query in it. SQL: ${String(args[0]).slice(0, 120)}`,
      );
    }
    const running = inFlight.get(this) ?? 0;
    if (running > 0) {
      misuse(
        'Two queries at once on one connection: await each query of a transaction in turn. ' +
          `SQL: ${String(args[0]).slice(0, 120)}`,
      );
    }
    inFlight.set(this, running + 1);
    try {
      return await originalQuery.apply(this, args);
    } finally {
      inFlight.set(this, (inFlight.get(this) ?? 1) - 1);
    }
  };

  // Raw pool use (the claim's one-round-trip statement, the session store) inside a transaction.
  type ConnectFn = (this: Pool, ...args: unknown[]) => unknown;
  const poolPrototype = Pool.prototype as unknown as { connect: ConnectFn };
  const originalConnect = poolPrototype.connect;
  poolPrototype.connect = function (this: Pool, ...args: unknown[]) {
    if (liveScope()) {
      misuse('A connection was taken from the pool inside a transaction');
    }
    return originalConnect.apply(this, args);
  };
}

/** True while the calling code runs inside a transaction's callback (for assertions in tests). */
export function insideTransaction(): boolean {
  return liveScope() !== undefined;
}
