import type { NestExpressApplication } from '@nestjs/platform-express';
import { Router } from 'express';

/** Head of OMU pages (backlog dashboard, queue, IRMM, reviews due). */
export function headRoutes(_app: NestExpressApplication): Router {
  const router = Router();
  return router;
}
