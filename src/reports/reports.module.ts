import { Module } from '@nestjs/common';
import { ReportsController } from './reports.controller';
import { ReportsRepository } from './reports.repository';
import { ReportsService } from './reports.service';
import { AuditModule } from '../audit/audit.module';
import { LogsModule } from '../logs/logs.module';
import { PrisonersModule } from '../prisoners/prisoners.module';

/** The monitoring summary for MAPPA (JSON, printable HTML, PDF). */
@Module({
  imports: [AuditModule, LogsModule, PrisonersModule],
  controllers: [ReportsController],
  providers: [ReportsRepository, ReportsService],
  exports: [ReportsService],
})
export class ReportsModule {}
