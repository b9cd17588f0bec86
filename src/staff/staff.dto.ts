import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsDateString,
  IsEmail,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { PageQuery } from '../common/pagination';
import {
  ESCALATION_NOTICE_MODES,
  EscalationNoticeMode,
  ESTABLISHMENT_CODE,
  LANGUAGE_CODE,
  Role,
  ROLES,
  Training,
  TRAININGS,
} from '../common/vocabulary';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A training with its dates (issue 13): `{ "code", "completedOn"?, "expiresOn"? }`. */
export class TrainingRecordDto {
  @ApiProperty({ enum: TRAININGS })
  @IsIn(TRAININGS)
  code!: Training;

  @ApiPropertyOptional({
    type: String,
    example: '2026-02-01',
    nullable: true,
    description: 'A calendar day',
  })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @Matches(DAY, { message: 'completedOn must be a day, YYYY-MM-DD' })
  @IsDateString({ strict: true })
  completedOn?: string | null;

  @ApiPropertyOptional({
    type: String,
    example: '2028-02-01',
    nullable: true,
    description:
      'The first day the training no longer counts (London date); omitted or null: it does not lapse',
  })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @Matches(DAY, { message: 'expiresOn must be a day, YYYY-MM-DD' })
  @IsDateString({ strict: true })
  expiresOn?: string | null;
}

/**
 * A training given as a plain code, as before trainings had dates: it keeps the dates already
 * recorded for that code (a client that knows nothing of dates never erases them), else has none.
 */
export class TrainingCodeDto extends TrainingRecordDto {}

/** Plain codes become TrainingCodeDto, so that every item is validated as a record. */
const codesAsRecords = ({ value }: { value: unknown }): unknown =>
  Array.isArray(value)
    ? value.map((v: unknown) =>
        typeof v === 'string' ? Object.assign(new TrainingCodeDto(), { code: v }) : v,
      )
    : value;

/** How notifications reach the member of staff (issue 14, item 5). */
export class NotificationPreferencesDto {
  @ApiProperty({
    enum: ESCALATION_NOTICE_MODES,
    description:
      'New and reopened escalations by email at once, or in the daily digest; security and safer-custody ones are always at once',
  })
  @IsIn(ESCALATION_NOTICE_MODES)
  escalations!: EscalationNoticeMode;
}

@ApiExtraModels(TrainingRecordDto)
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

  @ApiPropertyOptional({
    type: 'array',
    items: {
      oneOf: [{ type: 'string', enum: [...TRAININGS] }, { $ref: getSchemaPath(TrainingRecordDto) }],
    },
    example: [
      'PUBLIC_PROTECTION',
      { code: 'DOMESTIC_ABUSE', completedOn: '2026-02-01', expiresOn: '2028-02-01' },
    ],
    description:
      'Codes, or records with dates; a plain code keeps the dates already recorded for it. Replaces the list.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(TRAININGS.length)
  @ArrayUnique((t: TrainingRecordDto | null) => t?.code, {
    message: 'trainings must not repeat a training',
  })
  @Type(() => TrainingRecordDto)
  @Transform(codesAsRecords, { toClassOnly: true })
  @ValidateNested({ each: true })
  trainings: TrainingRecordDto[] = [];

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

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'jo.bloggs@justice.gov.uk',
    description: 'Where notifications are emailed; omitted keeps it, null removes it',
  })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsEmail({}, { message: 'email must be an email address, like name@justice.gov.uk' })
  @MaxLength(320)
  email?: string | null;

  @ApiPropertyOptional({
    type: NotificationPreferencesDto,
    description: 'How notifications reach them; omitted keeps it (IMMEDIATE for a new account)',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => NotificationPreferencesDto)
  notifications?: NotificationPreferencesDto;
}

/** What a member of staff changes on "my notification settings". */
export class MyNotificationSettingsDto {
  @ApiPropertyOptional({ type: String, nullable: true, example: 'jo.bloggs@justice.gov.uk' })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsEmail({}, { message: 'email must be an email address, like name@justice.gov.uk' })
  @MaxLength(320)
  email?: string | null;

  @ApiProperty({ type: NotificationPreferencesDto })
  @ValidateNested()
  @Type(() => NotificationPreferencesDto)
  notifications!: NotificationPreferencesDto;
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
