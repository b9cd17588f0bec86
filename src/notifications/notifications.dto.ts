import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDate,
  IsIn,
  IsOptional,
  Matches,
  ValidateNested,
} from 'class-validator';
import { PageQuery } from '../common/pagination';
import {
  ESTABLISHMENT_CODE,
  NOTIFICATION_STATUSES,
  NotificationStatus,
} from '../common/vocabulary';

export class NotificationQuery extends PageQuery {
  @ApiPropertyOptional({
    enum: NOTIFICATION_STATUSES,
    description: 'SENDING: claimed by a sender right now',
  })
  @IsOptional()
  @IsIn(NOTIFICATION_STATUSES)
  status?: NotificationStatus;

  @ApiPropertyOptional({
    example: 'NHI',
    description: 'Only this establishment (default: all of yours)',
  })
  @IsOptional()
  @Matches(ESTABLISHMENT_CODE, { message: 'establishment must be 3 capital letters' })
  establishment?: string;
}

export class DutyEntryDto {
  @ApiProperty({ example: 'sec.manager' })
  @Matches(/^[a-z0-9._-]{2,64}$/i, {
    message: 'username must be 2-64 letters, digits, dot, dash or underscore',
  })
  username!: string;

  @ApiProperty({ example: '2026-12-03T00:00:00Z' })
  @Type(() => Date)
  @IsDate()
  from!: Date;

  @ApiProperty({ example: '2026-12-03T08:00:00Z', description: 'After from' })
  @Type(() => Date)
  @IsDate()
  to!: Date;
}

export class PutDutyRotaDto {
  @ApiProperty({ type: [DutyEntryDto], description: 'Replaces the rota' })
  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => DutyEntryDto)
  entries!: DutyEntryDto[];
}

export class DutyRotaQuery {
  @ApiPropertyOptional({ example: '2026-12-03T03:00:00Z', description: 'Default: now' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  at?: Date;
}
