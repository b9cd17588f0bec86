import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { OpenAPIObject } from '@nestjs/swagger';
import { AppModule } from '../app.module';
import { API_PREFIX, API_PREFIX_OPTIONS } from '../main';
import { buildOpenApiDocument } from './document';

/** The document of the application module, without starting it (no database or Redis needed). */
export async function previewDocument(): Promise<OpenAPIObject> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule, {
    preview: true,
    logger: false,
    abortOnError: false,
  });
  app.setGlobalPrefix(API_PREFIX, API_PREFIX_OPTIONS);
  try {
    return buildOpenApiDocument(app);
  } finally {
    await app.close();
  }
}
