import { Module } from '@nestjs/common';
import { StaffAccessCache } from './staff-access';
import { StaffController } from './staff.controller';
import { StaffRepository } from './staff.repository';
import { StaffService } from './staff.service';
import { AuditModule } from '../audit/audit.module';
import { EstablishmentsModule } from '../establishments/establishments.module';

@Module({
  imports: [AuditModule, EstablishmentsModule],
  controllers: [StaffController],
  // The access cache sits beside the rows it caches, so that a change here (in the api or a worker)
  // can forget what it replaced.
  providers: [StaffRepository, StaffService, StaffAccessCache],
  exports: [StaffService, StaffAccessCache],
})
export class StaffModule {}
