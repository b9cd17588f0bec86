import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { AuthUser } from '../common/auth-user';
import { CurrentUser, Roles } from '../common/auth-decorators';
import { UuidPipe } from '../common/params';
import {
  AuthorisationDraftResponse,
  DismissPatternAlertDto,
  PatternAlertQuery,
} from './patterns.dto';
import { PatternsService } from './patterns.service';

const REVIEWERS = ['HEAD_OF_OMU', 'SECURITY_MANAGER'] as const;

@ApiTags('pattern alerts')
@ApiBearerAuth()
@Controller('pattern-alerts')
export class PatternsController {
  constructor(private readonly patterns: PatternsService) {}

  /** Alerts found in call metadata, live first. */
  @ApiOperation({ summary: 'List pattern alerts' })
  @Get()
  @Roles(...REVIEWERS)
  list(@CurrentUser() user: AuthUser, @Query() q: PatternAlertQuery) {
    return this.patterns.list(user, q);
  }

  @ApiOperation({ summary: 'One pattern alert with its evidence' })
  @Get(':id')
  @Roles(...REVIEWERS)
  get(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string) {
    return this.patterns.get(user, id);
  }

  @ApiOperation({ summary: 'Acknowledge a pattern alert' })
  @ApiConflictResponse({ description: 'The alert was dismissed' })
  @Post(':id/acknowledge')
  @HttpCode(200)
  @Roles(...REVIEWERS)
  acknowledge(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string) {
    return this.patterns.acknowledge(user, id);
  }

  /** Not a concern (reason required): the calls' P1 lift falls away. */
  @ApiOperation({ summary: 'Dismiss a pattern alert as not a concern' })
  @ApiConflictResponse({ description: 'The alert is already dismissed' })
  @Post(':id/dismiss')
  @HttpCode(200)
  @Roles(...REVIEWERS)
  dismiss(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidPipe) id: string,
    @Body() body: DismissPatternAlertDto,
  ) {
    return this.patterns.dismiss(user, id, body);
  }

  /**
   * A monitoring authorisation request pre-filled with the evidence, to submit yourself to
   * POST /api/prisoners/{prisonNumber}/monitoring-authorisations. Never creates one.
   */
  @ApiOperation({ summary: 'A monitoring authorisation request drafted from the alert' })
  @ApiConflictResponse({ description: 'The alert was dismissed, or is about privileged numbers' })
  @Get(':id/authorisation-draft')
  @Roles(...REVIEWERS)
  @ApiOkResponse({ type: AuthorisationDraftResponse })
  authorisationDraft(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string) {
    return this.patterns.authorisationDraft(user, id);
  }
}
