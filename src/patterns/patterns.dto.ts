import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PageQuery } from '../common/pagination';
import { ESTABLISHMENT_CODE, PRISON_NUMBER } from '../common/vocabulary';
import { PATTERN_KINDS, PATTERN_STATUSES, PatternKind, PatternStatus } from './pattern-rules';

export class PatternAlertQuery extends PageQuery {
  @ApiPropertyOptional({ example: 'NHI', description: 'omitted: every establishment you work at' })
  @IsOptional()
  @Matches(ESTABLISHMENT_CODE, { message: 'establishment must be 3 capital letters' })
  establishment?: string;

  @ApiPropertyOptional({ enum: PATTERN_STATUSES })
  @IsOptional()
  @IsIn(PATTERN_STATUSES)
  status?: PatternStatus;

  @ApiPropertyOptional({ enum: PATTERN_KINDS })
  @IsOptional()
  @IsIn(PATTERN_KINDS)
  kind?: PatternKind;

  @ApiPropertyOptional({ example: 'A1234BC' })
  @IsOptional()
  @Matches(PRISON_NUMBER, { message: 'prisonNumber must look like A1234BC' })
  prisonNumber?: string;
}

export class DismissPatternAlertDto {
  @ApiProperty({ description: 'Why the pattern is not a concern (kept with the alert)' })
  @IsString()
  @Matches(/\S/, { message: 'reason is required: say why the pattern is not a concern' })
  @MaxLength(2000)
  reason!: string;
}

/** The body to submit yourself to POST /api/prisoners/{prisonNumber}/monitoring-authorisations. */
export class AuthorisationDraftResponse {
  @ApiProperty({ example: 'INTELLIGENCE_LED' }) type!: string;
  @ApiProperty({ example: ['CRIME', 'PUBLIC_SAFETY'] }) grounds!: string[];
  @ApiProperty({ example: ['PHONE'] }) channels!: string[];
  @ApiProperty() justification!: string;
  @ApiProperty({ minimum: 0, maximum: 90 }) lookbackDays!: number;
}
