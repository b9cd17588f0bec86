import { Router } from 'express';
import type { WebServices } from '../services';
import { caseloadRoutes } from './caseload.routes';
import { digestRoutes } from './digest.routes';
import { escalationRoutes } from './escalations.routes';
import { prisonerSearchRoutes } from './prisoner-search.routes';
import { prisonerRoutes } from './prisoner.routes';
import { summaryRoutes } from './summary.routes';

/**
 * The POM's pages: My caseload, the prisoner page, a log, the escalations inbox with acknowledge
 * and close, and the pre-release digest for the COM with the disclosures register, and the MAPPA monitoring summary (HTML, PDF). Heads of OMU and security managers also use the prisoner page, the log and
 * the inbox. Each calls the same service as the API, with the signed-in user as the actor.
 */
export function pomRoutes(services: WebServices): Router {
  const router = Router();
  router.use(caseloadRoutes(services));
  // Before the prisoner page: `/prisoners/search` is not a prison number.
  router.use(prisonerSearchRoutes(services));
  router.use(prisonerRoutes(services));
  router.use(escalationRoutes(services));
  router.use(digestRoutes(services));
  router.use(summaryRoutes(services));
  return router;
}
