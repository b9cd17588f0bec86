import { Module } from '@nestjs/common';
import { CaseloadRepository } from './caseload.repository';
import { CaseloadService } from './caseload.service';
import { EscalationsController } from './escalations.controller';
import { EscalationsRepository } from './escalations.repository';
import { EscalationsService } from './escalations.service';
import { IrmmRepository } from './irmm.repository';
import { IrmmService } from './irmm.service';
import { MappaReferralService } from './mappa-referral.service';
import { MappaReviewService } from './mappa-review.service';
import { AuditModule } from '../audit/audit.module';
import { EstablishmentsModule } from '../establishments/establishments.module';
import { LogsModule } from '../logs/logs.module';
import { MonitoringModule } from '../monitoring/monitoring.module';
import { PrisonersModule } from '../prisoners/prisoners.module';

@Module({
  imports: [AuditModule, EstablishmentsModule, LogsModule, MonitoringModule, PrisonersModule],
  controllers: [EscalationsController],
  providers: [
    EscalationsRepository,
    EscalationsService,
    IrmmRepository,
    IrmmService,
    CaseloadRepository,
    CaseloadService,
    MappaReferralService,
    MappaReviewService,
  ],
  exports: [EscalationsService],
})
export class EscalationsModule {}
