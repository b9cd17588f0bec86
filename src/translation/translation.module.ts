import { Global, Module } from '@nestjs/common';
import { TranslationController } from './translation.controller';
import { TranslationRepository } from './translation.repository';
import { TranslationService } from './translation.service';

/**
 * Translation: requests for calls in a language no listener speaks, sent to an interpreting
 * service and completed with a translator and an English summary; the call then joins the queue
 * with its original due time. Backlog figures for translation.
 */
@Global()
@Module({
  controllers: [TranslationController],
  providers: [TranslationRepository, TranslationService],
  exports: [TranslationRepository, TranslationService],
})
export class TranslationModule {}
