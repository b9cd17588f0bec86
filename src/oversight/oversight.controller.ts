import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsInt, IsNumber, IsOptional, Matches, Max, Min } from 'class-validator';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/decorators';
import { ESTABLISHMENT_CODE } from '../common/vocabulary';
import { OversightService } from './oversight.service';

export class EstablishmentQuery {
  @Matches(ESTABLISHMENT_CODE, { message: 'establishment must be 3 capital letters' })
  establishment!: string;
}

export class TrendQuery extends EstablishmentQuery {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(366) days = 30;
}

export class ForecastQuery extends EstablishmentQuery {
  @Type(() => Number) @IsInt() @Min(0) @Max(5000) listeners!: number;

  @Type(() => Number)
  @IsNumber({ maxDecimalPlaces: 2 }, { message: 'hoursPerDay must be a number of hours' })
  @Min(0.25)
  @Max(24)
  hoursPerDay!: number;
}

export class PeriodQuery extends EstablishmentQuery {
  @IsOptional() @Type(() => Date) @IsDate() from?: Date;
  @IsOptional() @Type(() => Date) @IsDate() to?: Date;
}

@ApiTags('oversight')
@ApiBearerAuth()
@Controller()
@Roles('HEAD_OF_OMU', 'SECURITY_MANAGER')
export class OversightController {
  constructor(private readonly oversight: OversightService) {}

  @Get('backlog/summary')
  summary(@CurrentUser() user: AuthUser, @Query() q: EstablishmentQuery) {
    return this.oversight.summary(user, q.establishment);
  }

  @Get('backlog/trend')
  trend(@CurrentUser() user: AuthUser, @Query() q: TrendQuery) {
    return this.oversight.trend(user, q.establishment, q.days);
  }

  @Get('backlog/listeners')
  listeners(@CurrentUser() user: AuthUser, @Query() q: EstablishmentQuery) {
    return this.oversight.listeners(user, q.establishment);
  }

  @Get('backlog/forecast')
  forecast(@CurrentUser() user: AuthUser, @Query() q: ForecastQuery) {
    return this.oversight.forecast(user, q.establishment, q.listeners, q.hoursPerDay);
  }

  @Get('reconciliation')
  reconciliation(@CurrentUser() user: AuthUser, @Query() q: PeriodQuery) {
    return this.oversight.reconciliation(user, q.establishment, q.from, q.to);
  }
}
