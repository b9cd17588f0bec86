import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDate,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
} from 'class-validator';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/decorators';
import { PageQuery } from '../common/pagination';
import { PrisonNumberPipe, UuidPipe } from '../common/params';
import { ESTABLISHMENT_CODE, Theme, THEMES } from '../common/vocabulary';
import { AmendLogDto, SubmitLogDto } from './logs.dto';
import { LogsService } from './logs.service';

export class PrisonerLogsQuery extends PageQuery {
  @IsOptional() @Type(() => Date) @IsDate() from?: Date;
  @IsOptional() @Type(() => Date) @IsDate() to?: Date;
  @IsOptional() @IsIn(THEMES) theme?: Theme;
}

export class TasksQuery {
  @IsOptional()
  @Matches(ESTABLISHMENT_CODE, { message: 'establishment must be 3 capital letters' })
  establishment?: string;
  @IsOptional() @IsIn(['OPEN', 'RESOLVED']) status: 'OPEN' | 'RESOLVED' = 'OPEN';
}

export class ResolveTaskDto {
  @ApiProperty({ description: 'Who the number belongs to, and what was done' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  note!: string;
}

const READERS = ['LISTENER', 'POM', 'HEAD_OF_OMU', 'SECURITY_MANAGER'] as const;

@ApiTags('monitoring logs')
@ApiBearerAuth()
@Controller()
export class LogsController {
  constructor(private readonly logs: LogsService) {}

  @Post('calls/:id/log')
  @Roles('LISTENER')
  submit(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidPipe) id: string,
    @Body() body: SubmitLogDto,
  ) {
    return this.logs.submit(user, id, body);
  }

  @Post('logs/:id/amendments')
  @Roles('LISTENER', 'SECURITY_MANAGER')
  amend(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidPipe) id: string,
    @Body() body: AmendLogDto,
  ) {
    return this.logs.amend(user, id, body);
  }

  @Get('logs/:id')
  @Roles(...READERS)
  get(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string) {
    return this.logs.get(user, id);
  }

  @Get('prisoners/:prisonNumber/logs')
  @Roles(...READERS)
  forPrisoner(
    @CurrentUser() user: AuthUser,
    @Param('prisonNumber', PrisonNumberPipe) prisonNumber: string,
    @Query() q: PrisonerLogsQuery,
  ) {
    return this.logs.forPrisoner(user, prisonNumber, q);
  }

  @Get('identification-tasks')
  @Roles('SECURITY_MANAGER', 'HEAD_OF_OMU')
  tasks(@CurrentUser() user: AuthUser, @Query() q: TasksQuery) {
    return this.logs.identificationTasks(user, q.establishment, q.status);
  }

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
