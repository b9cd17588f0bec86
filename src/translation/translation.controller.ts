import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '../common/auth-user';
import { CurrentUser, Roles } from '../common/auth-decorators';
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

  @ApiOperation({ summary: 'Ask for a call to be translated' })
  @ApiConflictResponse({
    description: 'The call is not awaiting translation, or already has a live request',
  })
  @Post('calls/:id/translation-requests')
  @HttpCode(201)
  @Roles('HEAD_OF_OMU', 'SECURITY_MANAGER', 'LISTENER')
  request(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string) {
    return this.translation.request(user, id);
  }

  @ApiOperation({ summary: 'List translation requests' })
  @Get('translation-requests')
  @Roles('HEAD_OF_OMU', 'SECURITY_MANAGER')
  list(@CurrentUser() user: AuthUser, @Query() query: TranslationRequestsQuery) {
    return this.translation.list(user, query);
  }

  @ApiOperation({ summary: 'Mark a translation request as sent to the interpreters' })
  @ApiConflictResponse({ description: 'The request is not in a state to be sent' })
  @Post('translation-requests/:id/sent')
  @HttpCode(200)
  @Roles('HEAD_OF_OMU', 'SECURITY_MANAGER')
  sent(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string) {
    return this.translation.markSent(user, id);
  }

  @ApiOperation({ summary: 'Record the translation of a call' })
  @ApiConflictResponse({
    description: 'The request is finished, or the call can no longer be queued',
  })
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

  @ApiOperation({ summary: 'Cancel a translation request' })
  @ApiConflictResponse({ description: 'The request is already finished' })
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

  @ApiOperation({ summary: 'Translation backlog of an establishment' })
  @Get('backlog/translation')
  @Roles('HEAD_OF_OMU', 'SECURITY_MANAGER')
  backlog(@CurrentUser() user: AuthUser, @Query() query: TranslationBacklogQuery) {
    return this.translation.backlog(user, query.establishment);
  }
}
