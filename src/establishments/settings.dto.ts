import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  ValidateIf,
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
  @ApiPropertyOptional({ description: 'Calls one listener may hold at once (default 1)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10)
  maxClaimsPerListener?: number;
  @ApiPropertyOptional({
    description: 'Minutes a released call is not offered back to the listener who released it',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1440)
  releaseCooldownMinutes?: number;

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

  @ApiPropertyOptional({
    description:
      "Days before a prisoner's next key date within which his calls are at least P2 (default 56)",
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(366)
  preReleaseWindowDays?: number;

  @ApiPropertyOptional({
    description:
      'Hours before the next key date by which every call of the prisoner is due (default 48)',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(720)
  preReleaseMarginHours?: number;

  @ApiPropertyOptional({
    description:
      'Calls of a prisoner to a number, newest first, that a pattern alert lifts to P1 (default 10); the rest are P2',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  burstP1Cap?: number;

  @ApiPropertyOptional({
    description: 'Working days to decide on monitoring an arrival (default 3)',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(30)
  arrivalDecisionWorkingDays?: number;

  @ApiPropertyOptional({
    description:
      'Months before release by which a community offender manager must be recorded (default 8.5; halves allowed)',
  })
  @IsOptional()
  @IsNumber({ maxDecimalPlaces: 2 })
  @Min(1)
  @Max(24)
  comAllocationMonths?: number;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description:
      'GOV.UK Notify template id of the escalation email (new or reopened); null unsets it',
  })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsUUID('all', { message: 'notifyEscalationTemplateId must be a Notify template id (a UUID)' })
  notifyEscalationTemplateId?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'GOV.UK Notify template id of the daily digest; null unsets it',
  })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsUUID('all', { message: 'notifyDigestTemplateId must be a Notify template id (a UUID)' })
  notifyDigestTemplateId?: string | null;

  @ApiPropertyOptional({ description: 'Prison Rule 35D: at most 90 days' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(90)
  retentionDays?: number;
}
