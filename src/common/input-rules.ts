import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { getMetadataStorage, ValidationTypes } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import type { FieldError } from './errors';

/**
 * Rules every input obeys whatever its DTO says, checked on the plain value before class-transformer
 * and class-validator see it (the validation pipe runs them; see validation.ts):
 *
 * - nested at most MAX_DEPTH deep (class-transformer recurses: 10,000 levels overflowed the stack);
 * - no text with a NUL character or half a surrogate pair (PostgreSQL stores neither);
 * - numbers within ±2^53 (beyond that a number is not what was sent, and no column takes it);
 * - `null` only where the DTO says it means something (`@ValidateIf((_o, v) => v !== null)`, as for
 *   `mappaLevel`); elsewhere a null is refused naming the field, never taken as "absent". A JSON
 *   client that wants a field left alone leaves it out;
 * - dates and times (`@Type(() => Date)`, `@IsDateString`, `@IsISO8601`) are ISO-8601, a real day
 *   of the calendar (no 30 February: `new Date` would make it 2 March) and in the years 1900–2100.
 */
export const MAX_DEPTH = 32;
export const MIN_YEAR = 1900;
export const MAX_YEAR = 2100;
const MAX_ERRORS = 20;

type Constructor = abstract new (...args: never[]) => unknown;

interface Frame {
  value: unknown;
  path: string;
  /** The DTO this value is an instance of, when known (the arguments' own class, nested `@Type`s). */
  dto: Constructor | null;
}

export interface InputRuleOptions {
  /** The DTO the value becomes, or null for a body the handler checks itself (call batches). */
  dto: Constructor | null;
  /** The field name of the value itself: a route parameter's name; '' for a body or a query. */
  root?: string;
  /**
   * Only the depth: for a body without a DTO, which its handler checks itself (a call batch rejects
   * a bad record alone, so one NUL must not refuse the whole batch).
   */
  depthOnly?: boolean;
}

/** The first problems (at most 20) of a plain input, each naming its field; empty when it is fine. */
export function checkInputRules(value: unknown, options: InputRuleOptions): FieldError[] {
  if (nestedDeeperThan(value, MAX_DEPTH)) {
    return [{ field: options.root || 'body', message: `is nested more than ${MAX_DEPTH} deep` }];
  }
  if (options.depthOnly) return [];
  const errors: FieldError[] = [];
  const stack: Frame[] = [{ value, path: options.root ?? '', dto: options.dto }];
  while (stack.length > 0 && errors.length < MAX_ERRORS) {
    const { value: v, path, dto } = stack.pop()!;
    if (typeof v === 'string') {
      const problem = textProblem(v);
      if (problem) errors.push({ field: path || 'value', message: problem });
    } else if (typeof v === 'number') {
      if (!Number.isFinite(v) || Math.abs(v) > Number.MAX_SAFE_INTEGER) {
        errors.push({ field: path || 'value', message: 'is out of range' });
      }
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) {
        stack.push({ value: v[i] as unknown, path: `${path}[${i}]`, dto });
      }
    } else if (v !== null && typeof v === 'object') {
      const entries = Object.entries(v as Record<string, unknown>);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i];
        const childPath = path === '' ? key : `${path}.${key}`;
        const known = dto ? propertyRules(dto, key) : null;
        const problem = known ? propertyProblem(known, v, key, child) : null;
        if (problem) {
          errors.push({ field: childPath, message: problem });
          continue;
        }
        stack.push({ value: child, path: childPath, dto: known?.nested ?? null });
      }
    }
  }
  return errors;
}

/** Whether objects and arrays nest deeper than `max`; without recursion, and cheap on a batch. */
function nestedDeeperThan(value: unknown, max: number): boolean {
  const stack: { v: object; depth: number }[] = [];
  if (value !== null && typeof value === 'object') stack.push({ v: value, depth: 0 });
  while (stack.length > 0) {
    const { v, depth } = stack.pop()!;
    if (depth >= max) return true;
    const children: unknown[] = Array.isArray(v) ? v : Object.values(v);
    for (const child of children) {
      if (child !== null && typeof child === 'object') stack.push({ v: child, depth: depth + 1 });
    }
  }
  return false;
}

const ANY_SURROGATE = /[\uD800-\uDFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a text cannot be taken, or null. */
export function textProblem(text: string): string | null {
  if (text.includes('\u0000')) return 'must not contain a NUL character';
  // The plain class first: most texts have no surrogate at all, and it is much the cheaper test.
  if (ANY_SURROGATE.test(text) && LONE_SURROGATE.test(text)) {
    return 'must be well-formed Unicode text';
  }
  return null;
}

interface PropertyRules {
  rules: ValidationMetadata[];
  /** How the property is turned into a value (`@Type`), when it says. */
  type: unknown;
  nested: Constructor | null;
  date: 'instant' | 'day' | null;
}

const rulesByDto = new WeakMap<Constructor, Map<string, PropertyRules | null>>();

function propertyRules(dto: Constructor, key: string): PropertyRules | null {
  let byKey = rulesByDto.get(dto);
  if (!byKey) rulesByDto.set(dto, (byKey = new Map<string, PropertyRules | null>()));
  if (byKey.has(key)) return byKey.get(key)!;
  const rules = getMetadataStorage()
    .getTargetValidationMetadatas(
      dto as unknown as new () => unknown,
      undefined as unknown as string,
      false,
      false,
    )
    .filter((r) => r.propertyName === key);
  const typeMeta = defaultMetadataStorage.findTypeMetadata(dto, key);
  const type: unknown = typeMeta?.typeFunction();
  const found: PropertyRules | null =
    rules.length === 0 && !typeMeta
      ? null
      : {
          rules,
          type,
          nested: typeof type === 'function' && isDto(type) ? (type as Constructor) : null,
          date:
            type === Date
              ? 'instant'
              : rules.some((r) => r.name === 'isDateString' || r.name === 'isIso8601')
                ? 'day'
                : null,
        };
  byKey.set(key, found);
  return found;
}

function isDto(type: unknown): boolean {
  if (type === Date || type === String || type === Number || type === Boolean || type === Object)
    return false;
  return typeof type === 'function';
}

function propertyProblem(
  known: PropertyRules,
  parent: object,
  key: string,
  value: unknown,
): string | null {
  if (value === null)
    return nullAllowed(known, parent) ? null : 'must not be null (leave it out instead)';
  if (known.date) {
    const values = Array.isArray(value) ? (value as unknown[]) : [value];
    for (const one of values) {
      const problem = dateProblem(one, known.date);
      if (problem) return problem;
    }
  }
  if (known.type === Number && typeof value === 'string' && value.trim() !== '') {
    // A query string's number: `offset=99999999999999999999` would become 1e20.
    const n = Number(value);
    if (Number.isFinite(n) && Math.abs(n) > Number.MAX_SAFE_INTEGER) return 'is out of range';
  }
  return null;
}

/** A property takes null when a condition of its own (not `@IsOptional`) skips its rules for null. */
function nullAllowed(known: PropertyRules, parent: object): boolean {
  return known.rules.some(
    (r) =>
      r.type === ValidationTypes.CONDITIONAL_VALIDATION &&
      r.name !== 'isOptional' &&
      (r.constraints[0] as (o: object, v: unknown) => boolean)(parent, null) === false,
  );
}

const INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$/;

/** Why a date or time cannot be taken, or null. `day` fields keep their own format checks too. */
export function dateProblem(value: unknown, kind: 'instant' | 'day'): string | null {
  const format =
    kind === 'instant'
      ? 'must be an ISO-8601 date and time, e.g. 2026-11-20T09:30:00Z'
      : 'must be a date as YYYY-MM-DD';
  if (typeof value !== 'string') return format;
  const m = INSTANT.exec(value);
  if (!m) return format;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const [hour, minute, second] = [m[4], m[5], m[6]].map((p) => (p === undefined ? 0 : Number(p)));
  if (year < MIN_YEAR || year > MAX_YEAR) return `must be in the years ${MIN_YEAR} to ${MAX_YEAR}`;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return 'must be a real calendar date';
  }
  if (hour > 23 || minute > 59 || second > 59) return 'must be a real time of day';
  return null;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
}
