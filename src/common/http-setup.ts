import type { NestExpressApplication } from '@nestjs/platform-express';
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { AuditService } from '../audit/audit.service';
import { ValidationFailed } from './errors';
import { buildValidationPipe } from './validation';
import { GlobalExceptionFilter } from './exception.filter';
import { requestContext } from './request-context';

const CORRELATION_HEADER = 'x-correlation-id';

/** Correlation id per request (taken from the caller when it sends a sane one). */
export function correlationMiddleware(req: Request, res: Response, next: NextFunction): void {
  const incoming = req.header(CORRELATION_HEADER);
  const correlationId = incoming && /^[\w.:-]{1,100}$/.test(incoming) ? incoming : randomUUID();
  (req as Request & { id: string }).id = correlationId;
  res.setHeader(CORRELATION_HEADER, correlationId);
  requestContext.run(
    { correlationId, clientAddress: req.ip ?? req.socket.remoteAddress ?? null },
    () => next(),
  );
}

/**
 * Invalid JSON is the caller's fault and gets the usual 400 with the failing field. (Nest would turn
 * body-parser's SyntaxError into a bare BadRequestException, dropping what it was.)
 */
export function jsonParseErrors(err: unknown, _req: Request, _res: Response, next: NextFunction) {
  if ((err as { type?: unknown } | null)?.type === 'entity.parse.failed') {
    next(ValidationFailed.field('body', 'is not valid JSON'));
    return;
  }
  next(err);
}

/** Everything the api process and the HTTP tests share, so tests exercise the real pipeline. */
export function configureHttpApp(app: NestExpressApplication): void {
  app.use(correlationMiddleware);
  app.use(helmet());
  // A batch of 5,000 calls is about 1.5 MB of JSON.
  app.useBodyParser('json', { limit: '10mb' });
  app.use(jsonParseErrors);
  app.useBodyParser('urlencoded', { extended: false, limit: '1mb' });
  app.set('trust proxy', 'loopback');
  app.useGlobalPipes(buildValidationPipe());
  app.useGlobalFilters(new GlobalExceptionFilter(app.get(AuditService)));
  app.enableShutdownHooks();
}
