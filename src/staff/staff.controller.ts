import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/decorators';
import { UsernamePipe } from '../common/params';
import { PutStaffDto, StaffQuery } from './staff.dto';
import { StaffService } from './staff.service';

@ApiTags('reference data')
@ApiBearerAuth()
@Controller('staff')
export class StaffController {
  constructor(private readonly staff: StaffService) {}

  @Put(':username')
  @Roles('ADMIN')
  put(
    @CurrentUser() user: AuthUser,
    @Param('username', UsernamePipe) username: string,
    @Body() body: PutStaffDto,
  ) {
    return this.staff.put(user, username, body);
  }

  @Get()
  list(@CurrentUser() user: AuthUser, @Query() query: StaffQuery) {
    return this.staff.list(user, query);
  }
}
