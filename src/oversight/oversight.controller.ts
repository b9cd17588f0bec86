import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '../common/auth-user';
import { CurrentUser, Roles } from '../common/auth-decorators';
import { EstablishmentQuery, ForecastQuery, PeriodQuery, TrendQuery } from './oversight.dto';
import { OversightService } from './oversight.service';

@ApiTags('oversight')
@ApiBearerAuth()
@Controller()
@Roles('HEAD_OF_OMU', 'SECURITY_MANAGER')
export class OversightController {
  constructor(private readonly oversight: OversightService) {}

  @ApiOperation({ summary: 'Backlog summary of an establishment: waiting calls by tier, overdue' })
  @Get('backlog/summary')
  summary(@CurrentUser() user: AuthUser, @Query() q: EstablishmentQuery) {
    return this.oversight.summary(user, q.establishment);
  }

  @ApiOperation({ summary: 'Daily backlog trend of an establishment' })
  @Get('backlog/trend')
  trend(@CurrentUser() user: AuthUser, @Query() q: TrendQuery) {
    return this.oversight.trend(user, q.establishment, q.days);
  }

  @ApiOperation({ summary: 'Listener activity at an establishment' })
  @Get('backlog/listeners')
  listeners(@CurrentUser() user: AuthUser, @Query() q: EstablishmentQuery) {
    return this.oversight.listeners(user, q.establishment);
  }

  @ApiOperation({ summary: 'Forecast the backlog for a number of listeners' })
  @Get('backlog/forecast')
  forecast(@CurrentUser() user: AuthUser, @Query() q: ForecastQuery) {
    return this.oversight.forecast(user, q.establishment, q.listeners, q.hoursPerDay);
  }

  @ApiOperation({ summary: 'Reconcile the feed: calls received against calls accounted for' })
  @Get('reconciliation')
  reconciliation(@CurrentUser() user: AuthUser, @Query() q: PeriodQuery) {
    return this.oversight.reconciliation(user, q.establishment, q.from, q.to);
  }
}
