import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { PageQuery } from '../common/pagination';
import { ESTABLISHMENT_CODE, LANGUAGE_CODE } from '../common/vocabulary';

export const TRANSLATION_STATUSES = ['REQUESTED', 'SENT', 'TRANSLATED', 'CANCELLED'] as const;
export type TranslationStatus = (typeof TRANSLATION_STATUSES)[number];
/** A request still with the prison or the interpreting service: at most one per call. */
export const LIVE_TRANSLATION_STATUSES: readonly TranslationStatus[] = ['REQUESTED', 'SENT'];

/** The shortest translated summary a listener can act on, as for a monitoring log's summary. */
export const MIN_TRANSLATED_SUMMARY = 40;

const trimmed = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim() : value;

export class CompleteTranslationDto {
  @ApiProperty({
    maxLength: 200,
    description: 'Who translated the call: the interpreter, or the service and its reference',
    example: 'Jan Kowalski (Interpreting Services Ltd, ref 4471)',
  })
  @Transform(trimmed)
  @IsString()
  @IsNotEmpty({ message: 'translator must name who translated the call' })
  @MaxLength(200)
  translator!: string;

  @ApiProperty({
    minLength: MIN_TRANSLATED_SUMMARY,
    maxLength: 10000,
    description: 'What was said, in English: who was called, what about, anything of concern',
  })
  @Transform(trimmed)
  @IsString()
  @MinLength(MIN_TRANSLATED_SUMMARY, {
    message: `translatedSummary must say what was said (at least ${MIN_TRANSLATED_SUMMARY} characters)`,
  })
  @MaxLength(10000)
  translatedSummary!: string;
}

export class CancelTranslationDto {
  @ApiProperty({ maxLength: 2000, description: 'Why the call no longer needs translating' })
  @Transform(trimmed)
  @IsString()
  @IsNotEmpty({ message: 'reason must say why the request is cancelled' })
  @MaxLength(2000)
  reason!: string;
}

export class TranslationRequestsQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Only this establishment (default: all of yours)' })
  @IsOptional()
  @Matches(ESTABLISHMENT_CODE, { message: 'establishment must be 3 capital letters' })
  establishment?: string;

  @ApiPropertyOptional({
    enum: TRANSLATION_STATUSES,
    description: 'Only requests in this status (default: the live ones, REQUESTED and SENT)',
  })
  @IsOptional()
  @IsIn(TRANSLATION_STATUSES, {
    message: `status must be one of ${TRANSLATION_STATUSES.join(', ')}`,
  })
  status?: TranslationStatus;

  @ApiPropertyOptional({ description: 'Only calls in this language (ISO 639-1, e.g. pl)' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.toLowerCase() : value,
  )
  @Matches(LANGUAGE_CODE, { message: 'language must be an ISO 639-1 code such as "pl"' })
  language?: string;
}

export class TranslationBacklogQuery {
  @ApiProperty({ example: 'NHI' })
  @Matches(ESTABLISHMENT_CODE, { message: 'establishment must be 3 capital letters' })
  establishment!: string;
}
