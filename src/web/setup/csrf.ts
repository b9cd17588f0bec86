import cookieParser from 'cookie-parser';
import { doubleCsrf } from 'csrf-csrf';
import { csrfSync } from 'csrf-sync';
import type { Request, RequestHandler } from 'express';

/** The sign-in form's CSRF cookie (a visitor who is not signed in has no session to keep it in). */
export const SIGN_IN_CSRF_COOKIE = 'mpc.sign-in-csrf';

/**
 * Whether the error is a refused CSRF token (csrf-sync's and csrf-csrf's http-errors carry this
 * code). It is not a question of permission: the form was older than the session, or the session
 * has ended (web-errors.ts says which).
 */
export function isCsrfRefusal(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === 'EBADCSRFTOKEN';
}

/**
 * CSRF on every form, posted as `_csrf`. A signed-in user's token is a synchroniser token in their
 * session. A visitor not signed in (the sign-in form) gets a signed double-submit cookie instead, so
 * that opening the sign-in page never creates a session (a row in web_sessions for every anonymous
 * visit). The anonymous token binds to no session: it stops a foreign site from signing a browser in
 * to an account of its choosing, which is all the sign-in form needs, because a site cannot set our
 * cookie and cannot forge its HMAC.
 */
export function setUpCsrf(secret: string): RequestHandler[] {
  const signedIn = (req: Request) => Boolean(req.session?.user);
  const tokenFromBody = (req: Request) => {
    const token = (req.body as { _csrf?: unknown } | undefined)?._csrf;
    return typeof token === 'string' ? token : undefined;
  };
  const sync = csrfSync({
    getTokenFromRequest: tokenFromBody,
    skipCsrfProtection: (req) => !signedIn(req),
  });
  const anonymous = doubleCsrf({
    getSecret: () => secret,
    getSessionIdentifier: () => '',
    cookieName: SIGN_IN_CSRF_COOKIE,
    cookieOptions: { sameSite: 'strict', path: '/', httpOnly: true },
    getCsrfTokenFromRequest: tokenFromBody,
    skipCsrfProtection: signedIn,
  });
  const exposeToken: RequestHandler = (req, res, next) => {
    let token: string | undefined;
    // Made when a page renders it (once per request), so a redirect or an asset never starts a
    // session or sets a cookie. Defined before the checks, so that their refusal page has it too.
    Object.defineProperty(res.locals, 'csrfToken', {
      get: () =>
        (token ??= signedIn(req)
          ? sync.generateToken(req)
          : anonymous.generateCsrfToken(req, res, {
              cookieOptions: { secure: req.secure },
            })),
      enumerable: true,
      configurable: true,
    });
    next();
  };
  return [
    cookieParser(),
    exposeToken,
    sync.csrfSynchronisedProtection,
    anonymous.doubleCsrfProtection,
  ];
}
