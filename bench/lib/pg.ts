import { Client, Query, QueryResult } from 'pg';
import type { Duplex } from 'node:stream';

/** The same URL pointing at another database. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

export async function connect(url: string, applicationName = 'mpc-bench'): Promise<Client> {
  const client = new Client({ connectionString: url, application_name: applicationName });
  await client.connect();
  return client;
}

/** Drops (ending its sessions first) and creates the database. */
export async function recreateDatabase(serverUrl: string, name: string): Promise<void> {
  await dropDatabase(serverUrl, name);
  const admin = await connect(withDatabase(serverUrl, 'postgres'));
  try {
    await admin.query(`CREATE DATABASE ${quoteIdent(name)}`);
  } finally {
    await admin.end();
  }
}

export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  const admin = await connect(withDatabase(serverUrl, 'postgres'));
  try {
    await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
      [name],
    );
    await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)}`);
  } finally {
    await admin.end();
  }
}

export function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Unsafe identifier ${name}`);
  return name;
}

/** The part of pg's connection a COPY FROM STDIN writes to (not in @types/pg). */
interface CopyConnection {
  stream: Duplex;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
  sendCopyFail(message: string): void;
}

/**
 * `COPY … FROM STDIN` with the given chunks (text format), through pg's own protocol support: a
 * Query whose copy-in handler streams the chunks, honouring the socket's back-pressure. Resolves
 * with the number of rows copied.
 */
export function copyFrom(client: Client, sql: string, chunks: readonly Buffer[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const query = new Query(sql);
    const handler = query as unknown as {
      handleCopyInResponse: (connection: CopyConnection) => void;
    };
    handler.handleCopyInResponse = (connection) => {
      let i = 0;
      const pump = () => {
        while (i < chunks.length) {
          connection.sendCopyFromChunk(chunks[i++]);
          if (connection.stream.writableNeedDrain) {
            connection.stream.once('drain', pump);
            return;
          }
        }
        connection.endCopyFrom();
      };
      pump();
    };
    query.on('end', (result: QueryResult) => resolve(result.rowCount ?? 0));
    query.on('error', reject);
    client.query(query);
  });
}

/** One number from a query such as `SELECT count(*)::int AS n FROM …`. */
export async function scalar(client: Client, sql: string, params: unknown[] = []): Promise<number> {
  const result = await client.query<{ n: number | string | null }>(sql, params);
  return Number(result.rows[0]?.n ?? 0);
}
