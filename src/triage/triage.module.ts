import { Module } from '@nestjs/common';
import { CallStatistics } from './call-statistics';
import { TriageRepository } from './triage.repository';
import { TriageService } from './triage.service';
import { AuditModule } from '../audit/audit.module';

@Module({
  imports: [AuditModule],
  providers: [TriageRepository, TriageService, CallStatistics],
  exports: [TriageService, CallStatistics],
})
export class TriageModule {}
