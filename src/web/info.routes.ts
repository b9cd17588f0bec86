import { Router } from 'express';

/**
 * The accessibility statement and the privacy notice, linked from every page's footer. Open to
 * anyone, signed in or not: a person must be able to read both before signing in.
 */
export function infoRoutes(): Router {
  const router = Router();
  router.get('/accessibility', (_req, res) => res.render('pages/accessibility'));
  router.get('/privacy', (_req, res) => res.render('pages/privacy'));
  return router;
}
