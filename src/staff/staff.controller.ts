import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '../common/auth-user';
import { CurrentUser, Roles } from '../common/auth-decorators';
import { UsernamePipe } from '../common/params';
import { PutStaffDto, StaffQuery } from './staff.dto';
import { StaffService } from './staff.service';

@ApiTags('reference data')
@ApiBearerAuth()
@Controller('staff')
export class StaffController {
  constructor(private readonly staff: StaffService) {}

  @ApiOperation({ summary: 'Create or change a staff account' })
  @Put(':username')
  @Roles('ADMIN')
  put(
    @CurrentUser() user: AuthUser,
    @Param('username', UsernamePipe) username: string,
    @Body() body: PutStaffDto,
  ) {
    return this.staff.put(user, username, body);
  }

  /** Who works where, with what training: for those who run staffing and accounts. */
  @ApiOperation({ summary: 'List staff' })
  @Get()
  @Roles('ADMIN', 'HEAD_OF_OMU', 'SECURITY_MANAGER')
  list(@CurrentUser() user: AuthUser, @Query() query: StaffQuery) {
    return this.staff.list(user, query);
  }
}
