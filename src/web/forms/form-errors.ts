import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { FieldError } from '../../common/errors';
import { flattenValidationErrors } from '../../common/validation';

/** A form's errors as the GOV.UK components take them. */
export interface FormErrors {
  /** For govukErrorSummary: one entry per field, in page order. */
  summary: { text: string; href: string }[];
  /** For each field's `errorMessage`, by field id. */
  byId: Record<string, { text: string }>;
}

export const NO_ERRORS: FormErrors = { summary: [], byId: {} };

/** How a form shows field errors (DTO paths such as `items[0].note`) to a person. */
export interface FormWording {
  /** The id of the input a field's error links to; by default the field without a final index. */
  idOf?: (field: string) => string;
  /** The GOV.UK message for an error of this input; undefined keeps the rule's own words. */
  message?: (id: string, raw: string, field: string) => string | undefined;
  /** Page order of two inputs (the summary follows the page); by default the errors' order. */
  compare?: (a: string, b: string) => number;
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Field errors as the GOV.UK error summary and per-field messages: the first error of each input. */
export function toFormErrors(errors: FieldError[], wording: FormWording = {}): FormErrors {
  const idOf = wording.idOf ?? ((field: string) => field.replace(/\[\d+\]$/, ''));
  const byId: Record<string, { text: string }> = {};
  for (const e of errors) {
    const id = idOf(e.field);
    byId[id] ??= { text: capitalise(wording.message?.(id, e.message, e.field) ?? e.message) };
  }
  const ids = Object.keys(byId);
  if (wording.compare) ids.sort(wording.compare);
  return { summary: ids.map((id) => ({ text: byId[id].text, href: `#${id}` })), byId };
}

/**
 * The wording of a form whose fields each have one input: `ids` maps a DTO field to the input
 * (in page order), `words` gives a GOV.UK message for a field's error.
 */
export function fieldWording(
  ids: Record<string, string>,
  words: Record<string, (raw: string) => string | undefined> = {},
): FormWording {
  const bare = (field: string) => field.replace(/\[\d+\]$/, '');
  const order = Object.values(ids);
  const rank = (id: string) => (order.includes(id) ? order.indexOf(id) : order.length);
  return {
    idOf: (field) => ids[bare(field)] ?? bare(field),
    message: (_id, raw, field) => words[bare(field)]?.(raw),
    compare: (a, b) => rank(a) - rank(b),
  };
}

/**
 * The DTO the API's validation pipe would build from these values, and every error the API would
 * give for it (unknown fields refused, as the pipe does). Undefined values are left out, so that a
 * field not given keeps the DTO's default as in a JSON body.
 */
export async function checkDto<T extends object>(
  cls: new () => T,
  plain: Record<string, unknown>,
): Promise<{ dto: T; errors: FieldError[] }> {
  const dto = plainToInstance(cls, compact(plain));
  const errors = flattenValidationErrors(
    await validate(dto, { whitelist: true, forbidNonWhitelisted: true }),
  );
  return { dto, errors };
}

/** The object without its undefined keys. */
export function compact<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
