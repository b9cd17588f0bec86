import type { NestExpressApplication } from '@nestjs/platform-express';
import { Router } from 'express';

/** Security manager pages (authorisations, privileged numbers, audit search). */
export function securityRoutes(_app: NestExpressApplication): Router {
  const router = Router();
  return router;
}
