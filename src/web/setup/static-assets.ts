import express, { type RequestHandler } from 'express';
import * as path from 'node:path';
import { GOVUK_FRONTEND_DIST, MOJ_FRONTEND_DIR, WEB_ASSETS_DIR } from '../paths';

/**
 * govuk-frontend's and MoJ Frontend's compiled CSS and JS, fonts and images, served from
 * node_modules (no CDN), and the workbench's own (src/web/assets) at /assets/app. MoJ's stylesheet
 * asks for its icons at /assets/images, beside GOV.UK's (the names do not overlap).
 */
export function setUpStaticAssets(): RequestHandler {
  const router = express.Router();
  const govuk = path.join(GOVUK_FRONTEND_DIST, 'govuk');
  const moj = path.join(MOJ_FRONTEND_DIR, 'moj');
  const options = { maxAge: '1h', index: false, redirect: false } as const;
  // Revalidated each time (ETag): a page and its script change together.
  router.use('/assets/app', express.static(WEB_ASSETS_DIR, { ...options, maxAge: 0 }));
  router.use('/assets/moj', express.static(moj, options));
  router.use('/assets', express.static(path.join(govuk, 'assets'), options));
  router.use('/assets', express.static(path.join(moj, 'assets'), options));
  router.use('/assets', express.static(govuk, options));
  return router;
}
