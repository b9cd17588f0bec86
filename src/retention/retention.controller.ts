import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '../common/auth-user';
import { CurrentUser, Roles } from '../common/auth-decorators';
import { UuidPipe } from '../common/params';
import { HoldsQuery, PlaceHoldDto, ReleaseHoldDto } from './retention.dto';
import { RetentionService } from './retention.service';

@ApiTags('retention holds')
@ApiBearerAuth()
@Controller()
export class RetentionController {
  constructor(private readonly retention: RetentionService) {}

  @ApiOperation({ summary: 'Place a retention hold on a call' })
  @ApiConflictResponse({ description: 'The call has been purged under the retention rule' })
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

  @ApiOperation({ summary: 'List retention holds' })
  @Get('holds')
  @Roles('SECURITY_MANAGER', 'HEAD_OF_OMU')
  list(@CurrentUser() user: AuthUser, @Query() query: HoldsQuery) {
    return this.retention.listHolds(user, query);
  }

  @ApiOperation({ summary: 'Release a retention hold' })
  @ApiConflictResponse({ description: 'The hold is already released' })
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
