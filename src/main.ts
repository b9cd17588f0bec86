import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { auditAccessRefusals } from './audit/access-refusals';
import { AuditService } from './audit/audit.service';
import { configureHttpApp } from './common/http-setup';
import { AppConfig, ConfigError, loadConfig } from './config/app-config';
import { buildOpenApiDocument } from './openapi/document';
import { requireSignInForApiDocs } from './web/setup/api-docs-access';
import { setUpWeb, setUpWebSession } from './web/app';

export const API_PREFIX = 'api';
export const API_PREFIX_OPTIONS = { exclude: ['health'] };

/** Builds the api application (also used by the HTTP tests, so they run the real pipeline). */
export async function createApiApp(): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.setGlobalPrefix(API_PREFIX, API_PREFIX_OPTIONS);
  configureHttpApp(app, auditAccessRefusals(app.get(AuditService)));
  const document = buildOpenApiDocument(app);
  const webSession = setUpWebSession(app);
  app.use(requireSignInForApiDocs(app, webSession));
  SwaggerModule.setup('api/docs', app, document);
  setUpWeb(app, webSession);
  return app;
}

async function bootstrap(): Promise<void> {
  loadConfig(); // fail fast, with every bad setting named, before anything connects
  const app = await createApiApp();
  await app.listen(app.get(AppConfig).PORT);
}

if (require.main === module) {
  bootstrap().catch((err: unknown) => {
    console.error(err instanceof ConfigError ? err.message : err);
    process.exit(1);
  });
}
