import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { ESTABLISHMENT_CODE } from '../common/vocabulary';
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
}
