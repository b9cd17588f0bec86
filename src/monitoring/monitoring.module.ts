import { Module } from '@nestjs/common';
import { MonitoringController } from './monitoring.controller';
import { MonitoringRepository } from './monitoring.repository';
import { MonitoringService } from './monitoring.service';
import { AuditModule } from '../audit/audit.module';
import { EstablishmentsModule } from '../establishments/establishments.module';
import { PrisonersModule } from '../prisoners/prisoners.module';

@Module({
  imports: [AuditModule, EstablishmentsModule, PrisonersModule],
  controllers: [MonitoringController],
  providers: [MonitoringRepository, MonitoringService],
  exports: [MonitoringService],
})
export class MonitoringModule {}
