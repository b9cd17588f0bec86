import { Module } from '@nestjs/common';
import { DisclosuresRepository } from './disclosures.repository';
import { PreReleaseDigestController } from './digest.controller';
import { PreReleaseDigestService } from './digest.service';
import { ReportsController } from './reports.controller';
import { ReportsRepository } from './reports.repository';
import { ReportsService } from './reports.service';
import { AuditModule } from '../audit/audit.module';
import { LogsModule } from '../logs/logs.module';
import { PrisonersModule } from '../prisoners/prisoners.module';
import { StaffModule } from '../staff/staff.module';

/**
 * The monitoring summary for MAPPA (JSON, printable HTML, PDF) and the pre-release digest for the
 * COM built from it, with the register of disclosures.
 */
@Module({
  imports: [AuditModule, LogsModule, PrisonersModule, StaffModule],
  controllers: [ReportsController, PreReleaseDigestController],
  providers: [ReportsRepository, ReportsService, DisclosuresRepository, PreReleaseDigestService],
  exports: [ReportsService, PreReleaseDigestService],
})
export class ReportsModule {}
