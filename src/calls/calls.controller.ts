import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AuthUser } from '../common/auth-user';
import { CurrentUser, Roles } from '../common/auth-decorators';
import { UuidPipe } from '../common/params';
import { CallsQuery, IngestBatchDto } from './calls.dto';
import { CallsService } from './calls.service';

const READERS = ['LISTENER', 'POM', 'HEAD_OF_OMU', 'SECURITY_MANAGER', 'ADMIN'] as const;

@ApiTags('calls')
@ApiBearerAuth()
@Controller('calls')
export class CallsController {
  constructor(private readonly calls: CallsService) {}

  @ApiOperation({ summary: 'Ingest a batch of call records from the telephony feed' })
  @Post('batch')
  @HttpCode(202)
  @Roles('INGEST', 'ADMIN')
  @ApiBody({
    type: IngestBatchDto,
    description: 'Up to 5,000 call records from the telephony feed',
  })
  ingest(@CurrentUser() user: AuthUser, @Body() body: unknown) {
    return this.calls.ingest(user, body);
  }

  @ApiOperation({ summary: 'List calls' })
  @Get()
  @Roles(...READERS)
  list(@CurrentUser() user: AuthUser, @Query() q: CallsQuery) {
    return this.calls.list(user, q);
  }

  @ApiOperation({ summary: 'One call, with its claim and log' })
  @Get(':id')
  @Roles(...READERS)
  get(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string) {
    return this.calls.get(user, id);
  }

  /** Audited as a play once per play (a request from the first byte), not per range read. */
  @ApiOperation({ summary: 'Stream the call recording (audited once per play)' })
  @Get(':id/recording')
  @ApiProduces('audio/*')
  @ApiOkResponse({
    description: 'The audio; a Range request is answered 206 with the part asked for',
    content: { 'audio/*': { schema: { type: 'string', format: 'binary' } } },
  })
  @Roles('LISTENER', 'POM', 'HEAD_OF_OMU', 'SECURITY_MANAGER')
  async recording(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidPipe) id: string,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const { file, contentType } = await this.calls.recording(user, id, {
      method: req.method,
      range: req.headers.range,
    });
    res.setHeader('Cache-Control', 'no-store');
    await new Promise<void>((resolve, reject) =>
      res.sendFile(file, { headers: { 'Content-Type': contentType }, acceptRanges: true }, (err) =>
        err ? reject(err) : resolve(),
      ),
    );
  }
}
