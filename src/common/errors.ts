/** Domain errors: thrown by services, mapped to HTTP by the global exception filter. */
export interface FieldError {
  field: string;
  message: string;
}

export abstract class DomainError extends Error {
  abstract readonly status: number;
  constructor(
    message: string,
    readonly details: FieldError[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class ValidationFailed extends DomainError {
  readonly status = 400;
  static field(field: string, message: string): ValidationFailed {
    return new ValidationFailed(`${field}: ${message}`, [{ field, message }]);
  }
}

export class NotFound extends DomainError {
  readonly status = 404;
}

export class Forbidden extends DomainError {
  readonly status = 403;
}

/**
 * A user asked for something of an establishment that is not theirs. The refusal is audited (as
 * ACCESS_REFUSED, in that establishment) where it is turned into a response.
 */
export class OutOfScope extends Forbidden {
  constructor(readonly establishmentCode: string) {
    super(`You do not have access to establishment ${establishmentCode}`);
  }
}

export class Conflict extends DomainError {
  readonly status = 409;
}

export class Unauthorised extends DomainError {
  readonly status = 401;
}
