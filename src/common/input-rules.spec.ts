import type { ArgumentMetadata } from '@nestjs/common';
import { Type } from 'class-transformer';
import {
  IsArray,
  IsDate,
  IsDateString,
  IsInt,
  IsOptional,
  IsString,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { ValidationFailed } from './errors';
import { checkInputRules, dateProblem } from './input-rules';
import { buildValidationPipe } from './validation';

class ThreatDto {
  @IsString() target!: string;
  @IsOptional() @IsString() quote?: string;
  @IsOptional() @Type(() => Date) @IsDate() at?: Date;
}

class LogDto {
  @IsString() summary!: string;
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => ThreatDto)
  threats?: ThreatDto[];
  @IsOptional() @ValidateIf((_o, v) => v !== null) @IsInt() @Min(1) @Max(4) mappaLevel?:
    number | null;
  @IsOptional() @IsDateString({ strict: true }) releaseDate?: string;
  @IsOptional() @IsInt() count?: number;
}

class PageDto {
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) offset = 0;
  @IsOptional() @Type(() => Date) @IsDate() from?: Date;
}

const fields = (value: unknown, dto: LogDto | PageDto | null = null) =>
  checkInputRules(value, {
    dto: dto ? (dto.constructor as new () => unknown) : null,
  }).map((e) => `${e.field}: ${e.message}`);

const nested = (depth: number): unknown => {
  let v: unknown = 'leaf';
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
};

describe('checkInputRules', () => {
  it('refuses a NUL or half a surrogate pair in any text, naming the field', () => {
    expect(fields({ summary: 'a\u0000b' }, new LogDto())).toEqual([
      'summary: must not contain a NUL character',
    ]);
    expect(
      fields({ summary: 'x', threats: [{ target: 't', quote: '\ud800' }] }, new LogDto()),
    ).toEqual(['threats[0].quote: must be well-formed Unicode text']);
    // Also in properties the DTO does not know (they are refused anyway) and without a DTO.
    expect(fields({ other: ['\u0000'] })).toEqual(['other[0]: must not contain a NUL character']);
    expect(fields({ summary: 'emoji \ud83d\ude00 fine' }, new LogDto())).toEqual([]);
  });

  it('refuses null for an optional field, but not where the DTO says null means something', () => {
    expect(fields({ summary: 's', threats: null }, new LogDto())).toEqual([
      'threats: must not be null (leave it out instead)',
    ]);
    expect(fields({ summary: 's', count: null }, new LogDto())).toEqual([
      'count: must not be null (leave it out instead)',
    ]);
    expect(fields({ summary: 's', threats: [{ target: 't', quote: null }] }, new LogDto())).toEqual(
      ['threats[0].quote: must not be null (leave it out instead)'],
    );
    expect(fields({ summary: 's', mappaLevel: null }, new LogDto())).toEqual([]);
  });

  it('refuses numbers past 2^53, in bodies and in query strings', () => {
    expect(fields({ summary: 's', count: 1e20 }, new LogDto())).toEqual(['count: is out of range']);
    expect(fields({ offset: '99999999999999999999' }, new PageDto())).toEqual([
      'offset: is out of range',
    ]);
    expect(fields({ offset: '20' }, new PageDto())).toEqual([]);
  });

  it('refuses impossible and out-of-range dates, in bodies and query strings', () => {
    expect(fields({ from: '2026-02-30T10:00:00Z' }, new PageDto())).toEqual([
      'from: must be a real calendar date',
    ]);
    expect(fields({ from: '0000-01-01T00:00:00Z' }, new PageDto())).toEqual([
      'from: must be in the years 1900 to 2100',
    ]);
    expect(
      fields(
        { summary: 's', threats: [{ target: 't', at: '9999-12-31T00:00:00Z' }] },
        new LogDto(),
      ),
    ).toEqual(['threats[0].at: must be in the years 1900 to 2100']);
    expect(fields({ summary: 's', releaseDate: '2027-02-29' }, new LogDto())).toEqual([
      'releaseDate: must be a real calendar date',
    ]);
    expect(fields({ from: '2026-11-20T09:30:00Z' }, new PageDto())).toEqual([]);
    expect(fields({ from: '2026-11-20' }, new PageDto())).toEqual([]);
  });

  it('refuses nesting over 32 deep without recursing', () => {
    expect(fields(nested(32))).toEqual([]);
    expect(fields(nested(33))).toEqual(['body: is nested more than 32 deep']);
    expect(fields([[[nested(31)]]])).toEqual(['body: is nested more than 32 deep']);
    expect(fields(nested(100_000))).toHaveLength(1);
  });

  it('checks only the depth of a body its handler checks itself', () => {
    const only = (v: unknown) => checkInputRules(v, { dto: null, depthOnly: true });
    expect(only({ calls: [{ externalId: '\u0000', startedAt: null, n: 1e308 * 10 }] })).toEqual([]);
    expect(only(nested(40))).toHaveLength(1);
  });
});

describe('dateProblem', () => {
  it.each([
    ['2026-02-28T23:59:59Z', null],
    ['2024-02-29T00:00:00+01:00', null],
    ['2026-11-20T09:30:00.123456Z', null],
    ['1900-01-01', null],
    ['2100-12-31T23:59', null],
    ['2026-02-29T00:00:00Z', 'must be a real calendar date'],
    ['2026-04-31', 'must be a real calendar date'],
    ['2026-13-01', 'must be a real calendar date'],
    ['2026-01-01T24:00:00Z', 'must be a real time of day'],
    ['1899-12-31', 'must be in the years 1900 to 2100'],
    ['2101-01-01', 'must be in the years 1900 to 2100'],
    ['yesterday', 'must be an ISO-8601 date and time, e.g. 2026-11-20T09:30:00Z'],
  ])('%s → %s', (value, problem) => {
    expect(dateProblem(value, 'instant')).toBe(problem);
  });
});

describe('the validation pipe', () => {
  const pipe = buildValidationPipe();
  const body = (metatype: ArgumentMetadata['metatype']): ArgumentMetadata => ({
    type: 'body',
    metatype,
    data: undefined,
  });

  it('refuses a body nested 10,000 deep with 400 before class-transformer overflows the stack', async () => {
    await expect(
      pipe.transform({ summary: 's', threats: [nested(10_000)] }, body(LogDto)),
    ).rejects.toBeInstanceOf(ValidationFailed);
  });

  it('names the field of a NUL in a route parameter or a query value', async () => {
    await expect(
      pipe.transform('A1\u0000', { type: 'param', metatype: String, data: 'prisonNumber' }),
    ).rejects.toMatchObject({ details: [{ field: 'prisonNumber' }] });
  });

  it('still transforms and validates a good body', async () => {
    await expect(
      pipe.transform({ summary: 'fine', mappaLevel: null }, body(LogDto)),
    ).resolves.toEqual(Object.assign(new LogDto(), { summary: 'fine', mappaLevel: null }));
  });
});
