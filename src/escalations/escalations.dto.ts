import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDate,
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
import { PageQuery } from '../common/pagination';
import {
  CONCERN_LEVELS,
  ConcernLevel,
  ESCALATION_OUTCOMES,
  ESCALATION_STATUSES,
  ESCALATION_TARGETS,
  EscalationOutcome,
  EscalationStatus,
  EscalationTarget,
  ESTABLISHMENT_CODE,
  MAPPA_LEVELS,
  MAPPA_OUTCOMES,
  MappaOutcome,
  PRISON_NUMBER,
  SHARE_CHANNELS,
  ShareChannel,
} from '../common/vocabulary';

/** What closes an escalation: a v1 outcome (any target), or a MAPPA level review's outcome. */
export const CLOSE_OUTCOMES = [...ESCALATION_OUTCOMES, ...MAPPA_OUTCOMES] as const;

export const isMappaOutcome = (outcome: unknown): outcome is MappaOutcome =>
  (MAPPA_OUTCOMES as readonly unknown[]).includes(outcome);

const toBoolean = ({ value }: { value: unknown }) =>
  value === 'true' ? true : value === 'false' ? false : value;

export class EscalationQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ESCALATION_TARGETS })
  @IsOptional()
  @IsIn(ESCALATION_TARGETS)
  target?: EscalationTarget;
  @ApiPropertyOptional({ enum: ESCALATION_STATUSES })
  @IsOptional()
  @IsIn(ESCALATION_STATUSES)
  status?: EscalationStatus;
  @ApiPropertyOptional({
    example: 'NHI',
    description: 'Only this establishment (default: all of yours)',
  })
  @IsOptional()
  @Matches(ESTABLISHMENT_CODE, { message: 'establishment must be 3 capital letters' })
  establishment?: string;
  @ApiPropertyOptional({ example: 'A1234BC' })
  @IsOptional()
  @Matches(PRISON_NUMBER, { message: 'prisonNumber must look like A1234BC' })
  prisonNumber?: string;
  @ApiPropertyOptional({ description: 'true: only those you raised or that are assigned to you' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  mine?: boolean;
  @ApiPropertyOptional({ description: 'true: only those past their due time' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  overdue?: boolean;
}

export class CloseEscalationDto {
  @ApiProperty({
    enum: CLOSE_OUTCOMES,
    description:
      'A MAPPA escalation closes with what its level review decided: LEVEL_CHANGED (with mappaLevel), ' +
      'LEVEL_CONFIRMED, CATEGORY_3_REFERRED or NO_ACTION, and a rationale; those close nothing else',
  })
  @IsIn(CLOSE_OUTCOMES)
  outcome!: EscalationOutcome | MappaOutcome;

  @ApiPropertyOptional({ description: 'Required when the outcome is OTHER' })
  @ValidateIf((o: CloseEscalationDto) => o.outcome === 'OTHER' || o.note !== undefined)
  @IsString()
  @IsNotEmpty({ message: 'note is required when the outcome is OTHER: say what was done' })
  @MaxLength(5000)
  note?: string;

  @ApiPropertyOptional({
    enum: MAPPA_LEVELS,
    example: 2,
    description: 'The new MAPPA level: required when the outcome is LEVEL_CHANGED, and only then',
  })
  @ValidateIf(
    (o: CloseEscalationDto) => o.outcome === 'LEVEL_CHANGED' || o.mappaLevel !== undefined,
  )
  @IsIn(MAPPA_LEVELS, {
    message:
      'mappaLevel must be 1, 2 or 3: the new level is required when the outcome is LEVEL_CHANGED',
  })
  mappaLevel?: number;

  @ApiPropertyOptional({ description: 'Why the review decided so: required for a MAPPA outcome' })
  @ValidateIf((o: CloseEscalationDto) => isMappaOutcome(o.outcome) || o.rationale !== undefined)
  @IsString()
  @IsNotEmpty({ message: 'rationale is required for a MAPPA outcome: say why' })
  @MaxLength(5000)
  rationale?: string;
}

export class ManualEscalationDto {
  @ApiProperty({ enum: ESCALATION_TARGETS }) @IsIn(ESCALATION_TARGETS) target!: EscalationTarget;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(2000) reason!: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true })
  logIds: string[] = [];

  @ApiPropertyOptional({ enum: CONCERN_LEVELS, default: 'MEDIUM' })
  @IsOptional()
  @IsIn(CONCERN_LEVELS)
  concernLevel: ConcernLevel = 'MEDIUM';
}

export class MeetingItemDto {
  @ApiProperty() @IsUUID() escalationId!: string;
  @ApiProperty({ enum: ['CLOSE', 'CARRY_FORWARD'] }) @IsIn(['CLOSE', 'CARRY_FORWARD']) decision!:
    'CLOSE' | 'CARRY_FORWARD';

  @ApiPropertyOptional({ enum: ESCALATION_OUTCOMES, description: 'Required to close' })
  @ValidateIf((o: MeetingItemDto) => o.decision === 'CLOSE')
  @IsIn(ESCALATION_OUTCOMES, { message: 'outcome is required to close an item' })
  outcome?: EscalationOutcome;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(5000) note?: string;
}

export class RecordMeetingDto {
  @ApiProperty()
  @Matches(ESTABLISHMENT_CODE, { message: 'establishmentCode must be 3 capital letters' })
  establishmentCode!: string;
  @ApiProperty() @Type(() => Date) @IsDate() heldAt!: Date;

  @ApiProperty({ type: [String], example: ['Head of OMU', 'Security manager', 'POM'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  attendees!: string[];

  @ApiProperty({ type: [MeetingItemDto] })
  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => MeetingItemDto)
  items!: MeetingItemDto[];
}

export class AgendaQuery {
  @ApiProperty({ example: 'NHI' })
  @Matches(ESTABLISHMENT_CODE, { message: 'establishment must be 3 capital letters' })
  establishment!: string;
}

/** What the POM shared with the community offender manager on a COM escalation, and how. */
export class ShareWithComDto {
  @ApiProperty({ enum: SHARE_CHANNELS }) @IsIn(SHARE_CHANNELS) channel!: ShareChannel;

  @ApiProperty({
    example: '2026-12-03T10:30:00Z',
    description: 'When it was shared; not later than now',
  })
  @Type(() => Date)
  @IsDate()
  sharedAt!: Date;

  @ApiProperty({ description: 'What was shared with the COM' })
  @IsString()
  @IsNotEmpty({ message: 'summary is required: say what was shared' })
  @MaxLength(5000)
  summary!: string;

  @ApiPropertyOptional({ description: 'The COM’s response, when there was one' })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  response?: string;
}
