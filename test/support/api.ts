import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { DataSource } from 'typeorm';

/** Settings every test process needs; the database and Redis prefix come from global setup. */
export function applyTestEnv(extra: Record<string, string> = {}): void {
  process.env.JWT_SECRET ??= 'test-secret-test-secret-test-secret-0123';
  process.env.ADMIN_USERNAME ??= 'admin';
  process.env.ADMIN_PASSWORD ??= 'admin-test-password';
  process.env.LOG_LEVEL ??= 'error';
  process.env.RECORDINGS_DIR ??= `${__dirname}/../fixtures/recordings`;
  Object.assign(process.env, extra);
}

export interface TestApi {
  app: NestExpressApplication;
  http: TestAgent;
  db: DataSource;
  close(): Promise<void>;
}

/** The real api application (same pipeline as production), in process, on the run's database. */
export async function startApi(): Promise<TestApi> {
  applyTestEnv();
  // Imported here so that the environment is in place before any config is read.
  const { createApiApp } = await import('../../src/main');
  const app = await createApiApp();
  await app.init();
  return {
    app,
    http: request(app.getHttpServer()),
    db: app.get(DataSource),
    close: () => app.close(),
  };
}

export function bearer(token: string): { Authorization: string } {
  return { Authorization: `Bearer ${token}` };
}

/** The API's error shape (API.md, "Conventions"). */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details: { field: string; message: string }[];
  correlationId: string;
}
