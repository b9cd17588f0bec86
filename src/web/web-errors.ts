import { Logger } from '@nestjs/common';
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import { auditAccessRefusal } from '../audit/access-refusals';
import type { AuditService } from '../audit/audit.service';
import { classifyError } from '../common/error-classes';
import { DomainError, ServiceUnavailable } from '../common/errors';
import { requestContext } from '../common/request-context';
import { isCsrfRefusal } from './setup/csrf';
import { safeReturnPath } from './guards';

const logger = new Logger('WebErrors');

/** GOV.UK "Page not found" for any web path nothing answered. */
export const notFound: RequestHandler = (_req, res) => {
  res.status(404).render('pages/not-found');
};

/**
 * Errors of the web pages as GOV.UK pages, never a stack: a domain refusal shows its own message
 * (written for people), anything else the generic "Sorry, there is a problem" with the correlation
 * id, the error itself going to the log.
 */
export const webErrorHandler =
  (audit: AuditService): ErrorRequestHandler =>
  (err: unknown, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    // A request for another establishment's record is audited before the page goes out.
    void auditAccessRefusal(audit, req.session?.user, err, req).then(() =>
      renderError(err, req, res),
    );
  };

function renderError(err: unknown, req: Request, res: Response): void {
  if (isCsrfRefusal(err)) {
    renderCsrfRefusal(req, res);
    return;
  }
  const { status, message, retryAfterSeconds } = classOf(err);
  const correlationId = requestContext.current()?.correlationId ?? null;
  if (status === 503) {
    logger.warn({ err, path: req.originalUrl, correlationId }, 'A web page answered 503');
  } else if (status >= 500) {
    logger.error({ err, path: req.originalUrl, correlationId }, 'Unhandled error in a web page');
  }
  if (req.session && typeof req.csrfToken === 'function' && !res.locals.csrfToken) {
    res.locals.csrfToken = req.csrfToken();
  }
  res.status(status);
  if (retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(retryAfterSeconds));
  const [view, locals] =
    status === 404
      ? ['pages/not-found', {}]
      : status === 403
        ? // A refused action (a form sent) is not a page the user may not see.
          ['pages/forbidden', { message, action: req.method !== 'GET' && req.method !== 'HEAD' }]
        : status < 500 && message !== undefined
          ? ['pages/problem', { message }]
          : ['pages/error', { correlationId }];
  send(res, view, locals);
}

/** Renders an error page; if even that fails, a bare page: never Express's default (it shows stacks). */
function send(res: Response, view: string, locals: object): void {
  res.render(view, locals, (renderErr: Error | null, html?: string) => {
    if (renderErr) {
      const correlationId = requestContext.current()?.correlationId ?? null;
      logger.error({ err: renderErr, correlationId }, 'The error page failed to render');
      res.type('html').send(FALLBACK_PAGE);
      return;
    }
    res.send(html);
  });
}

/**
 * A refused CSRF token, in words for what happened (never "you do not have permission"): signed
 * in, the form was older than the session (opened before signing in again, or in a session since
 * ended): nothing was done, go back and try again. Not signed in, the session has ended (expired,
 * or signed out in another window): sign in again, and come back to the page the form was on. On
 * the sign-in form itself the page was out of date: it is shown again, fresh. Still 403: nothing
 * the form asked for was done.
 */
function renderCsrfRefusal(req: Request, res: Response): void {
  res.status(403);
  const from = sameSitePath(req);
  if (req.session?.user) {
    send(res, 'pages/form-out-of-date', { backTo: from ?? '/' });
    return;
  }
  if (req.path === '/sign-in') {
    const body = (req.body ?? {}) as Record<string, unknown>;
    send(res, 'pages/sign-in', {
      errors: [{ text: 'The sign-in page was out of date. Sign in again', href: '#username' }],
      returnTo: safeReturnPath(body.returnTo),
      values: { username: typeof body.username === 'string' ? body.username.trim() : '' },
    });
    return;
  }
  const returnTo = from && !from.startsWith('/sign-in') ? from : '/';
  send(res, 'pages/session-ended', {
    signInHref: `/sign-in?returnTo=${encodeURIComponent(returnTo)}`,
  });
}

/** The path of the page the form was sent from (its Referer), if it is one of this site's. */
function sameSitePath(req: Request): string | undefined {
  const referer = req.get('referer');
  if (!referer) return undefined;
  try {
    const url = new URL(referer);
    // Only a path is taken, so the host alone is compared (not the port: proxies rewrite it).
    if (url.hostname !== req.hostname) return undefined;
    return safeReturnPath(url.pathname + url.search, '') || undefined;
  } catch {
    return undefined;
  }
}

const FALLBACK_PAGE =
  '<!DOCTYPE html><html lang="en"><head><title>Sorry, there is a problem with the service</title></head>' +
  '<body><h1>Sorry, there is a problem with the service</h1><p>Try again later.</p></body></html>';

/**
 * The status and, for people, the message of an error: a domain refusal's own words, the shared
 * classes of foreign errors (error-classes.ts: the API answers from the same table) and http-errors'
 * (CSRF refusals) status; anything else is ours.
 */
function classOf(err: unknown): { status: number; message?: string; retryAfterSeconds?: number } {
  if (err instanceof ServiceUnavailable) {
    return { status: 503, message: err.message, retryAfterSeconds: err.retryAfterSeconds };
  }
  if (err instanceof DomainError) return { status: err.status, message: err.message };
  const known = classifyError(err);
  if (known) {
    return known.status >= 500
      ? { status: known.status, retryAfterSeconds: known.retryAfterSeconds }
      : { status: known.status, message: known.message };
  }
  const status = (err as { status?: unknown } | null)?.status;
  if (typeof status === 'number' && status >= 400 && status < 500) return { status };
  return { status: 500 };
}
