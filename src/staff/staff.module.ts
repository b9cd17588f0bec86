import { Global, Module } from '@nestjs/common';
import { StaffController } from './staff.controller';
import { StaffRepository } from './staff.repository';
import { StaffService } from './staff.service';

@Global()
@Module({
  controllers: [StaffController],
  providers: [StaffRepository, StaffService],
  exports: [StaffRepository],
})
export class StaffModule {}
