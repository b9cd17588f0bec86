import express, { type RequestHandler } from 'express';
import * as path from 'node:path';
import { GOVUK_FRONTEND_DIST } from '../paths';

/** govuk-frontend's compiled CSS and JS, fonts and images, served from node_modules (no CDN). */
export function setUpStaticAssets(): RequestHandler {
  const router = express.Router();
  const govuk = path.join(GOVUK_FRONTEND_DIST, 'govuk');
  const options = { maxAge: '1h', index: false, redirect: false } as const;
  router.use('/assets', express.static(path.join(govuk, 'assets'), options));
  router.use('/assets', express.static(govuk, options));
  return router;
}
