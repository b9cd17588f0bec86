import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import type { Response } from 'express';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/decorators';
import { PageQuery } from '../common/pagination';
import { UuidPipe } from '../common/params';
import { ESTABLISHMENT_CODE, TIERS } from '../common/vocabulary';
import { QueueService } from './queue.service';

export class ClaimDto {
  @ApiPropertyOptional({
    description: 'Claim only from this establishment (default: all of yours)',
  })
  @IsOptional()
  @Matches(ESTABLISHMENT_CODE, { message: 'establishment must be 3 capital letters' })
  establishment?: string;
}

export class LeaseDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) token!: string;
}

export class ReleaseDto extends LeaseDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(1000) reason?: string;
}

export class QueueQuery extends PageQuery {
  @IsOptional()
  @Matches(ESTABLISHMENT_CODE, { message: 'establishment must be 3 capital letters' })
  establishment?: string;
  @IsOptional() @IsIn(TIERS) tier?: string;
}

@ApiTags('listening queue')
@ApiBearerAuth()
@Controller()
export class QueueController {
  constructor(private readonly queue: QueueService) {}

  @Post('queue/claim')
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

  @Post('calls/:id/claim/extend')
  @HttpCode(200)
  @Roles('LISTENER')
  extend(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string, @Body() body: LeaseDto) {
    return this.queue.extend(user, id, body.token);
  }

  @Post('calls/:id/release')
  @HttpCode(200)
  @Roles('LISTENER')
  release(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidPipe) id: string,
    @Body() body: ReleaseDto,
  ) {
    return this.queue.release(user, id, body.token, body.reason);
  }

  @Get('queue')
  @Roles('HEAD_OF_OMU', 'SECURITY_MANAGER')
  pending(@CurrentUser() user: AuthUser, @Query() q: QueueQuery) {
    return this.queue.pending(user, q);
  }
}
