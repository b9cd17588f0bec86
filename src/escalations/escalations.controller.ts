import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '../common/auth-user';
import { CurrentUser, Roles } from '../common/auth-decorators';
import { PrisonNumberPipe, UuidPipe } from '../common/params';
import { CaseloadService } from './caseload.service';
import {
  AgendaQuery,
  CloseEscalationDto,
  EscalationQuery,
  ManualEscalationDto,
  RecordMeetingDto,
  ShareWithComDto,
} from './escalations.dto';
import { EscalationsService } from './escalations.service';
import { IrmmService } from './irmm.service';
import { MappaReferralService } from './mappa-referral.service';

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

  @ApiOperation({ summary: 'List escalations' })
  @Get('escalations')
  @Roles(...STAFF)
  list(@CurrentUser() user: AuthUser, @Query() q: EscalationQuery) {
    return this.escalations.list(user, q);
  }

  @ApiOperation({ summary: 'One escalation' })
  @Get('escalations/:id')
  @Roles(...STAFF)
  get(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string) {
    return this.escalations.get(user, id);
  }

  @ApiOperation({ summary: 'Acknowledge an escalation' })
  @ApiConflictResponse({ description: 'The escalation is not open' })
  @Post('escalations/:id/acknowledge')
  @HttpCode(200)
  @Roles('POM', 'HEAD_OF_OMU', 'SECURITY_MANAGER')
  acknowledge(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string) {
    return this.escalations.acknowledge(user, id);
  }

  @ApiOperation({ summary: 'Close an escalation with its outcome' })
  @ApiConflictResponse({ description: 'The escalation is already closed' })
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

  @ApiOperation({ summary: 'Record what was shared with the community offender manager' })
  @ApiConflictResponse({ description: 'Not a COM escalation' })
  @Post('escalations/:id/shares')
  @HttpCode(201)
  @Roles('POM', 'HEAD_OF_OMU')
  share(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidPipe) id: string,
    @Body() body: ShareWithComDto,
  ) {
    return this.escalations.share(user, id, body);
  }

  @ApiOperation({ summary: 'A MAPPA referral drafted from the escalation' })
  @ApiConflictResponse({ description: 'Not a MAPPA escalation' })
  @Get('escalations/:id/mappa-referral')
  @Roles('POM', 'HEAD_OF_OMU', 'SECURITY_MANAGER')
  mappaReferral(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string) {
    return this.referral.build(user, id);
  }

  @ApiOperation({ summary: 'Raise an escalation about a prisoner by hand' })
  @Post('prisoners/:prisonNumber/escalations')
  @Roles(...STAFF)
  manual(
    @CurrentUser() user: AuthUser,
    @Param('prisonNumber', PrisonNumberPipe) prisonNumber: string,
    @Body() body: ManualEscalationDto,
  ) {
    return this.escalations.manual(user, prisonNumber, body);
  }

  @ApiOperation({ summary: 'Your caseload as a POM, with its monitoring concerns' })
  @Get('poms/me/caseload')
  @Roles('POM')
  myCaseload(@CurrentUser() user: AuthUser) {
    return this.caseload.mine(user);
  }

  @ApiOperation({ summary: 'Agenda of the next IRMM meeting' })
  @Get('irmm/agenda')
  @Roles('HEAD_OF_OMU', 'SECURITY_MANAGER', 'POM')
  agenda(@CurrentUser() user: AuthUser, @Query() q: AgendaQuery) {
    return this.irmm.agenda(user, q.establishment);
  }

  @ApiOperation({ summary: 'Record an IRMM meeting and its decisions' })
  @Post('irmm/meetings')
  @Roles('HEAD_OF_OMU', 'SECURITY_MANAGER')
  recordMeeting(@CurrentUser() user: AuthUser, @Body() body: RecordMeetingDto) {
    return this.irmm.recordMeeting(user, body);
  }
}
