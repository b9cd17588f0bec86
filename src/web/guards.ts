import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { hasRole } from '../common/auth-user';
import { Role } from '../common/vocabulary';

/** Express handler from an async function: a rejection goes to the web error handler. */
export function handle(
  fn: (req: Request, res: Response, next: NextFunction) => Promise<unknown>,
): RequestHandler {
  return (req, res, next) => {
    fn(req, res, next).catch(next);
  };
}

/** A promise of an express-session call that takes a callback (save, regenerate, destroy). */
export const promisify = (fn: (cb: (err?: Error | null) => void) => void) =>
  new Promise<void>((resolve, reject) => fn((err) => (err ? reject(err) : resolve())));

/** Every page but sign-in needs a signed-in user; others are sent to sign in, then back. */
export const requireSignIn: RequestHandler = (req, res, next) => {
  if (req.session.user) {
    next();
    return;
  }
  const returnTo = req.method === 'GET' ? `?returnTo=${encodeURIComponent(req.originalUrl)}` : '';
  res.redirect(`/sign-in${returnTo}`);
};

/** The GOV.UK "you do not have permission" page for a role that may not see the page. */
export function requireRole(...roles: Role[]): RequestHandler {
  return (req, res, next) => {
    const user = req.session.user;
    if (user && hasRole(user, ...roles)) {
      next();
      return;
    }
    res.status(403).render('pages/forbidden');
  };
}

/** A local path to return to after sign-in or a switch (never another site). */
export function safeReturnPath(value: unknown, fallback = '/'): string {
  return typeof value === 'string' && /^\/(?![/\\])/.test(value) ? value : fallback;
}
