import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '../common/auth-user';
import { CurrentUser, Roles } from '../common/auth-decorators';
import { PrisonNumberPipe, UuidPipe } from '../common/params';
import {
  ApproveAuthorisationDto,
  AuthorisationQuery,
  EndAuthorisationDto,
  RequestAuthorisationDto,
  ReviewAuthorisationDto,
} from './monitoring.dto';
import { MonitoringService } from './monitoring.service';

const STAFF_ROLES = ['LISTENER', 'POM', 'HEAD_OF_OMU', 'SECURITY_MANAGER', 'ADMIN'] as const;

@ApiTags('monitoring authorisations')
@ApiBearerAuth()
@Controller()
export class MonitoringController {
  constructor(private readonly monitoring: MonitoringService) {}

  @ApiOperation({ summary: 'Request a monitoring authorisation for a prisoner' })
  @Post('prisoners/:prisonNumber/monitoring-authorisations')
  @Roles(...STAFF_ROLES)
  request(
    @CurrentUser() user: AuthUser,
    @Param('prisonNumber', PrisonNumberPipe) prisonNumber: string,
    @Body() body: RequestAuthorisationDto,
  ) {
    return this.monitoring.request(user, prisonNumber, body);
  }

  @ApiOperation({ summary: 'Approve a monitoring authorisation (not your own request)' })
  @ApiConflictResponse({ description: 'Not REQUESTED, or past its end date' })
  @Post('monitoring-authorisations/:id/approve')
  @HttpCode(200)
  @Roles('SECURITY_MANAGER', 'HEAD_OF_OMU')
  approve(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidPipe) id: string,
    @Body() body: ApproveAuthorisationDto,
  ) {
    return this.monitoring.approve(user, id, body);
  }

  @ApiOperation({ summary: 'Review a monitoring authorisation: continue or end' })
  @ApiConflictResponse({ description: 'Not active' })
  @Post('monitoring-authorisations/:id/review')
  @HttpCode(200)
  @Roles('SECURITY_MANAGER', 'HEAD_OF_OMU')
  review(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidPipe) id: string,
    @Body() body: ReviewAuthorisationDto,
  ) {
    return this.monitoring.review(user, id, body);
  }

  @ApiOperation({ summary: 'End a monitoring authorisation' })
  @ApiConflictResponse({ description: 'Already ended' })
  @Post('monitoring-authorisations/:id/end')
  @HttpCode(200)
  @Roles('SECURITY_MANAGER', 'HEAD_OF_OMU')
  end(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidPipe) id: string,
    @Body() body: EndAuthorisationDto,
  ) {
    return this.monitoring.end(user, id, body);
  }

  @ApiOperation({ summary: 'One monitoring authorisation' })
  @Get('monitoring-authorisations/:id')
  @Roles(...STAFF_ROLES)
  get(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string) {
    return this.monitoring.get(user, id);
  }

  @ApiOperation({ summary: 'List monitoring authorisations' })
  @Get('monitoring-authorisations')
  @Roles(...STAFF_ROLES)
  list(@CurrentUser() user: AuthUser, @Query() query: AuthorisationQuery) {
    return this.monitoring.list(user, query);
  }
}
