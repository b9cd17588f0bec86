import { Module, RequestMethod } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import { stdSerializers } from 'pino';
import { AppConfig } from '../config/app-config';

/** Structured JSON logs; each request's lines carry its correlation id (reqId). */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        // nestjs-pino's default matcher is the legacy '*', which Nest 11 warns about at start-up
        // ("Unsupported route path /api/*") and converts; this is the path-to-regexp 8 spelling.
        forRoutes: [{ path: '{*splat}', method: RequestMethod.ALL }],
        pinoHttp: {
          level: config.LOG_LEVEL,
          genReqId: (req: IncomingMessage) =>
            (req as IncomingMessage & { id?: string }).id ?? 'none',
          // Our serializers get the request and response themselves: pino-http would first copy
          // every header and socket detail of each request into an object for them to pick from
          // (at each request, logged or not: the request's logger is made when it arrives).
          wrapSerializers: false,
          serializers: {
            req: (req: IncomingMessage & { id: string; originalUrl?: string }) => ({
              id: req.id,
              method: req.method,
              url: req.originalUrl ?? req.url,
            }),
            res: (res: ServerResponse) => ({ statusCode: res.statusCode }),
            err: stdSerializers.err,
          },
          customLogLevel: (_req, res, err) =>
            err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
          autoLogging: { ignore: (req) => req.url === '/health' },
        },
      }),
    }),
  ],
})
export class LoggingModule {}
