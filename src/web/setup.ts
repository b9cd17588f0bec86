import type { NestExpressApplication } from '@nestjs/platform-express';
import connectPgSimple from 'connect-pg-simple';
import { csrfSync } from 'csrf-sync';
import express, { type Express, type RequestHandler, type Response } from 'express';
import session from 'express-session';
import helmet from 'helmet';
import { createHmac, randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import * as path from 'node:path';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { AuditService } from '../audit/audit.service';
import { AppConfig } from '../config/app-config';
import { authRoutes } from './auth.routes';
import { requireSignIn } from './guards';
import { headRoutes } from './head.routes';
import { listenerRoutes } from './listener.routes';
import { navigationFor } from './navigation';
import { pomRoutes } from './pom.routes';
import { securityRoutes } from './security.routes';
import { setUpNunjucks } from './nunjucks-setup';
import { GOVUK_FRONTEND_DIST } from './paths';
import { notFound, webErrorHandler } from './web-errors';

const SESSION_HOURS = 8;

/** Paths the JSON API answers (bearer tokens, JSON errors): the web middleware never touches them. */
const API_PATH = /^\/(api|health)(\/|$)/;

/**
 * The web workbench at `/`: helmet with a per-request CSP nonce, govuk-frontend's assets, sessions
 * in PostgreSQL, CSRF on every form, Nunjucks pages and GOV.UK error pages. Everything under `/api`
 * and `/health` passes straight through to the API pipeline.
 */
export function setUpWeb(app: NestExpressApplication): void {
  const express_: Express = app.getHttpAdapter().getInstance();
  setUpNunjucks(express_);
  const router = express.Router();
  router.use(setUpWebSecurityHeaders());
  router.use(setUpStaticAssets());
  router.use(setUpWebSession(app));
  router.use(saveSessionBeforeRedirect);
  router.use(...setUpCsrf());
  router.use(pageLocals);
  router.use(authRoutes(app));
  router.use(requireSignIn);
  router.use(listenerRoutes(app));
  router.use(pomRoutes(app));
  router.use(headRoutes(app));
  router.use(securityRoutes(app));
  router.use(notFound);
  router.use(webErrorHandler(app.get(AuditService)));
  app.use(((req, res, next) => {
    if (API_PATH.test(req.path)) next();
    else router(req, res, next);
  }) as RequestHandler);
}

/** helmet again for pages (replacing the API's headers): scripts only from us or with this nonce. */
function setUpWebSecurityHeaders(): RequestHandler[] {
  return [
    (_req, res, next) => {
      res.locals.cspNonce = randomBytes(16).toString('base64');
      next();
    },
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: [
            "'self'",
            (_req, res) =>
              `'nonce-${(res as ServerResponse & Pick<Response, 'locals'>).locals.cspNonce as string}'`,
          ],
          styleSrc: ["'self'"],
          fontSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          mediaSrc: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
      referrerPolicy: { policy: 'same-origin' },
    }),
  ];
}

/** govuk-frontend's compiled CSS and JS, fonts and images, served from node_modules (no CDN). */
function setUpStaticAssets(): RequestHandler {
  const router = express.Router();
  const govuk = path.join(GOVUK_FRONTEND_DIST, 'govuk');
  const options = { maxAge: '1h', index: false, redirect: false } as const;
  router.use('/assets', express.static(path.join(govuk, 'assets'), options));
  router.use('/assets', express.static(govuk, options));
  return router;
}

/** Sessions in the web_sessions table (see the WebSessions migration), on the api's own pool. */
function setUpWebSession(app: NestExpressApplication): RequestHandler {
  const config = app.get(AppConfig);
  const db = app.get(DataSource);
  const PgStore = connectPgSimple(session);
  const store = new PgStore({
    pool: (db.driver as PostgresDriver).master as Pool,
    tableName: 'web_sessions',
    createTableIfMissing: false,
  });
  return session({
    name: 'mpc.session',
    store,
    // Derived from the token secret, so the web needs no second secret to configure and rotate.
    secret: createHmac('sha256', config.JWT_SECRET).update('web-session-cookie').digest('hex'),
    resave: false,
    saveUninitialized: false,
    rolling: true,
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      secure: 'auto',
      maxAge: SESSION_HOURS * 3_600_000,
    },
  });
}

/**
 * express-session sends the headers before its store has saved the session, and a browser follows a
 * redirect as soon as it has the headers: the next page could read the session as it was (a claim's
 * token missing, a sign-in not yet seen). A redirect therefore waits for the save. (Seen in the
 * browser tests; supertest waits for the whole response, so the route tests could not.)
 */
const saveSessionBeforeRedirect: RequestHandler = (req, res, next) => {
  const redirect = res.redirect.bind(res) as (...args: unknown[]) => void;
  res.redirect = (...args: unknown[]) => {
    const send = () => redirect(...args);
    // An empty session (a visitor not signed in) is not stored, as express-session would not.
    const holdsSomething = req.session && Object.keys(req.session).some((k) => k !== 'cookie');
    if (!holdsSomething) return send();
    req.session.save((err) => (err ? next(err) : send()));
  };
  next();
};

/** Synchroniser token in the session; every POST must carry it as `_csrf`. */
function setUpCsrf(): RequestHandler[] {
  const { csrfSynchronisedProtection, generateToken } = csrfSync({
    getTokenFromRequest: (req) => {
      const token = (req.body as { _csrf?: unknown } | undefined)?._csrf;
      return typeof token === 'string' ? token : undefined;
    },
  });
  return [
    csrfSynchronisedProtection,
    (req, res, next) => {
      // Made when a page renders it, so a redirect or an asset never starts a session.
      Object.defineProperty(res.locals, 'csrfToken', {
        get: () => generateToken(req),
        enumerable: true,
        configurable: true,
      });
      next();
    },
  ];
}

/** What the layout shows on every page: the user, their establishment, a one-off message. */
const pageLocals: RequestHandler = (req, res, next) => {
  const user = req.session.user;
  res.locals.currentPath = req.originalUrl;
  if (user) {
    res.locals.user = user;
    res.locals.activeEstablishmentName = user.activeEstablishment
      ? (user.establishmentNames[user.activeEstablishment] ?? user.activeEstablishment)
      : null;
    res.locals.isListener = user.roles.includes('LISTENER');
    res.locals.navigation = navigationFor(user, req.path);
  }
  if (req.session.flash) {
    res.locals.flash = req.session.flash;
    delete req.session.flash;
  }
  next();
};
