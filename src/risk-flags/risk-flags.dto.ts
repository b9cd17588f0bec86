import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ESTABLISHMENT_CODE, PRISON_NUMBER } from '../common/vocabulary';
import { FLAG_DECISIONS, FlagDecision } from './flag-decisions';
import { RISK_FLAG_TYPES, RiskFlagType } from './risk-flag-rules';

export class RiskFlagQuery {
  @ApiPropertyOptional({ example: 'NHI', description: 'omitted: every establishment you work at' })
  @IsOptional()
  @Matches(ESTABLISHMENT_CODE, { message: 'establishment must be 3 capital letters' })
  establishment?: string;

  @ApiPropertyOptional({ enum: RISK_FLAG_TYPES })
  @IsOptional()
  @IsIn(RISK_FLAG_TYPES)
  type?: RiskFlagType;

  @ApiPropertyOptional({
    enum: ['decided'],
    description: 'decided: also the open flags a decision holds off the list (with `decision`)',
  })
  @IsOptional()
  @IsIn(['decided'])
  include?: 'decided';
}

export class DecideRiskFlagDto {
  @ApiProperty({ enum: RISK_FLAG_TYPES }) @IsIn(RISK_FLAG_TYPES) type!: RiskFlagType;

  @ApiProperty({ example: 'A1234BC' })
  @Matches(PRISON_NUMBER, { message: 'prisonNumber must look like A1234BC' })
  prisonNumber!: string;

  @ApiProperty({ enum: FLAG_DECISIONS }) @IsIn(FLAG_DECISIONS) decision!: FlagDecision;

  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(5000) rationale!: string;

  @ApiProperty({ example: '2027-01-31', description: 'London date; the flag returns on it' })
  @Matches(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, {
    message: 'reviewBy must be a date (YYYY-MM-DD)',
  })
  reviewBy!: string;
}
