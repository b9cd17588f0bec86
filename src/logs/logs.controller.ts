import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '../common/auth-user';
import { CurrentUser, Roles } from '../common/auth-decorators';
import { PrisonNumberPipe, UuidPipe } from '../common/params';
import {
  AmendLogDto,
  PrisonerLogsQuery,
  ResolveTaskDto,
  SubmitLogDto,
  TasksQuery,
} from './logs.dto';
import { LogsService } from './logs.service';

const READERS = ['LISTENER', 'POM', 'HEAD_OF_OMU', 'SECURITY_MANAGER'] as const;

@ApiTags('monitoring logs')
@ApiBearerAuth()
@Controller()
export class LogsController {
  constructor(private readonly logs: LogsService) {}

  @ApiOperation({ summary: 'Submit the monitoring log of a claimed call' })
  @ApiConflictResponse({
    description: 'The claim is no longer yours (nothing saved)',
  })
  @Post('calls/:id/log')
  @Roles('LISTENER')
  submit(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidPipe) id: string,
    @Body() body: SubmitLogDto,
  ) {
    return this.logs.submit(user, id, body);
  }

  @ApiOperation({ summary: 'Amend a monitoring log (a new version, with the reason)' })
  @ApiConflictResponse({ description: 'Not the latest version of the log' })
  @Post('logs/:id/amendments')
  @Roles('LISTENER', 'SECURITY_MANAGER')
  amend(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidPipe) id: string,
    @Body() body: AmendLogDto,
  ) {
    return this.logs.amend(user, id, body);
  }

  @ApiOperation({ summary: 'One monitoring log with its versions' })
  @Get('logs/:id')
  @Roles(...READERS)
  get(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string) {
    return this.logs.get(user, id);
  }

  @ApiOperation({ summary: "A prisoner's monitoring logs" })
  @Get('prisoners/:prisonNumber/logs')
  @Roles(...READERS)
  forPrisoner(
    @CurrentUser() user: AuthUser,
    @Param('prisonNumber', PrisonNumberPipe) prisonNumber: string,
    @Query() q: PrisonerLogsQuery,
  ) {
    return this.logs.forPrisoner(user, prisonNumber, q);
  }

  @ApiOperation({ summary: 'Identification tasks (unknown numbers to identify)' })
  @Get('identification-tasks')
  @Roles('SECURITY_MANAGER', 'HEAD_OF_OMU')
  tasks(@CurrentUser() user: AuthUser, @Query() q: TasksQuery) {
    return this.logs.identificationTasks(user, q.establishment, q.status);
  }

  @ApiOperation({ summary: 'Resolve an identification task' })
  @ApiConflictResponse({ description: 'The task is already resolved' })
  @Post('identification-tasks/:id/resolve')
  @HttpCode(200)
  @Roles('SECURITY_MANAGER')
  resolve(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidPipe) id: string,
    @Body() body: ResolveTaskDto,
  ) {
    return this.logs.resolveIdentificationTask(user, id, body.note);
  }
}
