import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min, ValidateNested } from 'class-validator';

const HOURS_IN_90_DAYS = 90 * 24;

export class SlaHoursDto {
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(HOURS_IN_90_DAYS) P1?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(HOURS_IN_90_DAYS) P2?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(HOURS_IN_90_DAYS) P3?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(HOURS_IN_90_DAYS) P4?: number;
}

export class ReviewIntervalDaysDto {
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(366) MANDATORY?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(366) OFFENCE_RELATED?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(366) INTELLIGENCE_LED?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(366) AD_HOC?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(366) RANDOM?: number;
}

/** Any subset of the establishment's settings; what is not given keeps its current value. */
export class PutSettingsDto {
  @ApiPropertyOptional({ type: SlaHoursDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => SlaHoursDto)
  slaHours?: SlaHoursDto;

  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(5) @Max(480) leaseMinutes?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(168) continuityCreditHours?: number;

  @ApiPropertyOptional({ type: ReviewIntervalDaysDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ReviewIntervalDaysDto)
  reviewIntervalDays?: ReviewIntervalDaysDto;

  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(1000) pomCaseloadThreshold?: number;
  @ApiPropertyOptional({ description: '0 Sunday … 6 Saturday' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(6)
  irmmMeetingWeekday?: number;

  @ApiPropertyOptional({ description: 'Prison Rule 35D: at most 90 days' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(90)
  retentionDays?: number;
}
