import { Router } from 'express';
import type { WebServices } from '../services';
import { backlogRoutes } from './backlog.routes';
import { flagDecisionRoutes } from './flag-decisions.routes';
import { irmmRoutes } from './irmm.routes';
import { planStaffingRoutes } from './plan-staffing.routes';

/**
 * The head of OMU's pages (also for security managers): the backlog dashboard and the forecast,
 * the queue, the IRMM agenda and meeting record, the authorisations due for review, and Plan
 * staffing (the policy simulator). Each
 * calls the same service as the API, for the user's active establishment.
 */
export function headRoutes(services: WebServices): Router {
  const router = Router();
  router.use(backlogRoutes(services));
  router.use(flagDecisionRoutes(services));
  router.use(irmmRoutes(services));
  router.use(planStaffingRoutes(services));
  return router;
}
