import { Router } from 'express';
import type { WebServices } from '../services';
import { auditRoutes } from './audit.routes';
import { authorisationRoutes } from './authorisation.routes';
import { authorisationsRoutes } from './authorisations.routes';
import { decisionsRoutes } from './decisions.routes';
import { dutyRotaRoutes } from './duty-rota.routes';
import { privilegedNumberRoutes } from './privileged-numbers.routes';

/**
 * The security manager's pages: monitoring authorisations (list, request, approve, review, end),
 * the privileged-number directory, the audit search and the duty security rota. Each calls the same service as the API,
 * with the signed-in user as the actor, so the rules and the audit trail are the API's.
 */
export function securityRoutes(services: WebServices): Router {
  const router = Router();
  // The list's `/authorisations/new` before one authorisation's `/authorisations/:id`.
  router.use(authorisationsRoutes(services));
  router.use(authorisationRoutes(services));
  router.use(decisionsRoutes(services));
  router.use(privilegedNumberRoutes(services));
  router.use(auditRoutes(services));
  router.use(dutyRotaRoutes(services));
  return router;
}
