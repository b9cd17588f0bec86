import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsDate,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
} from 'class-validator';
import { PageQuery } from '../common/pagination';
import { LANGUAGE_CODE } from '../common/vocabulary';

export const MAIL_DIRECTIONS = ['INCOMING', 'OUTGOING'] as const;
export type MailDirection = (typeof MAIL_DIRECTIONS)[number];

/**
 * Who a letter is to or from. Every kind but PERSONAL and OTHER is privileged correspondence
 * (Prison Rule 39): the same list as RULE_39_KINDS in src/triage/triage.repository.ts.
 */
export const CORRESPONDENT_KINDS = [
  'PERSONAL',
  'LEGAL_ADVISER',
  'COURT',
  'MP',
  'OMBUDSMAN',
  'CCRC',
  'OTHER_PRIVILEGED',
  'OTHER',
] as const;
export type CorrespondentKind = (typeof CORRESPONDENT_KINDS)[number];

/**
 * A relative path inside the recordings store, by the rules of `recordingRef` at ingest
 * (src/calls/call-record.ts): not absolute, no `..` segment, no NUL.
 */
const RELATIVE_PATH = /^(?![\\/])(?!(?:.*[\\/])?\.\.(?:[\\/]|$))[^\0]+$/;

const trimmed = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim() : value;

export class RecordMailItemDto {
  @ApiProperty({ enum: MAIL_DIRECTIONS })
  @IsIn(MAIL_DIRECTIONS, { message: 'direction must be INCOMING or OUTGOING' })
  direction!: MailDirection;

  @ApiProperty({ description: 'Name and address of the correspondent, as on the envelope' })
  @Transform(trimmed)
  @IsString()
  @IsNotEmpty({ message: 'correspondent is required' })
  @MaxLength(500)
  correspondent!: string;

  @ApiPropertyOptional({
    enum: CORRESPONDENT_KINDS,
    default: 'PERSONAL',
    description:
      'Every kind but PERSONAL and OTHER is privileged correspondence (Rule 39): never queued, never read',
  })
  @IsOptional()
  @IsIn(CORRESPONDENT_KINDS)
  correspondentKind: CorrespondentKind = 'PERSONAL';

  @ApiProperty({ description: 'When the mail room received (or the prisoner handed in) the item' })
  @Type(() => Date)
  @IsDate({ message: 'receivedAt must be an ISO-8601 time, e.g. 2026-11-20T09:30:00Z' })
  receivedAt!: Date;

  @ApiPropertyOptional({ description: 'Relative path of the scan in the recordings store' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  @Matches(RELATIVE_PATH, {
    message: 'scanRef must be a relative path inside the recordings store',
  })
  scanRef?: string;

  @ApiPropertyOptional({ description: "ISO 639-1 code; default the prisoner's first language" })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.toLowerCase() : value,
  )
  @IsString()
  @Matches(LANGUAGE_CODE, { message: 'language must be an ISO 639-1 code such as "en" or "pl"' })
  language?: string;
}

export class MailItemsQuery extends PageQuery {}
