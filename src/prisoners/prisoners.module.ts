import { Module } from '@nestjs/common';
import { PrisonerProfileService } from './prisoner-profile.service';
import { PrisonersController } from './prisoners.controller';
import { PrisonersRepository } from './prisoners.repository';
import { PrisonersService } from './prisoners.service';
import { AuditModule } from '../audit/audit.module';
import { EstablishmentsModule } from '../establishments/establishments.module';
import { StaffModule } from '../staff/staff.module';

@Module({
  imports: [AuditModule, EstablishmentsModule, StaffModule],
  controllers: [PrisonersController],
  providers: [PrisonersRepository, PrisonersService, PrisonerProfileService],
  exports: [PrisonersService, PrisonerProfileService],
})
export class PrisonersModule {}
