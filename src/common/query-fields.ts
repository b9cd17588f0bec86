import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsOptional, Matches } from 'class-validator';
import { ESTABLISHMENT_CODE } from './vocabulary';

/** The query fields that several listings share, documented and checked the same way everywhere. */

/** `from`: an optional ISO 8601 instant, inclusive. */
export const FromTime = () =>
  applyDecorators(
    ApiPropertyOptional({
      type: String,
      format: 'date-time',
      description: 'From this time (ISO 8601)',
    }),
    IsOptional(),
    Type(() => Date),
    IsDate(),
  );

/** `to`: an optional ISO 8601 instant, exclusive. */
export const ToTime = () =>
  applyDecorators(
    ApiPropertyOptional({
      type: String,
      format: 'date-time',
      description: 'Before this time (ISO 8601)',
    }),
    IsOptional(),
    Type(() => Date),
    IsDate(),
  );

/** `establishment`: one of the caller's establishments; without it, all of them. */
export const OptionalEstablishment = () =>
  applyDecorators(
    ApiPropertyOptional({
      example: 'NHI',
      description: 'Only this establishment (default: all of yours)',
    }),
    IsOptional(),
    Matches(ESTABLISHMENT_CODE, { message: 'establishment must be 3 capital letters' }),
  );
