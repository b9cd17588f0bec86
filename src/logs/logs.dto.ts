import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import {
  CONCERN_LEVELS,
  ConcernLevel,
  Confidence,
  CONFIDENCES,
  Imminence,
  IMMINENCES,
  LANGUAGE_CODE,
  RECORDING_QUALITIES,
  RecordingQuality,
  Relationship,
  RELATIONSHIPS,
  Theme,
  THEMES,
  THREAT_TYPES,
  ThreatType,
} from '../common/vocabulary';
import { PageQuery } from '../common/pagination';
import { FromTime, ToTime, OptionalEstablishment } from '../common/query-fields';

export class LogContactDto {
  @ApiPropertyOptional({ nullable: true, description: 'A contact already on the prisoner’s list' })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsUUID('all', { message: 'contactId must be the id of one of the prisoner’s contacts' })
  contactId?: string | null;

  @ApiPropertyOptional({ enum: RELATIONSHIPS, description: 'Required when contactId is not given' })
  @IsOptional()
  @IsIn(RELATIONSHIPS)
  relationship?: Relationship;

  @ApiProperty({ enum: CONFIDENCES }) @IsIn(CONFIDENCES) confidence!: Confidence;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() isChild?: boolean;

  @ApiPropertyOptional({ description: 'Name of the person, when the listener learnt it' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;
}

export class LogThemeDto {
  @ApiProperty({ enum: THEMES }) @IsIn(THEMES) code!: Theme;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) note?: string;
}

export class LogThreatDto {
  @ApiProperty({ example: 'partner' })
  @IsString()
  @IsNotEmpty({ message: 'target must say who is threatened' })
  @MaxLength(200)
  target!: string;

  @ApiProperty({ enum: THREAT_TYPES }) @IsIn(THREAT_TYPES) type!: ThreatType;
  @ApiPropertyOptional({ enum: IMMINENCES }) @IsOptional() @IsIn(IMMINENCES) imminence: Imminence =
    'UNSPECIFIED';
  @ApiPropertyOptional({ description: 'The words used, verbatim' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  quote?: string;
}

/** What a listener records about a call (the log), without the lease token. */
export class LogContentDto {
  @ApiProperty({ type: LogContactDto })
  @IsDefined({ message: 'contact is required: say who was called' })
  @ValidateNested()
  @Type(() => LogContactDto)
  contact!: LogContactDto;

  @ApiProperty({ type: [LogThemeDto] })
  @IsArray()
  @ArrayMaxSize(15)
  @ValidateNested({ each: true })
  @Type(() => LogThemeDto)
  themes!: LogThemeDto[];

  @ApiPropertyOptional({ type: [LogThreatDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => LogThreatDto)
  threats: LogThreatDto[] = [];

  @ApiProperty({ enum: CONCERN_LEVELS }) @IsIn(CONCERN_LEVELS) concernLevel!: ConcernLevel;

  @ApiProperty({ minLength: 40 }) @IsString() @MaxLength(10000) summary!: string;

  @ApiProperty({ enum: RECORDING_QUALITIES })
  @IsIn(RECORDING_QUALITIES)
  recordingQuality!: RecordingQuality;

  @ApiPropertyOptional({ example: 'en' })
  @IsOptional()
  @Matches(LANGUAGE_CODE, { message: 'language must be an ISO 639-1 code such as "en"' })
  language?: string;
}

export class SubmitLogDto extends LogContentDto {
  @ApiProperty({ description: 'The lease token from the claim' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  token!: string;
}

export class AmendLogDto extends LogContentDto {
  @ApiProperty({ description: 'Why the log is amended (kept with the new version)' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason!: string;
}

export class PrisonerLogsQuery extends PageQuery {
  @FromTime()
  from?: Date;
  @ToTime()
  to?: Date;
  @ApiPropertyOptional({ enum: THEMES })
  @IsOptional()
  @IsIn(THEMES)
  theme?: Theme;
}

export class TasksQuery {
  @OptionalEstablishment()
  establishment?: string;
  @ApiPropertyOptional({ enum: ['OPEN', 'RESOLVED'], default: 'OPEN' })
  @IsOptional()
  @IsIn(['OPEN', 'RESOLVED'])
  status: 'OPEN' | 'RESOLVED' = 'OPEN';
}

export class ResolveTaskDto {
  @ApiProperty({ description: 'Who the number belongs to, and what was done' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  note!: string;
}
