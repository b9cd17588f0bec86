import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsDateString,
  IsEmail,
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
import { KEY_DATE_TYPES, KeyDateType } from './key-dates';

export class KeyDateDto {
  @ApiProperty({ enum: KEY_DATE_TYPES }) @IsIn(KEY_DATE_TYPES) type!: KeyDateType;

  @ApiProperty({ example: '2027-01-10', description: 'A calendar day' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'date must be a day, YYYY-MM-DD' })
  @IsDateString({ strict: true })
  date!: string;
}

/** A calendar day: `YYYY-MM-DD`, a real day of 1900–2100 (the input rules check the range). */
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The prisoner's community offender manager (COM), as probation gives it. */
export class ComDto {
  @ApiProperty({ example: 'Sam Okafor' })
  @IsString()
  @IsNotEmpty({ message: 'name is required: the COM’s name' })
  @MaxLength(200)
  name!: string;

  @ApiProperty({ example: 'sam.okafor@justice.gov.uk' })
  @IsString()
  @MaxLength(254)
  @IsEmail({}, { message: 'email must be an email address, like name@justice.gov.uk' })
  email!: string;

  @ApiPropertyOptional({ example: '0113 496 0000', nullable: true })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsString()
  @MaxLength(40)
  @Matches(/^\+?[0-9 ()-]{6,40}$/, {
    message: 'phone must be a telephone number: digits, spaces, brackets, + and -',
  })
  phone?: string | null;

  @ApiPropertyOptional({ example: 'Leeds North PDU', nullable: true })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  probationDeliveryUnit?: string | null;

  @ApiPropertyOptional({ example: '2026-11-02', nullable: true, description: 'A calendar day' })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @Matches(DAY, { message: 'allocatedOn must be a day, YYYY-MM-DD' })
  @IsDateString({ strict: true })
  allocatedOn?: string | null;
}

/** The COM fields of a prisoner: left out, each stays as it is; null clears it. */
export class ComFieldsDto {
  @ApiPropertyOptional({
    type: ComDto,
    nullable: true,
    description: 'The community offender manager; null: none recorded. Left out: unchanged',
  })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @ValidateNested()
  @Type(() => ComDto)
  com?: ComDto | null;

  @ApiPropertyOptional({
    example: '2027-01-15',
    nullable: true,
    description: 'When the COM takes over (a calendar day); null clears it. Left out: unchanged',
  })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @Matches(DAY, { message: 'handoverDate must be a day, YYYY-MM-DD' })
  @IsDateString({ strict: true })
  handoverDate?: string | null;
}

export class PutPrisonerDto extends ComFieldsDto {
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
