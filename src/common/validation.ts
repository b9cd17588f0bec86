import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import { FieldError, ValidationFailed } from './errors';
import { checkInputRules } from './input-rules';

/**
 * class-validator looks up a class's rules afresh at every validation, testing the class against
 * every other class that has rules (`instanceof`, for inherited rules): with this API's hundred-odd
 * DTOs that was most of the cost of validating a small body. The rules only change when decorators
 * run (as modules load), so the lookups are kept until then.
 */
export function cacheValidationRules(): void {
  const storage = getMetadataStorage();
  const marked = storage as typeof storage & { rulesCached?: true };
  if (marked.rulesCached) return;
  marked.rulesCached = true;
  const lookUp = storage.getTargetValidationMetadatas.bind(storage);
  const group = storage.groupByPropertyName.bind(storage);
  let found = new Map<unknown, Map<string, ValidationMetadata[]>>();
  let grouped = new WeakMap<ValidationMetadata[], Record<string, ValidationMetadata[]>>();
  const forget = () => {
    found = new Map<unknown, Map<string, ValidationMetadata[]>>();
    grouped = new WeakMap<ValidationMetadata[], Record<string, ValidationMetadata[]>>();
  };
  const addRule = storage.addValidationMetadata.bind(storage);
  storage.addValidationMetadata = (rule) => {
    forget();
    addRule(rule);
  };
  const addSchema = storage.addValidationSchema.bind(storage);
  storage.addValidationSchema = (schema) => {
    forget();
    addSchema(schema);
  };
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    const key = `${schema}\u0000${always}\u0000${strictGroups}\u0000${groups?.join('\u0000') ?? ''}`;
    let byKey = found.get(target);
    if (!byKey) found.set(target, (byKey = new Map<string, ValidationMetadata[]>()));
    let rules = byKey.get(key);
    if (!rules) byKey.set(key, (rules = lookUp(target, schema, always, strictGroups, groups)));
    return rules;
  };
  storage.groupByPropertyName = (rules) => {
    let byProperty = grouped.get(rules);
    if (!byProperty) grouped.set(rules, (byProperty = group(rules)));
    return byProperty;
  };
}

/** Flattens class-validator's tree into `calls[3].startedAt`-style field paths. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const error of errors) {
    const key = /^\d+$/.test(error.property) ? `[${error.property}]` : error.property;
    const path =
      parent === ''
        ? key.replace(/^\[/, '[')
        : key.startsWith('[')
          ? `${parent}${key}`
          : `${parent}.${key}`;
    for (const [rule, message] of Object.entries(error.constraints ?? {})) {
      out.push({
        field: path,
        message: rule === 'whitelistValidation' ? 'is not an allowed property' : message,
      });
    }
    if (error.children?.length) out.push(...flattenValidationErrors(error.children, path));
  }
  return out;
}

const NOT_DTOS: unknown[] = [String, Number, Boolean, Array, Object];

/**
 * Nest's pipe after the rules every input obeys (input-rules.ts: depth, NUL characters, null,
 * number and date ranges), so that no DTO can forget them and class-transformer never recurses
 * through a body nested 10,000 deep.
 */
class ApiValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'custom') {
      const dto =
        typeof metadata.metatype === 'function' && !NOT_DTOS.includes(metadata.metatype)
          ? metadata.metatype
          : null;
      const errors = checkInputRules(value, {
        dto,
        root: metadata.data ?? '',
        depthOnly: metadata.type === 'body' && dto === null,
      });
      if (errors.length > 0) {
        throw new ValidationFailed(`${errors[0].field}: ${errors[0].message}`, errors);
      }
    }
    return super.transform(value, metadata) as Promise<unknown>;
  }
}

export function buildValidationPipe(): ValidationPipe {
  cacheValidationRules();
  return new ApiValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const details = flattenValidationErrors(errors);
      const first = details[0];
      return new ValidationFailed(
        first ? `${first.field}: ${first.message}` : 'Request is not valid',
        details,
      );
    },
  });
}
