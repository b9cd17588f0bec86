import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { PageQuery } from '../common/pagination';
import {
  ESTABLISHMENT_CODE,
  LANGUAGE_CODE,
  Role,
  ROLES,
  Training,
  TRAININGS,
} from '../common/vocabulary';

export class PutStaffDto {
  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  displayName!: string;

  @ApiPropertyOptional({
    description: 'Sets or replaces the password; omitted keeps the current one',
  })
  @IsOptional()
  @IsString()
  @MinLength(12)
  @MaxLength(200)
  password?: string;

  @ApiProperty({ enum: ROLES, isArray: true })
  @IsArray()
  @ArrayUnique()
  @IsIn(ROLES, { each: true })
  roles!: Role[];

  @ApiProperty({ example: ['NHI'] })
  @IsArray()
  @ArrayUnique()
  @Matches(ESTABLISHMENT_CODE, {
    each: true,
    message: 'each establishment must be 3 capital letters',
  })
  establishments!: string[];

  @ApiPropertyOptional({ enum: TRAININGS, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(TRAININGS, { each: true })
  trainings: Training[] = [];

  @ApiPropertyOptional({ example: ['pl'], description: 'ISO 639-1; English is assumed' })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @Matches(LANGUAGE_CODE, {
    each: true,
    message: 'each language must be an ISO 639-1 code such as "pl"',
  })
  languages: string[] = [];

  @ApiPropertyOptional({
    description:
      'false switches the account off (no sign-in; its tokens and sessions stop within seconds); omitted keeps it as it is (true for a new account)',
  })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class StaffQuery extends PageQuery {
  @ApiPropertyOptional({
    example: 'NHI',
    description: 'Only this establishment (default: all of yours)',
  })
  @IsOptional()
  @Matches(ESTABLISHMENT_CODE)
  establishment?: string;

  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;
}
