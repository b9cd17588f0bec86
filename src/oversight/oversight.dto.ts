import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsNumber, IsOptional, Matches, Max, Min } from 'class-validator';
import { ESTABLISHMENT_CODE } from '../common/vocabulary';
import { FromTime, ToTime } from '../common/query-fields';

export class EstablishmentQuery {
  @ApiProperty({ example: 'NHI' })
  @Matches(ESTABLISHMENT_CODE, { message: 'establishment must be 3 capital letters' })
  establishment!: string;
}

export class TrendQuery extends EstablishmentQuery {
  @ApiPropertyOptional({
    type: 'integer',
    default: 30,
    minimum: 1,
    maximum: 366,
    description: 'Days back from today',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(366)
  days = 30;
}

export class ForecastQuery extends EstablishmentQuery {
  @ApiProperty({ minimum: 0, maximum: 5000, description: 'Listeners on duty per day' })
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(5000)
  listeners!: number;

  @ApiProperty({ minimum: 0.25, maximum: 24, description: 'Listening hours per listener per day' })
  @Type(() => Number)
  @IsNumber({ maxDecimalPlaces: 2 }, { message: 'hoursPerDay must be a number of hours' })
  @Min(0.25)
  @Max(24)
  hoursPerDay!: number;
}

export class PeriodQuery extends EstablishmentQuery {
  @FromTime()
  from?: Date;
  @ToTime()
  to?: Date;
}
