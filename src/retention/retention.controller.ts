import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/decorators';
import { UuidPipe } from '../common/params';
import { HoldsQuery, PlaceHoldDto, ReleaseHoldDto } from './retention.dto';
import { RetentionService } from './retention.service';

@ApiTags('retention holds')
@ApiBearerAuth()
@Controller()
export class RetentionController {
  constructor(private readonly retention: RetentionService) {}

  @Post('calls/:id/holds')
  @HttpCode(201)
  @Roles('SECURITY_MANAGER')
  place(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidPipe) id: string,
    @Body() body: PlaceHoldDto,
  ) {
    return this.retention.placeHold(user, id, body);
  }

  @Get('holds')
  @Roles('SECURITY_MANAGER', 'HEAD_OF_OMU')
  list(@CurrentUser() user: AuthUser, @Query() query: HoldsQuery) {
    return this.retention.listHolds(user, query);
  }

  @Post('holds/:id/release')
  @HttpCode(200)
  @Roles('SECURITY_MANAGER')
  release(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidPipe) id: string,
    @Body() body: ReleaseHoldDto,
  ) {
    return this.retention.releaseHold(user, id, body);
  }
}
