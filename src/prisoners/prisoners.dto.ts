import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsDateString,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import {
  ESTABLISHMENT_CODE,
  LANGUAGE_CODE,
  PRIVILEGED_KINDS,
  PrivilegedKind,
  Relationship,
  RELATIONSHIPS,
  Restriction,
  RESTRICTIONS,
  ROSH_LEVELS,
  RoshLevel,
} from '../common/vocabulary';
import { KEY_DATE_TYPES, KeyDateType } from '../triage/triage-facts';

export class KeyDateDto {
  @ApiProperty({ enum: KEY_DATE_TYPES }) @IsIn(KEY_DATE_TYPES) type!: KeyDateType;

  @ApiProperty({ example: '2027-01-10', description: 'A calendar day' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'date must be a day, YYYY-MM-DD' })
  @IsDateString({ strict: true })
  date!: string;
}

export class PutPrisonerDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) firstName!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) lastName!: string;

  @ApiProperty({ example: 'NHI' })
  @Matches(ESTABLISHMENT_CODE, { message: 'establishmentCode must be 3 capital letters' })
  establishmentCode!: string;

  @ApiPropertyOptional({ example: ['P55', 'RDV', 'ROH'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Matches(/^[A-Z0-9]{2,6}$/i, {
    each: true,
    message: 'each alert code must be 2-6 letters or digits',
  })
  alertCodes: string[] = [];

  @ApiPropertyOptional({ minimum: 1, maximum: 4, nullable: true })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsInt()
  @Min(1)
  @Max(4)
  mappaCategory?: number | null;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 3,
    nullable: true,
    description: 'null means not set',
  })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsInt()
  @Min(1)
  @Max(3)
  mappaLevel?: number | null;

  @ApiPropertyOptional({ enum: ROSH_LEVELS, nullable: true })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsIn(ROSH_LEVELS)
  roshLevel?: RoshLevel | null;

  @ApiPropertyOptional({ example: '2027-03-01', nullable: true })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsDateString({ strict: true })
  earliestReleaseDate?: string | null;

  @ApiPropertyOptional({
    type: [KeyDateDto],
    description:
      'Release, ROTL, HDC and parole-hearing dates (replaces the list; earliestReleaseDate counts as a RELEASE date too)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => KeyDateDto)
  keyDates: KeyDateDto[] = [];

  @ApiPropertyOptional({
    example: '2026-06-01',
    nullable: true,
    description: 'When the MAPPA level was last reviewed',
  })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsDateString({ strict: true })
  mappaLevelReviewedAt?: string | null;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsString()
  pomUsername?: string | null;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsString()
  leadListenerUsername?: string | null;

  @ApiPropertyOptional({ example: ['en'] })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @Matches(LANGUAGE_CODE, {
    each: true,
    message: 'each language must be an ISO 639-1 code such as "pl"',
  })
  languages: string[] = ['en'];
}

export class CreateContactDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) name!: string;

  @ApiProperty({ enum: RELATIONSHIPS }) @IsIn(RELATIONSHIPS) relationship!: Relationship;

  @ApiProperty({ example: ['07700 900123'] })
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  phoneNumbers!: string[];

  @ApiPropertyOptional() @IsOptional() @IsBoolean() isVictim = false;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() isChild = false;

  @ApiPropertyOptional({ enum: RESTRICTIONS })
  @IsOptional()
  @IsIn(RESTRICTIONS)
  restriction: Restriction = 'NONE';
}

export class PatchContactDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) name?: string;
  @ApiPropertyOptional({ enum: RELATIONSHIPS })
  @IsOptional()
  @IsIn(RELATIONSHIPS)
  relationship?: Relationship;

  @ApiPropertyOptional()
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  phoneNumbers?: string[];

  @ApiPropertyOptional() @IsOptional() @IsBoolean() isVictim?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() isChild?: boolean;
  @ApiPropertyOptional({ enum: RESTRICTIONS })
  @IsOptional()
  @IsIn(RESTRICTIONS)
  restriction?: Restriction;
}

export class CreatePrivilegedNumberDto {
  @ApiProperty({ example: '0207 946 0000' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(30)
  phoneNumber!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) organisation!: string;
  @ApiProperty({ enum: PRIVILEGED_KINDS }) @IsIn(PRIVILEGED_KINDS) kind!: PrivilegedKind;

  @ApiPropertyOptional({ description: 'omitted: national' })
  @IsOptional()
  @Matches(ESTABLISHMENT_CODE, { message: 'establishmentCode must be 3 capital letters' })
  establishmentCode?: string;
}
