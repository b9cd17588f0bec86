import { Module } from '@nestjs/common';
import { CallsController } from './calls.controller';
import { CallsRepository } from './calls.repository';
import { ReconcilerService } from './reconciler.service';
import { CallsService } from './calls.service';
import { AuditModule } from '../audit/audit.module';
import { EstablishmentsModule } from '../establishments/establishments.module';
import { LogsModule } from '../logs/logs.module';
import { PrisonersModule } from '../prisoners/prisoners.module';
import { TranscriptsModule } from '../transcripts/transcripts.module';
import { TranslationModule } from '../translation/translation.module';

@Module({
  imports: [
    AuditModule,
    EstablishmentsModule,
    LogsModule,
    PrisonersModule,
    TranscriptsModule,
    TranslationModule,
  ],
  controllers: [CallsController],
  providers: [CallsRepository, CallsService, ReconcilerService],
  exports: [CallsService, ReconcilerService],
})
export class CallsModule {}
