import { Module } from '@nestjs/common';
import { RetentionController } from './retention.controller';
import { RetentionRepository } from './retention.repository';
import { RetentionService } from './retention.service';
import { AuditModule } from '../audit/audit.module';
import { EstablishmentsModule } from '../establishments/establishments.module';

/** Retention (Prison Rule 35D): the purge sweep and the holds that keep a call beyond it. */
@Module({
  imports: [AuditModule, EstablishmentsModule],
  controllers: [RetentionController],
  providers: [RetentionRepository, RetentionService],
  exports: [RetentionService],
})
export class RetentionModule {}
