import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { EstablishmentsModule } from '../establishments/establishments.module';
import { TriageModule } from '../triage/triage.module';
import { SimulationController } from './simulation.controller';
import { SimulationRepository } from './simulation.repository';
import { SimulationService } from './simulation.service';

/** The policy simulator over HTTP (the engine itself, in this folder, needs no module). */
@Module({
  imports: [AuditModule, EstablishmentsModule, TriageModule],
  controllers: [SimulationController],
  providers: [SimulationRepository, SimulationService],
  exports: [SimulationService],
})
export class SimulationModule {}
