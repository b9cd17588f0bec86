import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { AuthUser } from '../common/auth-user';
import { CurrentUser, Roles } from '../common/auth-decorators';
import { UuidPipe } from '../common/params';
import { ClaimDto, LeaseDto, QueueQuery, ReleaseDto } from './queue.dto';
import { QueueService } from './queue.service';

@ApiTags('listening queue')
@ApiBearerAuth()
@Controller()
export class QueueController {
  constructor(private readonly queue: QueueService) {}

  @ApiOperation({ summary: 'Claim the next call from the listening queue' })
  @ApiConflictResponse({ description: 'You already hold as many calls as you may (heldCallIds)' })
  @Post('queue/claim')
  @ApiOkResponse({ description: 'The call and your claim on it' })
  @ApiNoContentResponse({ description: 'Nothing is eligible for you' })
  @Roles('LISTENER')
  async claim(
    @CurrentUser() user: AuthUser,
    @Body() body: ClaimDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    const claimed = await this.queue.claim(user, body.establishment);
    if (!claimed) {
      res.status(204);
      return undefined;
    }
    res.status(200);
    return claimed;
  }

  @ApiOperation({ summary: 'Extend your claim on a call' })
  @ApiConflictResponse({ description: 'The claim is no longer yours (expired or released)' })
  @Post('calls/:id/claim/extend')
  @HttpCode(200)
  @Roles('LISTENER')
  extend(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string, @Body() body: LeaseDto) {
    return this.queue.extend(user, id, body.token);
  }

  @ApiOperation({ summary: 'Release a claimed call back to the queue' })
  @ApiConflictResponse({ description: 'The claim is no longer yours (expired or released)' })
  @Post('calls/:id/release')
  @HttpCode(200)
  @Roles('LISTENER')
  release(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidPipe) id: string,
    @Body() body: ReleaseDto,
  ) {
    return this.queue.release(user, id, body.token, body.reasonCode, body.reason);
  }

  @ApiOperation({ summary: 'The calls you hold' })
  @Get('queue/mine')
  @Roles('LISTENER')
  mine(@CurrentUser() user: AuthUser) {
    return this.queue.mine(user);
  }

  @ApiOperation({ summary: 'The waiting calls in claim order' })
  @Get('queue')
  @Roles('HEAD_OF_OMU', 'SECURITY_MANAGER')
  pending(@CurrentUser() user: AuthUser, @Query() q: QueueQuery) {
    return this.queue.pending(user, q);
  }
}
