import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '../common/auth-user';
import { CurrentUser, Roles } from '../common/auth-decorators';
import { PrisonNumberPipe } from '../common/params';
import { MailItemsQuery, RecordMailItemDto } from './mail.dto';
import { MailService } from './mail.service';

const STAFF_ROLES = ['LISTENER', 'POM', 'HEAD_OF_OMU', 'SECURITY_MANAGER', 'ADMIN'] as const;

@ApiTags('mail')
@ApiBearerAuth()
@Controller('prisoners/:prisonNumber/mail-items')
export class MailController {
  constructor(private readonly mail: MailService) {}

  /** The mail room records an intercepted item; it is triaged at once (queued, not monitored or privileged). */
  @ApiOperation({ summary: 'Record an intercepted mail item (triaged at once)' })
  @Post()
  @Roles('SECURITY_MANAGER', 'ADMIN')
  record(
    @CurrentUser() user: AuthUser,
    @Param('prisonNumber', PrisonNumberPipe) prisonNumber: string,
    @Body() body: RecordMailItemDto,
  ) {
    return this.mail.record(user, prisonNumber, body);
  }

  @ApiOperation({ summary: "A prisoner's intercepted mail" })
  @Get()
  @Roles(...STAFF_ROLES)
  list(
    @CurrentUser() user: AuthUser,
    @Param('prisonNumber', PrisonNumberPipe) prisonNumber: string,
    @Query() query: MailItemsQuery,
  ) {
    return this.mail.list(user, prisonNumber, query);
  }
}
