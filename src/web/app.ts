import type { NestExpressApplication } from '@nestjs/platform-express';
import express, { type Express, type RequestHandler } from 'express';
import { noStore } from '../common/http-setup';
import { notificationSettingsRoutes } from './account/notification-settings.routes';
import { staffRoutes } from './admin/staff.routes';
import { trainingsRoutes } from './admin/trainings.routes';
import { authRoutes } from './auth.routes';
import { requireSignIn } from './guards';
import { headRoutes } from './head';
import { homeRoutes } from './home.routes';
import { infoRoutes } from './info.routes';
import { keepLogWhenSessionEnded, listenerRoutes } from './listener';
import { pomRoutes } from './pom';
import { securityRoutes } from './security';
import { webServices } from './services';
import { setUpCsrf } from './setup/csrf';
import { setUpNunjucks } from './setup/nunjucks';
import { setUpWebSecurityHeaders } from './setup/security-headers';
import { setUpSaveSessionBeforeRedirect, webSecret } from './setup/session';
import { setUpNeedsMe } from './setup/needs-me';
import { setUpPageLocals, setUpSignedInUser } from './setup/signed-in-user';
import { setUpStaticAssets } from './setup/static-assets';
import { notFound, webErrorHandler } from './web-errors';

export { setUpWebSession } from './setup/session';

/** Paths the JSON API answers (bearer tokens, JSON errors): the web middleware never touches them. */
const API_PATH = /^\/(api|health)(\/|$)/;

/**
 * The web workbench at `/`: helmet with a per-request CSP nonce, govuk-frontend's assets, sessions
 * in PostgreSQL, CSRF on every form, Nunjucks pages and GOV.UK error pages, never cached. Everything
 * under `/api` and `/health` passes straight through to the API pipeline. The services are looked
 * up once and handed to each journey's routes.
 */
export function setUpWeb(app: NestExpressApplication, webSession: RequestHandler): void {
  const services = webServices(app);
  const express_: Express = app.getHttpAdapter().getInstance();
  setUpNunjucks(express_);
  const router = express.Router();
  router.use(setUpWebSecurityHeaders());
  router.use(setUpStaticAssets());
  // Pages for a signed-in user must not be kept by a browser or a proxy (assets above may be).
  router.use(noStore);
  router.use(webSession);
  router.use(setUpSaveSessionBeforeRedirect());
  router.use(setUpSignedInUser(services));
  router.use(keepLogWhenSessionEnded(services));
  router.use(...setUpCsrf(webSecret(services.config, 'web-csrf')));
  router.use(setUpPageLocals());
  router.use(setUpNeedsMe(services));
  router.use(authRoutes(services));
  router.use(infoRoutes());
  router.use(requireSignIn);
  router.use(homeRoutes());
  router.use(listenerRoutes(services));
  router.use(pomRoutes(services));
  // Before security's: `/authorisations/reviews` is the head's, not an authorisation's id.
  router.use(headRoutes(services));
  router.use(securityRoutes(services));
  router.use(staffRoutes(services));
  router.use(trainingsRoutes(services));
  router.use(notificationSettingsRoutes(services));
  router.use(notFound);
  router.use(webErrorHandler(services.audit));
  app.use(((req, res, next) => {
    if (API_PATH.test(req.path)) next();
    else router(req, res, next);
  }) as RequestHandler);
}
