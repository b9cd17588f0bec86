import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../src/config/app-config';
import { dataSourceOptions } from '../../src/db/data-source';
import { insideTransaction, TransactionMisuse } from '../../src/db/transaction-guard';
import { applyTestEnv } from '../support/api';

describe('the transaction guard', () => {
  let db: DataSource;

  beforeAll(async () => {
    applyTestEnv();
    const config = loadConfig();
    db = new DataSource(dataSourceOptions({ ...config, DB_POOL_SIZE: 3 }, 'app', config));
    await db.initialize();
  });

  afterAll(async () => {
    await db.destroy();
  });

  it('refuses a query on the pool from inside a transaction', async () => {
    const attempt = db.transaction(async (m) => {
      await m.query(`SELECT 1`);
      await db.query(`SELECT 2`);
    });
    await expect(attempt).rejects.toThrow(TransactionMisuse);
    await expect(attempt).rejects.toThrow(/another connection inside a transaction/);
  });

  it('refuses a second transaction opened inside the first (it would take a second connection)', async () => {
    const attempt = db.transaction(async () => {
      await db.transaction(async (inner) => inner.query(`SELECT 1`));
    });
    await expect(attempt).rejects.toThrow(TransactionMisuse);
  });

  it("refuses two queries at once on the transaction's connection", async () => {
    const attempt = db.transaction(async (m) => {
      await Promise.all([m.query(`SELECT pg_sleep(0.05)`), m.query(`SELECT 1`)]);
    });
    await expect(attempt).rejects.toThrow(/Two queries at once on one connection/);
  });

  it('lets a transaction use its own manager, savepoints included, and the pool once it has ended', async () => {
    let leftBehind: Promise<unknown> = Promise.resolve();
    const result = await db.transaction(async (m) => {
      expect(insideTransaction()).toBe(true);
      const [a] = await m.query<{ n: number }[]>(`SELECT 1 AS n`);
      const b = await m.transaction(async (same) => same.query<{ n: number }[]>(`SELECT 2 AS n`));
      // Work started inside the callback that touches the pool only after it has committed.
      leftBehind = new Promise((resolve) => setTimeout(resolve, 50)).then(() =>
        db.query(`SELECT 3 AS n`),
      );
      return a.n + b[0].n;
    });
    expect(result).toBe(3);
    expect(insideTransaction()).toBe(false);
    await expect(leftBehind).resolves.toEqual([{ n: 3 }]);
  });

  it('lets queries on the pool outside any transaction run at once', async () => {
    const rows = await Promise.all([db.query(`SELECT 1 AS n`), db.query(`SELECT 2 AS n`)]);
    expect(rows).toEqual([[{ n: 1 }], [{ n: 2 }]]);
  });
});
