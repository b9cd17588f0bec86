import { ValidationError, ValidationPipe } from '@nestjs/common';
import { FieldError, ValidationFailed } from './errors';

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

export function buildValidationPipe(): ValidationPipe {
  return new ValidationPipe({
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
