import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { configureHttpApp } from './common/http-setup';
import { AppConfig, ConfigError, loadConfig } from './config/app-config';
import { setUpWeb } from './web/setup';

/** Builds the api application (also used by the HTTP tests, so they run the real pipeline). */
export async function createApiApp(): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.setGlobalPrefix('api', { exclude: ['health'] });
  configureHttpApp(app);
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Monitor prisoner communications')
      .setDescription(
        'Listening queue, structured monitoring logs and escalations for monitored prisoner calls',
      )
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document);
  setUpWeb(app);
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
