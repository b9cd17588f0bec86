import type { NestExpressApplication } from '@nestjs/platform-express';
import type { RequestHandler } from 'express';
import session from 'express-session';
import { createHmac } from 'node:crypto';
import { AppConfig } from '../../config/app-config';
import { WebSessionStore } from '../web-session-store';

/**
 * Sessions in the web_sessions table (`WebSessionStore`). Made once per app: the API's
 * documentation also accepts a workbench session.
 */
export function setUpWebSession(app: NestExpressApplication): RequestHandler {
  const config = app.get(AppConfig);
  return session({
    name: 'mpc.session',
    store: app.get(WebSessionStore).store,
    secret: webSecret(config, 'web-session-cookie'),
    resave: false,
    saveUninitialized: false,
    rolling: true,
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      secure: 'auto',
      maxAge: config.WEB_SESSION_SECONDS * 1000,
    },
  });
}

/** Derived from the token secret, so the web needs no second secret to configure and rotate. */
export function webSecret(config: AppConfig, purpose: string): string {
  return createHmac('sha256', config.JWT_SECRET).update(purpose).digest('hex');
}

/**
 * express-session sends the headers before its store has saved the session, and a browser follows a
 * redirect as soon as it has the headers: the next page could read the session as it was (a claim's
 * token missing, a sign-in not yet seen). A redirect therefore waits for the save. (Seen in the
 * browser tests; supertest waits for the whole response, so the route tests could not.)
 */
export const setUpSaveSessionBeforeRedirect = (): RequestHandler => (req, res, next) => {
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
