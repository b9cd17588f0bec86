import type { NestExpressApplication } from '@nestjs/platform-express';
import { Router } from 'express';

/** POM pages (caseload, prisoner page, escalations inbox). */
export function pomRoutes(_app: NestExpressApplication): Router {
  const router = Router();
  return router;
}
