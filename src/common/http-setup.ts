import type { NestExpressApplication } from '@nestjs/platform-express';
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { classifyError } from './error-classes';
import { RequestRefused } from './errors';
import { buildValidationPipe } from './validation';
import { AccessRefusalHook, GlobalExceptionFilter } from './exception.filter';
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
 * Answers carry people's records and tokens: never kept by a browser's cache or a proxy (API.md
 * "Hardening"). Every API answer has it, and every workbench page (set by the web's router after
 * its static assets, which may be cached).
 */
export function noStore(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('Cache-Control', 'no-store');
  next();
}

/**
 * body-parser's errors as the classes of error-classes.ts say (415 for a charset, 413 for too many
 * fields, 400 naming `body` for JSON that does not parse, ...), made domain errors here: Nest would
 * turn some into a bare 400 and the rest into 500s.
 */
export function bodyParserErrors(err: unknown, _req: Request, _res: Response, next: NextFunction) {
  const known = classifyError(err);
  if (known && known.status < 500) {
    next(new RequestRefused(known.status, known.message, known.details));
    return;
  }
  next(err);
}

/**
 * Everything the api process and the HTTP tests share, so tests exercise the real pipeline.
 * `onAccessRefused` is what the error filter does with a refusal of another establishment's record
 * (the api audits it; src/common may not import src/audit).
 */
export function configureHttpApp(
  app: NestExpressApplication,
  onAccessRefused: AccessRefusalHook,
): void {
  app.use(correlationMiddleware);
  app.use(helmet());
  app.use(['/api', '/health'], noStore);
  // A batch of 5,000 calls is about 1.5 MB of JSON.
  app.useBodyParser('json', { limit: '10mb' });
  // Over 1,000 fields is body-parser's 413 (parameters.too.many); see error-classes.ts for the
  // mapping of every body-parser error to a 4xx.
  app.useBodyParser('urlencoded', { extended: false, limit: '1mb', parameterLimit: 1000 });
  app.use(bodyParserErrors);
  app.set('trust proxy', 'loopback');
  app.useGlobalPipes(buildValidationPipe());
  app.useGlobalFilters(new GlobalExceptionFilter(onAccessRefused));
  app.enableShutdownHooks();
}
