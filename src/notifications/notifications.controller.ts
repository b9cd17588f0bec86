import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '../common/auth-user';
import { CurrentUser, Roles } from '../common/auth-decorators';
import { EstablishmentCodePipe } from '../common/params';
import { DutyRotaQuery, NotificationQuery, PutDutyRotaDto } from './notifications.dto';
import { NotificationsService } from './notifications.service';

@ApiTags('notifications')
@ApiBearerAuth()
@Controller()
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @ApiOperation({
    summary: 'The notifications emailed (or owed) at your establishments, newest first',
  })
  @Get('notifications')
  @Roles('ADMIN', 'SECURITY_MANAGER')
  list(@CurrentUser() user: AuthUser, @Query() q: NotificationQuery) {
    return this.notifications.list(user, q);
  }

  @ApiOperation({ summary: "The establishment's duty security rota, and who is on duty at `at`" })
  @Get('establishments/:code/duty-rota')
  @Roles('ADMIN', 'SECURITY_MANAGER', 'HEAD_OF_OMU')
  dutyRota(
    @CurrentUser() user: AuthUser,
    @Param('code', EstablishmentCodePipe) code: string,
    @Query() q: DutyRotaQuery,
  ) {
    return this.notifications.dutyRota(user, code, q);
  }

  @ApiOperation({ summary: "Replace the establishment's duty security rota" })
  @Put('establishments/:code/duty-rota')
  @Roles('ADMIN', 'SECURITY_MANAGER')
  putDutyRota(
    @CurrentUser() user: AuthUser,
    @Param('code', EstablishmentCodePipe) code: string,
    @Body() body: PutDutyRotaDto,
  ) {
    return this.notifications.putDutyRota(user, code, body);
  }
}
