/** Domain errors: thrown by services, mapped to HTTP by the global exception filter. */
export interface FieldError {
  field: string;
  message: string;
}

export abstract class DomainError extends Error {
  abstract readonly status: number;
  /** Fields the API's error body carries besides message and details. */
  readonly extra: Record<string, unknown> = {};
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

/** A listener asked for another call while holding as many as they may: 409 with the calls held. */
export class ClaimLimitReached extends Conflict {
  constructor(readonly heldCallIds: string[]) {
    super(
      heldCallIds.length === 1
        ? 'You already hold a call: log or release it before you take another'
        : `You already hold ${heldCallIds.length} calls: log or release one before you take another`,
    );
    this.extra.heldCallIds = heldCallIds;
  }
}

export class Unauthorised extends DomainError {
  readonly status = 401;
}

/**
 * The service cannot answer now but will soon by itself (no connection free, a statement or lock
 * past its limit, the database restarting): 503 with `Retry-After`, never a hang.
 */
export class ServiceUnavailable extends DomainError {
  readonly status = 503;
  constructor(
    message = 'The service is busy; try again in a few seconds',
    readonly retryAfterSeconds = 5,
    options?: { cause?: unknown },
  ) {
    super(message, [], options);
  }
}

/**
 * A request refused before any handler saw it (a body-parser error, classified in
 * error-classes.ts): its status and the field it names.
 */
export class RequestRefused extends DomainError {
  constructor(
    readonly status: number,
    message: string,
    details: FieldError[] = [],
  ) {
    super(message, details);
  }
}
