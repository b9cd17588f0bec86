import { Module } from '@nestjs/common';
import { TranslationController } from './translation.controller';
import { TranslationRepository } from './translation.repository';
import { TranslationService } from './translation.service';
import { AuditModule } from '../audit/audit.module';
import { EstablishmentsModule } from '../establishments/establishments.module';

/**
 * Translation: requests for calls in a language no listener speaks, sent to an interpreting
 * service and completed with a translator and an English summary; the call then joins the queue
 * with its original due time. Backlog figures for translation.
 */
@Module({
  imports: [AuditModule, EstablishmentsModule],
  controllers: [TranslationController],
  providers: [TranslationRepository, TranslationService],
  exports: [TranslationService],
})
export class TranslationModule {}
