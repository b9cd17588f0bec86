import { Module } from '@nestjs/common';
import { RiskFlagsController } from './risk-flags.controller';
import { FlagDecisionsRepository } from './flag-decisions.repository';
import { RiskFlagsRepository } from './risk-flags.repository';
import { ListeningCoverRepository } from './listening-cover.repository';
import { RiskFlagsService } from './risk-flags.service';
import { AuditModule } from '../audit/audit.module';
import { EstablishmentsModule } from '../establishments/establishments.module';
import { MonitoringModule } from '../monitoring/monitoring.module';
import { PatternsModule } from '../patterns/patterns.module';
import { PrisonersModule } from '../prisoners/prisoners.module';

/** Risk flags for heads of offender management: computed daily (worker) and on demand (api). */
@Module({
  imports: [AuditModule, EstablishmentsModule, MonitoringModule, PatternsModule, PrisonersModule],
  controllers: [RiskFlagsController],
  providers: [
    RiskFlagsRepository,
    FlagDecisionsRepository,
    ListeningCoverRepository,
    RiskFlagsService,
  ],
  exports: [RiskFlagsService],
})
export class RiskFlagsModule {}
