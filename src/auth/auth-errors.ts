import type { Response } from 'express';
import { DomainError } from '../common/errors';

/** A refusal that tells the caller when to try again (sent as `Retry-After`, in seconds). */
export abstract class RetryLater extends DomainError {
  abstract readonly retryAfterSeconds: number;
}

/**
 * Too many failed sign-ins for this username or from this address: refused, even with the right
 * password, until the counting window passes.
 */
export class TooManyAttempts extends RetryLater {
  readonly status = 429;
  constructor(readonly retryAfterSeconds: number) {
    super('Too many failed sign-in attempts; try again later');
  }
}

/**
 * Every password check is taken and the queue for one is full: answered at once rather than left to
 * wait (a flood of sign-ins must not hold the thread pool that recordings and files need).
 */
export class SignInBusy extends RetryLater {
  readonly status = 503;
  readonly retryAfterSeconds = 1;
  constructor() {
    super('Too many sign-ins at once; try again in a moment');
  }
}

/** Sets `Retry-After` for a refusal that carries one; anything else is left alone. */
export function setRetryAfter(res: Response, err: unknown): void {
  if (err instanceof RetryLater) res.setHeader('Retry-After', String(err.retryAfterSeconds));
}
