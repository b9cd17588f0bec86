import { Global, Module } from '@nestjs/common';
import { RetentionController } from './retention.controller';
import { RetentionRepository } from './retention.repository';
import { RetentionService } from './retention.service';

/** Retention (Prison Rule 35D): the purge sweep and the holds that keep a call beyond it. */
@Global()
@Module({
  controllers: [RetentionController],
  providers: [RetentionRepository, RetentionService],
  exports: [RetentionRepository, RetentionService],
})
export class RetentionModule {}
