import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/decorators';
import { RiskFlagQuery } from './risk-flags.dto';
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
}
