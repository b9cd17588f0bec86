import { Module } from '@nestjs/common';
import { BacklogRepository } from './backlog.repository';
import { OversightController } from './oversight.controller';
import { OversightService } from './oversight.service';
import { AuditModule } from '../audit/audit.module';
import { EstablishmentsModule } from '../establishments/establishments.module';

@Module({
  imports: [AuditModule, EstablishmentsModule],
  controllers: [OversightController],
  providers: [BacklogRepository, OversightService],
  exports: [OversightService],
})
export class OversightModule {}
