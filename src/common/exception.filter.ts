import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import type { Request, Response } from 'express';
import type { AuthUser } from './auth-user';
import { classifyError } from './error-classes';
import { DomainError, FieldError, OutOfScope } from './errors';
import { requestContext } from './request-context';

interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details: FieldError[];
  correlationId: string | null;
}

/** The body and, for a passing overload (503), how many seconds to wait before trying again. */
export interface ErrorAnswer {
  body: ErrorBody;
  retryAfterSeconds?: number;
}

/**
 * What is done with a request refused as another establishment's record before the 403 goes out
 * (src/audit records it: auditAccessRefusals). Must not reject: the refusal is answered after it.
 */
export type AccessRefusalHook = (
  user: AuthUser | undefined,
  refusal: OutOfScope,
  req: { method: string; originalUrl: string },
) => Promise<void>;

/**
 * One shape for every error the API returns; never a stack trace. A request for another
 * establishment's record goes to `onAccessRefused` (the api audits it) before the 403 goes out.
 */
@Catch()
export class GlobalExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  constructor(private readonly onAccessRefused?: AccessRefusalHook) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const res = http.getResponse<Response>();
    const req = http.getRequest<Request & { user?: AuthUser }>();
    const { body, retryAfterSeconds } = this.toAnswer(exception);
    if (body.statusCode === 503) {
      this.logger.warn(
        { err: exception, path: req.originalUrl, correlationId: body.correlationId },
        'Overloaded or a dependency unavailable: answered 503',
      );
    } else if (body.statusCode >= 500) {
      this.logger.error(
        { err: exception, path: req.originalUrl, correlationId: body.correlationId },
        'Unhandled error',
      );
    }
    const send = () => {
      if (res.headersSent) return;
      if (retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(retryAfterSeconds));
      res.status(body.statusCode).json(body);
    };
    if (this.onAccessRefused && exception instanceof OutOfScope) {
      void this.onAccessRefused(req.user, exception, req).then(send);
    } else {
      send();
    }
  }

  toAnswer(exception: unknown): ErrorAnswer {
    const correlationId = requestContext.current()?.correlationId ?? null;
    const make = (
      statusCode: number,
      message: string,
      details: FieldError[] = [],
      retryAfterSeconds?: number,
    ): ErrorAnswer => ({
      body: {
        statusCode,
        error: STATUS_CODES[statusCode] ?? 'Error',
        message,
        details,
        correlationId,
      },
      retryAfterSeconds,
    });
    if (exception instanceof DomainError) {
      // A refusal that says when to try again (an overload's 503, a sign-in lockout's 429).
      const { retryAfterSeconds } = exception as DomainError & { retryAfterSeconds?: number };
      const answer = make(
        exception.status,
        exception.message,
        exception.details,
        retryAfterSeconds,
      );
      // What a refusal adds for the caller to act on (the calls a listener already holds).
      return { ...answer, body: { ...answer.body, ...exception.extra } };
    }
    if (exception instanceof HttpException) {
      const response = exception.getResponse();
      const inner =
        typeof response === 'string' ? response : (response as { message?: unknown }).message;
      const message = Array.isArray(inner)
        ? inner.join('; ')
        : typeof inner === 'string'
          ? inner
          : exception.message;
      return make(exception.getStatus(), message);
    }
    const known = classifyError(exception);
    if (known) return make(known.status, known.message, known.details, known.retryAfterSeconds);
    return make(500, 'Something went wrong; the error has been logged with this correlation id');
  }
}
