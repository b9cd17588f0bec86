import { Module } from '@nestjs/common';
import { PatternsController } from './patterns.controller';
import { PatternsRepository } from './patterns.repository';
import { PatternsService } from './patterns.service';
import { AuditModule } from '../audit/audit.module';
import { EstablishmentsModule } from '../establishments/establishments.module';

/** Call-pattern alerts: detected by the worker after each triaged batch, reviewed in the api. */
@Module({
  imports: [AuditModule, EstablishmentsModule],
  controllers: [PatternsController],
  providers: [PatternsRepository, PatternsService],
  exports: [PatternsService],
})
export class PatternsModule {}
