/** The body of POST /api/simulations (API.md, "Simulation"). */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  Matches,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { ESTABLISHMENT_CODE, LANGUAGE_CODE, Training, TRAININGS } from '../common/vocabulary';
import { SlaHoursDto } from '../establishments/settings.dto';
import { POLICY_KINDS, PolicyKind, Weekday, WEEKDAYS } from './model';

/** The longest period one request simulates. */
export const MAX_PERIOD_DAYS = 92;
export const SOURCE_KINDS = ['HISTORY', 'SYNTHETIC'] as const;
export const HANDLING_KINDS = ['OBSERVED', 'FIXED'] as const;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const isHistory = (o: SourceDto) => o.kind === 'HISTORY';
const isSynthetic = (o: SourceDto) => o.kind === 'SYNTHETIC';

export class SourceDto {
  @ApiProperty({ enum: SOURCE_KINDS })
  @IsIn(SOURCE_KINDS, { message: 'kind must be HISTORY or SYNTHETIC' })
  kind!: (typeof SOURCE_KINDS)[number];

  @ApiPropertyOptional({ example: '2026-10-01', description: 'HISTORY: first day (London)' })
  @ValidateIf(isHistory)
  @Matches(DAY, { message: 'from must be a date, YYYY-MM-DD' })
  from?: string;

  @ApiPropertyOptional({
    example: '2026-10-31',
    description: `HISTORY: last day (London), included; at most ${MAX_PERIOD_DAYS} days after from`,
  })
  @ValidateIf(isHistory)
  @Matches(DAY, { message: 'to must be a date, YYYY-MM-DD' })
  to?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PERIOD_DAYS, description: 'SYNTHETIC: days' })
  @ValidateIf(isSynthetic)
  @IsInt()
  @Min(1)
  @Max(MAX_PERIOD_DAYS, { message: `days must be at most ${MAX_PERIOD_DAYS}` })
  days?: number;

  @ApiPropertyOptional({
    minimum: 0.1,
    maximum: 5,
    default: 1,
    description: 'SYNTHETIC: prisoners, as a multiple of a prison of the national average size',
  })
  @ValidateIf((o: SourceDto) => isSynthetic(o) && o.scale !== undefined)
  @IsNumber()
  @Min(0.1)
  @Max(5)
  scale?: number;

  @ApiPropertyOptional({
    minimum: 0.1,
    maximum: 10,
    description:
      'SYNTHETIC: monitored calls as a multiple of what the plan can hear (2 = twice); without it, the generator’s own rate',
  })
  @ValidateIf((o: SourceDto) => isSynthetic(o) && o.overload !== undefined)
  @IsNumber()
  @Min(0.1)
  @Max(10)
  overload?: number;

  @ApiPropertyOptional({ description: 'SYNTHETIC: the same seed gives the same calls' })
  @ValidateIf((o: SourceDto) => isSynthetic(o) && o.seed !== undefined)
  @IsInt()
  @Min(0)
  @Max(2 ** 31)
  seed?: number;
}

export class StaffingRowDto {
  @ApiProperty({ minimum: 1, maximum: 500 })
  @IsInt({ message: 'listeners must be a whole number' })
  @Min(1, { message: 'listeners must be at least 1' })
  @Max(500)
  listeners!: number;

  @ApiProperty({ enum: WEEKDAYS, isArray: true })
  @IsArray()
  @ArrayMinSize(1, { message: 'days must name at least one day' })
  @ArrayUnique()
  @IsIn(WEEKDAYS, { each: true, message: 'days must be MON, TUE, WED, THU, FRI, SAT or SUN' })
  days!: Weekday[];

  @ApiProperty({ example: '08:00', description: 'London time' })
  @Matches(HH_MM, { message: 'start must be a time, HH:MM' })
  start!: string;

  @ApiProperty({ example: '16:00', description: 'London time, after start ("24:00" is midnight)' })
  @Matches(HH_MM, { message: 'end must be a time, HH:MM' })
  end!: string;

  @ApiPropertyOptional({ enum: TRAININGS, isArray: true, default: [] })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(TRAININGS, { each: true })
  trainings: Training[] = [];

  @ApiPropertyOptional({ example: ['en', 'pl'], default: [] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @Matches(LANGUAGE_CODE, { each: true, message: 'languages must be two-letter codes' })
  languages: string[] = [];
}

export class HandlingDto {
  @ApiProperty({ enum: HANDLING_KINDS })
  @IsIn(HANDLING_KINDS, { message: 'kind must be OBSERVED or FIXED' })
  kind!: (typeof HANDLING_KINDS)[number];

  @ApiPropertyOptional({ minimum: 1, maximum: 240, description: 'FIXED: mean minutes a call' })
  @ValidateIf((o: HandlingDto) => o.kind === 'FIXED')
  @IsNumber()
  @Min(1)
  @Max(240)
  meanMinutes?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 240, description: 'FIXED: standard deviation' })
  @ValidateIf((o: HandlingDto) => o.kind === 'FIXED')
  @IsNumber()
  @Min(0)
  @Max(240)
  sdMinutes?: number;
}

/** The settings the CURRENT run may change (the others keep the establishment's). */
export class SimulationSettingsDto {
  @ApiPropertyOptional({ type: SlaHoursDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => SlaHoursDto)
  slaHours?: SlaHoursDto;

  @ApiPropertyOptional({ type: SlaHoursDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => SlaHoursDto)
  mailSlaHours?: SlaHoursDto;

  @ApiPropertyOptional({ minimum: 0, maximum: 168 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(168)
  continuityCreditHours?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 90 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(90)
  retentionDays?: number;
}

export class SimulationRequestDto {
  @ApiProperty({ example: 'NHI' })
  @Matches(ESTABLISHMENT_CODE, { message: 'establishment must be 3 capital letters' })
  establishment!: string;

  @ApiProperty({ type: SourceDto })
  @ValidateNested()
  @Type(() => SourceDto)
  source!: SourceDto;

  @ApiProperty({ type: [StaffingRowDto] })
  @IsArray()
  @ArrayMinSize(1, { message: 'staffing must have at least one row' })
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => StaffingRowDto)
  staffing!: StaffingRowDto[];

  @ApiProperty({ type: HandlingDto })
  @ValidateNested()
  @Type(() => HandlingDto)
  handling!: HandlingDto;

  @ApiProperty({ enum: POLICY_KINDS, isArray: true, example: ['CURRENT', 'FIFO', 'MAPPA_LEVEL'] })
  @IsArray()
  @ArrayMinSize(1, { message: 'policies must name at least one policy' })
  @ArrayUnique({ message: 'policies must not repeat a policy' })
  @IsIn(POLICY_KINDS, { each: true, message: 'policies must be CURRENT, FIFO or MAPPA_LEVEL' })
  policies!: PolicyKind[];

  @ApiPropertyOptional({
    type: SimulationSettingsDto,
    description: "Overrides the establishment's settings for the CURRENT run only",
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => SimulationSettingsDto)
  settings?: SimulationSettingsDto;
}
