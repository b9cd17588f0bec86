import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

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

export class PatternThresholdsDto {
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(2) @Max(500) burstCalls24h?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(2) @Max(100) rateSpikeMultiplier?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(2) @Max(500) rateSpikeMinCalls?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(2) @Max(500) newNumberCalls48h?: number;
  @ApiPropertyOptional()
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(600)
  privilegedSocialMinMinutes?: number;
  @ApiPropertyOptional()
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(23)
  privilegedSocialEveningHour?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(500) privilegedSocialCalls7d?: number;
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

  @ApiPropertyOptional({
    type: SlaHoursDto,
    description: 'SLA hours per tier for intercepted mail',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => SlaHoursDto)
  mailSlaHours?: SlaHoursDto;

  @ApiPropertyOptional({ type: PatternThresholdsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => PatternThresholdsDto)
  patterns?: PatternThresholdsDto;

  @ApiPropertyOptional({
    type: [String],
    description: 'Extra phrases to spot in transcripts (replaces the list)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(100, { each: true })
  keywordLexicon?: string[];

  @ApiPropertyOptional({ description: 'Prison Rule 35D: at most 90 days' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(90)
  retentionDays?: number;
}
