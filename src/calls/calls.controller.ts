import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsIn, IsOptional, Matches } from 'class-validator';
import type { Response } from 'express';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/decorators';
import { PageQuery } from '../common/pagination';
import { UuidPipe } from '../common/params';
import { CALL_STATUSES, CallStatus, ESTABLISHMENT_CODE, PRISON_NUMBER } from '../common/vocabulary';
import { CallsService } from './calls.service';

export class CallsQuery extends PageQuery {
  @IsOptional()
  @Matches(PRISON_NUMBER, { message: 'prisonNumber must look like A1234BC' })
  prisonNumber?: string;
  @IsOptional() @IsIn(CALL_STATUSES) status?: CallStatus;
  @IsOptional()
  @Matches(ESTABLISHMENT_CODE, { message: 'establishment must be 3 capital letters' })
  establishment?: string;
  @IsOptional() @Type(() => Date) @IsDate() from?: Date;
  @IsOptional() @Type(() => Date) @IsDate() to?: Date;
}

const READERS = ['LISTENER', 'POM', 'HEAD_OF_OMU', 'SECURITY_MANAGER', 'ADMIN'] as const;

@ApiTags('calls')
@ApiBearerAuth()
@Controller('calls')
export class CallsController {
  constructor(private readonly calls: CallsService) {}

  @Post('batch')
  @HttpCode(202)
  @Roles('INGEST', 'ADMIN')
  @ApiBody({
    description: 'Up to 5,000 call records from the telephony feed',
    schema: { type: 'object', properties: { calls: { type: 'array', items: { type: 'object' } } } },
  })
  ingest(@CurrentUser() user: AuthUser, @Body() body: unknown) {
    return this.calls.ingest(user, body);
  }

  @Get()
  @Roles(...READERS)
  list(@CurrentUser() user: AuthUser, @Query() q: CallsQuery) {
    return this.calls.list(user, q);
  }

  @Get(':id')
  @Roles(...READERS)
  get(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string) {
    return this.calls.get(user, id);
  }

  @Get(':id/recording')
  @Roles('LISTENER', 'POM', 'HEAD_OF_OMU', 'SECURITY_MANAGER')
  async recording(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidPipe) id: string,
    @Res() res: Response,
  ) {
    const { file, contentType } = await this.calls.recording(user, id);
    res.setHeader('Cache-Control', 'no-store');
    await new Promise<void>((resolve, reject) =>
      res.sendFile(file, { headers: { 'Content-Type': contentType }, acceptRanges: true }, (err) =>
        err ? reject(err) : resolve(),
      ),
    );
  }
}
