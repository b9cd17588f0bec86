import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { EstablishmentsModule } from '../establishments/establishments.module';
import { MonitoringModule } from '../monitoring/monitoring.module';
import { PrisonersModule } from '../prisoners/prisoners.module';
import { DecisionsController } from './decisions.controller';
import { DecisionsRepository } from './decisions.repository';
import { DecisionsService } from './decisions.service';

/**
 * Monitoring decisions on arrival. Nothing below imports it: prisoners and patterns tell it through
 * DomainEvents (src/common), so the module graph keeps no cycle.
 */
@Module({
  imports: [AuditModule, EstablishmentsModule, MonitoringModule, PrisonersModule],
  controllers: [DecisionsController],
  providers: [DecisionsRepository, DecisionsService],
  exports: [DecisionsService],
})
export class DecisionsModule {}
