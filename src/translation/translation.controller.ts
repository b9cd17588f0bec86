import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/decorators';
import { UuidPipe } from '../common/params';
import {
  CancelTranslationDto,
  CompleteTranslationDto,
  TranslationBacklogQuery,
  TranslationRequestsQuery,
} from './translation.dto';
import { TranslationService } from './translation.service';

@ApiTags('translation')
@ApiBearerAuth()
@Controller()
export class TranslationController {
  constructor(private readonly translation: TranslationService) {}

  @Post('calls/:id/translation-requests')
  @HttpCode(201)
  @Roles('HEAD_OF_OMU', 'SECURITY_MANAGER', 'LISTENER')
  request(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string) {
    return this.translation.request(user, id);
  }

  @Get('translation-requests')
  @Roles('HEAD_OF_OMU', 'SECURITY_MANAGER')
  list(@CurrentUser() user: AuthUser, @Query() query: TranslationRequestsQuery) {
    return this.translation.list(user, query);
  }

  @Post('translation-requests/:id/sent')
  @HttpCode(200)
  @Roles('HEAD_OF_OMU', 'SECURITY_MANAGER')
  sent(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string) {
    return this.translation.markSent(user, id);
  }

  @Post('translation-requests/:id/complete')
  @HttpCode(200)
  @Roles('HEAD_OF_OMU', 'SECURITY_MANAGER')
  complete(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidPipe) id: string,
    @Body() body: CompleteTranslationDto,
  ) {
    return this.translation.complete(user, id, body);
  }

  @Post('translation-requests/:id/cancel')
  @HttpCode(200)
  @Roles('HEAD_OF_OMU', 'SECURITY_MANAGER')
  cancel(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidPipe) id: string,
    @Body() body: CancelTranslationDto,
  ) {
    return this.translation.cancel(user, id, body);
  }

  @Get('backlog/translation')
  @Roles('HEAD_OF_OMU', 'SECURITY_MANAGER')
  backlog(@CurrentUser() user: AuthUser, @Query() query: TranslationBacklogQuery) {
    return this.translation.backlog(user, query.establishment);
  }
}
