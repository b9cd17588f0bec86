import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { PageQuery } from '../common/pagination';
import { MAX_BATCH } from './call-record';
import { CALL_STATUSES, CallStatus, ESTABLISHMENT_CODE, PRISON_NUMBER } from '../common/vocabulary';
import { FromTime, ToTime, OptionalEstablishment } from '../common/query-fields';

export class CallsQuery extends PageQuery {
  @ApiPropertyOptional({ example: 'A1234BC' })
  @IsOptional()
  @Matches(PRISON_NUMBER, { message: 'prisonNumber must look like A1234BC' })
  prisonNumber?: string;
  @ApiPropertyOptional({ enum: CALL_STATUSES })
  @IsOptional()
  @IsIn(CALL_STATUSES)
  status?: CallStatus;
  @OptionalEstablishment()
  establishment?: string;
  @FromTime()
  from?: Date;
  @ToTime()
  to?: Date;
}

/** One segment of a provider's transcript. */
export class TranscriptSegmentDto {
  @ApiPropertyOptional({ minimum: 0, description: 'Seconds from the start of the call' })
  at?: number;
  @ApiProperty() text!: string;
}

export class TranscriptDto {
  @ApiProperty({ type: [TranscriptSegmentDto] }) segments!: TranscriptSegmentDto[];
}

/**
 * One call record of a batch, for the document only: each record is checked on its own by
 * `checkCallRecord` (src/calls/call-record.ts), so that one bad record never sinks the batch.
 */
export class CallRecordDto {
  @ApiProperty({
    example: 'BT-000123',
    maxLength: 100,
    description: 'The feed’s id: a repeat is a duplicate',
  })
  externalId!: string;
  @ApiProperty({ example: 'A1234BC', pattern: PRISON_NUMBER.source }) prisonNumber!: string;
  @ApiProperty({ example: 'NHI', pattern: ESTABLISHMENT_CODE.source }) establishmentCode!: string;
  @ApiProperty({
    example: '07700900123',
    maxLength: 30,
    description: 'UK national or international form',
  })
  dialledNumber!: string;
  @ApiProperty({
    example: '2026-11-20T18:04:00Z',
    format: 'date-time',
    description: 'With a zone; not in the future',
  })
  startedAt!: string;
  @ApiProperty({ example: 412, minimum: 0, maximum: 86400 }) durationSeconds!: number;
  @ApiPropertyOptional({ enum: ['PHONE', 'VIDEO'], default: 'PHONE' }) channel?: 'PHONE' | 'VIDEO';
  @ApiPropertyOptional({
    example: 'rec/2026/11/20/BT-000123.ogg',
    nullable: true,
    maxLength: 500,
    description: 'Relative path inside the recordings store',
  })
  recordingRef?: string | null;
  @ApiPropertyOptional({ example: 'en', nullable: true, description: 'ISO 639-1' })
  language?: string | null;
  @ApiPropertyOptional({
    nullable: true,
    oneOf: [{ type: 'string' }, { $ref: '#/components/schemas/TranscriptDto' }],
    description: 'Plain text or segments',
  })
  transcript?: string | TranscriptDto | null;
}

export class IngestBatchDto {
  @ApiProperty({ type: [CallRecordDto], maxItems: MAX_BATCH, minItems: 1 }) calls!: CallRecordDto[];
}
