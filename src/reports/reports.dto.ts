import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsIn, IsOptional } from 'class-validator';
import { SUMMARY_FORMATS, SummaryFormat } from './monitoring-summary';

export class MonitoringSummaryQuery {
  @ApiPropertyOptional({ description: 'Start of the period (ISO time); default 90 days before to' })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'from must be an ISO-8601 time' })
  from?: Date;

  @ApiPropertyOptional({ description: 'End of the period, exclusive (ISO time); default now' })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'to must be an ISO-8601 time' })
  to?: Date;

  @ApiPropertyOptional({
    enum: SUMMARY_FORMATS,
    description: 'Overrides the Accept header (application/json, text/html, application/pdf)',
  })
  @IsOptional()
  @IsIn(SUMMARY_FORMATS)
  format?: SummaryFormat;
}
