import { Global, Module } from '@nestjs/common';
import { CaseloadService } from './caseload.service';
import { EscalationsController } from './escalations.controller';
import { EscalationsRepository } from './escalations.repository';
import { EscalationsService } from './escalations.service';
import { IrmmService } from './irmm.service';
import { MappaReferralService } from './mappa-referral.service';

@Global()
@Module({
  controllers: [EscalationsController],
  providers: [
    EscalationsRepository,
    EscalationsService,
    IrmmService,
    CaseloadService,
    MappaReferralService,
  ],
  exports: [EscalationsRepository, EscalationsService],
})
export class EscalationsModule {}
