import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
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
import { ESTABLISHMENT_CODE, PRISON_NUMBER } from '../common/vocabulary';
import { SUMMARY_FORMATS, SummaryFormat } from './monitoring-summary';
import { ANALYSIS_MAX_LENGTH } from './pre-release-digest';

export class PreReleaseDigestQuery {
  @ApiPropertyOptional({
    enum: SUMMARY_FORMATS,
    description: 'Overrides the Accept header (application/json, text/html, application/pdf)',
  })
  @IsOptional()
  @IsIn(SUMMARY_FORMATS)
  format?: SummaryFormat;
}

/** The digest as the POM sent it to the COM: to whom, with their analysis, when. */
export class DigestSentDto {
  @ApiProperty({
    example: 'Sam Okafor <sam.okafor@justice.gov.uk>',
    description: 'Who it was sent to (the COM, usually)',
  })
  @IsString()
  @IsNotEmpty({ message: 'to is required: say who the digest was sent to' })
  @MaxLength(320)
  to!: string;

  @ApiProperty({ description: 'The POM’s analysis of what monitoring heard, sent with the digest' })
  @IsString()
  @IsNotEmpty({ message: 'analysis is required: add your analysis of what was heard' })
  @MaxLength(ANALYSIS_MAX_LENGTH)
  analysis!: string;

  @ApiProperty({
    example: '2026-12-03T10:30:00Z',
    description: 'When it was sent; not later than now',
  })
  @Type(() => Date)
  @IsDate()
  sentAt!: Date;
}

export class DisclosureQuery extends PageQuery {
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
}
