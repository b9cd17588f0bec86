import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { text } from 'express';
import { TranscriptsController } from './transcripts.controller';
import { TranscriptsRepository } from './transcripts.repository';
import { TranscriptsService } from './transcripts.service';
import { AuditModule } from '../audit/audit.module';

/** Transcripts: storing them, keyword spotting (src/transcripts/keyword-spotting.ts), highlights. */
@Module({
  imports: [AuditModule],
  controllers: [TranscriptsController],
  providers: [TranscriptsRepository, TranscriptsService],
  exports: [TranscriptsService],
})
export class TranscriptsModule implements NestModule {
  /** A transcript may be sent as plain text (the api parses only JSON bodies elsewhere). */
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(text({ type: 'text/plain', limit: '1mb' }))
      .forRoutes({ path: 'calls/:id/transcript', method: RequestMethod.PUT });
  }
}
