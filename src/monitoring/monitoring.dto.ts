import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsDate,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { PageQuery } from '../common/pagination';
import {
  AUTHORISATION_STATUSES,
  AUTHORISATION_TYPES,
  AuthorisationStatus,
  AuthorisationType,
  Channel,
  CHANNELS,
  ESTABLISHMENT_CODE,
  Ground,
  GROUNDS,
  PRISON_NUMBER,
} from '../common/vocabulary';

export class RequestAuthorisationDto {
  @ApiProperty({ enum: AUTHORISATION_TYPES }) @IsIn(AUTHORISATION_TYPES) type!: AuthorisationType;

  @ApiProperty({ enum: GROUNDS, isArray: true, description: 'Prison rule 35A(4) grounds' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(GROUNDS, { each: true })
  grounds!: Ground[];

  @ApiProperty({ enum: CHANNELS, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(CHANNELS, { each: true })
  channels!: Channel[];

  @ApiProperty({ description: 'Why monitoring is necessary and proportionate' })
  @IsString()
  @MinLength(20, {
    message: 'justification must set out necessity and proportionality (at least 20 characters)',
  })
  @MaxLength(5000)
  justification!: string;

  @ApiPropertyOptional() @IsOptional() @Type(() => Date) @IsDate() startsAt?: Date;
  @ApiPropertyOptional() @IsOptional() @Type(() => Date) @IsDate() endsAt?: Date;

  @ApiPropertyOptional({ minimum: 0, maximum: 90, default: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(90)
  lookbackDays = 0;
}

export class ApproveAuthorisationDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) note?: string;
}

export class ReviewAuthorisationDto {
  @ApiProperty({ enum: ['CONTINUE', 'END'] }) @IsIn(['CONTINUE', 'END']) decision!:
    'CONTINUE' | 'END';
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(5000) rationale!: string;
  @ApiPropertyOptional() @IsOptional() @Type(() => Date) @IsDate() nextReviewDueAt?: Date;
}

export class EndAuthorisationDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(2000) reason!: string;
}

export class AuthorisationQuery extends PageQuery {
  @ApiPropertyOptional({
    example: 'NHI',
    description: 'Only this establishment (default: all of yours)',
  })
  @IsOptional()
  @Matches(ESTABLISHMENT_CODE)
  establishment?: string;
  @ApiPropertyOptional({ example: 'A1234BC' })
  @IsOptional()
  @Matches(PRISON_NUMBER)
  prisonNumber?: string;
  @ApiPropertyOptional({ enum: AUTHORISATION_STATUSES })
  @IsOptional()
  @IsIn(AUTHORISATION_STATUSES)
  status?: AuthorisationStatus;

  @ApiPropertyOptional({ description: 'true: only those past their review date' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    value === 'true' ? true : value === 'false' ? false : value,
  )
  @IsBoolean()
  reviewOverdue?: boolean;
}
