import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PageQuery } from '../common/pagination';
import {
  ESTABLISHMENT_CODE,
  RELEASE_REASON_CODES,
  ReleaseReasonCode,
  TIERS,
} from '../common/vocabulary';

export class ClaimDto {
  @ApiPropertyOptional({
    description: 'Claim only from this establishment (default: all of yours)',
  })
  @IsOptional()
  @Matches(ESTABLISHMENT_CODE, { message: 'establishment must be 3 capital letters' })
  establishment?: string;
}

export class LeaseDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) token!: string;
}

export class ReleaseDto extends LeaseDto {
  @ApiPropertyOptional({
    enum: RELEASE_REASON_CODES,
    description:
      'Why (default OTHER). CONFLICT_OF_INTEREST: this prisoner is never offered to you again',
  })
  @IsOptional()
  @IsIn(RELEASE_REASON_CODES, {
    message: `reasonCode must be one of ${RELEASE_REASON_CODES.join(', ')}`,
  })
  reasonCode?: ReleaseReasonCode;

  @ApiPropertyOptional({ description: 'In words; required for OTHER' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  reason?: string;
}

export class QueueQuery extends PageQuery {
  @ApiPropertyOptional({
    example: 'NHI',
    description: 'Only this establishment (default: all of yours)',
  })
  @IsOptional()
  @Matches(ESTABLISHMENT_CODE, { message: 'establishment must be 3 capital letters' })
  establishment?: string;
  @ApiPropertyOptional({ enum: TIERS })
  @IsOptional()
  @IsIn(TIERS)
  tier?: string;
}
