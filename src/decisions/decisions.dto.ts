import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { PageQuery } from '../common/pagination';
import { ESTABLISHMENT_CODE } from '../common/vocabulary';
import { RequestAuthorisationDto } from '../monitoring/monitoring.dto';

export const DECISION_STATUSES = ['DUE', 'DECIDED'] as const;
export type DecisionStatus = (typeof DECISION_STATUSES)[number];
export const MONITORING_DECISIONS = ['MONITOR', 'DO_NOT_MONITOR'] as const;
export type MonitoringDecision = (typeof MONITORING_DECISIONS)[number];

export class MonitoringDecisionQuery extends PageQuery {
  @ApiPropertyOptional({ example: 'NHI', description: 'omitted: every establishment you work at' })
  @IsOptional()
  @Matches(ESTABLISHMENT_CODE, { message: 'establishment must be 3 capital letters' })
  establishment?: string;

  @ApiPropertyOptional({ enum: DECISION_STATUSES })
  @IsOptional()
  @IsIn(DECISION_STATUSES)
  status?: DecisionStatus;
}

export class DecideMonitoringDto {
  @ApiProperty({ enum: MONITORING_DECISIONS })
  @IsIn(MONITORING_DECISIONS)
  decision!: MonitoringDecision;

  @ApiProperty({
    description: 'Why: what the markers mean for this prisoner, and why this decision',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(5000)
  rationale!: string;

  @ApiPropertyOptional({
    type: RequestAuthorisationDto,
    description:
      'With MONITOR (required): the monitoring request to open, approved by another person',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => RequestAuthorisationDto)
  authorisation?: RequestAuthorisationDto;
}

/** A decision as the API answers it (mapped in decisions.mapper.ts). */
export interface MonitoringDecisionResponse {
  id: string;
  prisonNumber: string;
  establishmentCode: string;
  /** Why the decision is asked for, in words. */
  reason: string;
  /** Public-protection markers (PROTECTION_MARKERS). */
  markers: string[];
  openedAt: Date;
  dueAt: Date;
  overdue: boolean;
  status: DecisionStatus;
  decision: MonitoringDecision | null;
  rationale: string | null;
  decidedBy: string | null;
  decidedAt: Date | null;
  /** The monitoring request it opened. */
  authorisationId: string | null;
  /** The decision not to monitor it reopens. */
  reopens: string | null;
}
