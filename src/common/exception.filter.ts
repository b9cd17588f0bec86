import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import type { Request, Response } from 'express';
import { QueryFailedError } from 'typeorm';
import { auditAccessRefusal } from '../audit/access-refusals';
import type { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../auth/auth-user';
import { DomainError, FieldError, OutOfScope } from './errors';
import { requestContext } from './request-context';

interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details: FieldError[];
  correlationId: string | null;
}

/** Postgres error codes that are the caller's fault, not ours. */
const PG_CLIENT_ERRORS: Record<string, number> = {
  '23505': HttpStatus.CONFLICT, // unique_violation
  '23503': HttpStatus.BAD_REQUEST, // foreign_key_violation
  '23514': HttpStatus.BAD_REQUEST, // check_violation
  '22P02': HttpStatus.BAD_REQUEST, // invalid_text_representation (e.g. a malformed uuid)
  '22007': HttpStatus.BAD_REQUEST, // invalid_datetime_format
  '22008': HttpStatus.BAD_REQUEST, // datetime_field_overflow
};

/**
 * One shape for every error the API returns; never a stack trace. A signed-in user's request for
 * another establishment's record is audited before the 403 goes out.
 */
@Catch()
export class GlobalExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  constructor(private readonly audit?: AuditService) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const res = http.getResponse<Response>();
    const req = http.getRequest<Request & { user?: AuthUser }>();
    const body = this.toBody(exception);
    if (body.statusCode >= 500) {
      this.logger.error(
        { err: exception, path: req.originalUrl, correlationId: body.correlationId },
        'Unhandled error',
      );
    }
    const send = () => {
      if (!res.headersSent) res.status(body.statusCode).json(body);
    };
    if (this.audit && exception instanceof OutOfScope) {
      void auditAccessRefusal(this.audit, req.user, exception, req).then(send);
    } else {
      send();
    }
  }

  toBody(exception: unknown): ErrorBody {
    const correlationId = requestContext.current()?.correlationId ?? null;
    const make = (statusCode: number, message: string, details: FieldError[] = []): ErrorBody => ({
      statusCode,
      error: STATUS_CODES[statusCode] ?? 'Error',
      message,
      details,
      correlationId,
    });
    if (exception instanceof DomainError) {
      return make(exception.status, exception.message, exception.details);
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
    if (exception instanceof QueryFailedError) {
      const code = (exception.driverError as { code?: string } | undefined)?.code ?? '';
      const status = PG_CLIENT_ERRORS[code];
      if (status) {
        const detail = (exception.driverError as { detail?: string }).detail;
        return make(status, detail ?? 'The request conflicts with stored data');
      }
    }
    const parserError = exception as { type?: string; status?: number; message?: string };
    if (parserError?.type === 'entity.parse.failed') {
      return make(400, 'body: is not valid JSON', [
        { field: 'body', message: 'is not valid JSON' },
      ]);
    }
    if (parserError?.type === 'entity.too.large') return make(413, 'Body is too large');
    return make(500, 'Something went wrong; the error has been logged with this correlation id');
  }
}
