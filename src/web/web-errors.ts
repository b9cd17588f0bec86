import { Logger } from '@nestjs/common';
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import { auditAccessRefusal } from '../audit/access-refusals';
import type { AuditService } from '../audit/audit.service';
import { DomainError } from '../common/errors';
import { requestContext } from '../common/request-context';

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
  const status = statusOf(err);
  const correlationId = requestContext.current()?.correlationId ?? null;
  if (status >= 500) {
    logger.error({ err, path: req.originalUrl, correlationId }, 'Unhandled error in a web page');
  }
  if (req.session && typeof req.csrfToken === 'function' && !res.locals.csrfToken) {
    res.locals.csrfToken = req.csrfToken();
  }
  res.status(status);
  const [view, locals] =
    status === 404
      ? ['pages/not-found', {}]
      : status === 403
        ? ['pages/forbidden', { message: err instanceof DomainError ? err.message : undefined }]
        : status < 500 && err instanceof DomainError
          ? ['pages/problem', { message: err.message }]
          : ['pages/error', { correlationId }];
  // If even the error page fails to render, a bare page: never Express's default (it shows stacks).
  res.render(view, locals, (renderErr: Error | null, html?: string) => {
    if (renderErr) {
      logger.error({ err: renderErr, correlationId }, 'The error page failed to render');
      res.type('html').send(FALLBACK_PAGE);
      return;
    }
    res.send(html);
  });
}

const FALLBACK_PAGE =
  '<!DOCTYPE html><html lang="en"><head><title>Sorry, there is a problem with the service</title></head>' +
  '<body><h1>Sorry, there is a problem with the service</h1><p>Try again later.</p></body></html>';

function statusOf(err: unknown): number {
  if (err instanceof DomainError) return err.status;
  const status = (err as { status?: unknown; statusCode?: unknown } | null)?.status;
  // http-errors (CSRF refusals, body parsing) carry their status; anything else is ours.
  if (typeof status === 'number' && status >= 400 && status < 500) return status;
  return 500;
}
