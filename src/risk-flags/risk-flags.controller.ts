import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '../common/auth-user';
import { CurrentUser, Roles } from '../common/auth-decorators';
import { DecideRiskFlagDto, RiskFlagQuery } from './risk-flags.dto';
import { RiskFlagsService } from './risk-flags.service';

@ApiTags('oversight')
@ApiBearerAuth()
@Controller('risk-flags')
export class RiskFlagsController {
  constructor(private readonly riskFlags: RiskFlagsService) {}

  /** Open risk flags, refreshed on demand for the establishments asked about. */
  @ApiOperation({ summary: 'Open risk flags' })
  @Get()
  @Roles('HEAD_OF_OMU', 'SECURITY_MANAGER')
  list(@CurrentUser() user: AuthUser, @Query() query: RiskFlagQuery) {
    return this.riskFlags.list(user, query);
  }

  /** A decision on a prisoner's open flags of one type: off the open list until reviewBy. */
  @ApiOperation({ summary: 'Decide on a risk flag: ACTIONED or ACCEPTED_RISK' })
  @Post('decisions')
  @Roles('HEAD_OF_OMU', 'SECURITY_MANAGER')
  decide(@CurrentUser() user: AuthUser, @Body() body: DecideRiskFlagDto) {
    return this.riskFlags.decide(user, body);
  }
}
