import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/decorators';
import { PrisonNumberPipe, UuidPipe } from '../common/params';
import { ESTABLISHMENT_CODE } from '../common/vocabulary';
import { CaseloadService } from './caseload.service';
import {
  CloseEscalationDto,
  EscalationQuery,
  ManualEscalationDto,
  RecordMeetingDto,
} from './escalations.dto';
import { EscalationsService } from './escalations.service';
import { IrmmService } from './irmm.service';
import { MappaReferralService } from './mappa-referral.service';

export class AgendaQuery {
  @Matches(ESTABLISHMENT_CODE, { message: 'establishment must be 3 capital letters' })
  establishment!: string;
}

const STAFF = ['LISTENER', 'POM', 'HEAD_OF_OMU', 'SECURITY_MANAGER'] as const;

@ApiTags('escalations')
@ApiBearerAuth()
@Controller()
export class EscalationsController {
  constructor(
    private readonly escalations: EscalationsService,
    private readonly irmm: IrmmService,
    private readonly caseload: CaseloadService,
    private readonly referral: MappaReferralService,
  ) {}

  @Get('escalations')
  @Roles(...STAFF)
  list(@CurrentUser() user: AuthUser, @Query() q: EscalationQuery) {
    return this.escalations.list(user, q);
  }

  @Get('escalations/:id')
  @Roles(...STAFF)
  get(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string) {
    return this.escalations.get(user, id);
  }

  @Post('escalations/:id/acknowledge')
  @HttpCode(200)
  @Roles('POM', 'HEAD_OF_OMU', 'SECURITY_MANAGER')
  acknowledge(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string) {
    return this.escalations.acknowledge(user, id);
  }

  @Post('escalations/:id/close')
  @HttpCode(200)
  @Roles('POM', 'HEAD_OF_OMU', 'SECURITY_MANAGER')
  close(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidPipe) id: string,
    @Body() body: CloseEscalationDto,
  ) {
    return this.escalations.close(user, id, body);
  }

  @Get('escalations/:id/mappa-referral')
  @Roles('POM', 'HEAD_OF_OMU', 'SECURITY_MANAGER')
  mappaReferral(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string) {
    return this.referral.build(user, id);
  }

  @Post('prisoners/:prisonNumber/escalations')
  @Roles(...STAFF)
  manual(
    @CurrentUser() user: AuthUser,
    @Param('prisonNumber', PrisonNumberPipe) prisonNumber: string,
    @Body() body: ManualEscalationDto,
  ) {
    return this.escalations.manual(user, prisonNumber, body);
  }

  @Get('poms/me/caseload')
  @Roles('POM')
  myCaseload(@CurrentUser() user: AuthUser) {
    return this.caseload.mine(user);
  }

  @Get('irmm/agenda')
  @Roles('HEAD_OF_OMU', 'SECURITY_MANAGER', 'POM')
  agenda(@CurrentUser() user: AuthUser, @Query() q: AgendaQuery) {
    return this.irmm.agenda(user, q.establishment);
  }

  @Post('irmm/meetings')
  @Roles('HEAD_OF_OMU', 'SECURITY_MANAGER')
  recordMeeting(@CurrentUser() user: AuthUser, @Body() body: RecordMeetingDto) {
    return this.irmm.recordMeeting(user, body);
  }
}
