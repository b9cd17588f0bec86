import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsDateString,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { PageQuery } from '../common/pagination';
import { ESTABLISHMENT_CODE } from '../common/vocabulary';

const trimmed = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim() : value;

export const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;

export class PlaceHoldDto {
  @ApiProperty({
    minLength: 20,
    maxLength: 5000,
    description: 'Why the call must be kept beyond retention, e.g. evidence for an escalation',
  })
  @Transform(trimmed)
  @IsString()
  @MinLength(20, {
    message: 'justification must say why the call is kept (at least 20 characters)',
  })
  @MaxLength(5000)
  justification!: string;

  @ApiProperty({
    example: '2027-01-31',
    description: 'When the hold must be reviewed (a future date)',
  })
  @IsString()
  @Matches(CALENDAR_DATE, { message: 'reviewAt must be a date as YYYY-MM-DD' })
  @IsDateString({ strict: true }, { message: 'reviewAt must be a real calendar date' })
  reviewAt!: string;
}

export class ReleaseHoldDto {
  @ApiProperty({ maxLength: 2000, description: 'Why the call no longer needs keeping' })
  @Transform(trimmed)
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason!: string;
}

export class HoldsQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Only this establishment (default: all of yours)' })
  @IsOptional()
  @Matches(ESTABLISHMENT_CODE, { message: 'establishment must be 3 capital letters' })
  establishment?: string;

  @ApiPropertyOptional({
    description: 'true: only holds past their review date; false: only the others',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    value === 'true' ? true : value === 'false' ? false : value,
  )
  @IsBoolean()
  reviewOverdue?: boolean;
}
