import { DatabaseError } from 'pg';
import { QueryFailedError } from 'typeorm';
import type { FieldError } from './errors';

/**
 * What a foreign error (body-parser's, PostgreSQL's, the pool's) means for the caller. The API's
 * exception filter and the workbench's error pages both answer from this one table, so a class of
 * error is the caller's fault (4xx), a passing overload (503 + Retry-After) or our bug (500) in the
 * same way everywhere.
 */
export interface ErrorClass {
  status: number;
  message: string;
  details: FieldError[];
  retryAfterSeconds?: number;
}

const RETRY_AFTER_SECONDS = 5;

const busy = (message: string, retryAfterSeconds = RETRY_AFTER_SECONDS): ErrorClass => ({
  status: 503,
  message,
  details: [],
  retryAfterSeconds,
});

const field = (status: number, name: string, message: string): ErrorClass => ({
  status,
  message: `${name}: ${message}`,
  details: [{ field: name, message }],
});

const BUSY = 'The service is busy; try again in a few seconds';
const DATABASE_DOWN = 'The database is not available; try again in a few seconds';
const UNREACHABLE = 'A service this one needs cannot be reached; try again in a few seconds';

/** body-parser's (and raw-body's) error types; `stream.*` ones are our misconfiguration: 500. */
const BODY_PARSER: Record<string, (err: BodyParserError) => ErrorClass> = {
  'entity.parse.failed': () => field(400, 'body', 'is not valid JSON'),
  'entity.too.large': () => ({
    ...field(413, 'body', 'is too large'),
    message: 'Body is too large',
  }),
  'entity.verify.failed': () => field(403, 'body', 'was refused'),
  'charset.unsupported': (err) =>
    field(415, 'content-type', `charset ${err.charset ?? ''} is not supported; send UTF-8`.trim()),
  'encoding.unsupported': (err) =>
    field(
      415,
      'content-encoding',
      `${err.encoding ?? 'this encoding'} is not supported; send identity, gzip, deflate or br`,
    ),
  'parameters.too.many': () => field(413, 'body', 'has too many fields'),
  'querystring.parse.rangeError': () => field(400, 'body', 'is nested too deeply'),
  'request.aborted': () => field(400, 'body', 'was not received in full'),
  'request.size.invalid': () => field(400, 'body', 'does not match its Content-Length'),
};

interface BodyParserError {
  type?: unknown;
  status?: unknown;
  expose?: unknown;
  message?: unknown;
  charset?: string;
  encoding?: string;
}

const BODY_STATUSES = new Set([400, 413, 415]);

/** PostgreSQL errors by SQLSTATE; see https://www.postgresql.org/docs/current/errcodes-appendix.html. */
const PG_CODES: Record<string, (e: DatabaseError) => ErrorClass> = {
  // Integrity: the caller named something missing, repeated or against a rule.
  '23505': (e) => plain(409, e.detail ?? 'The request conflicts with stored data'),
  '23P01': (e) => plain(409, e.detail ?? 'The request conflicts with stored data'),
  '23001': (e) => plain(409, e.detail ?? 'The record is still referred to by others'),
  '23503': (e) => plain(400, e.detail ?? 'The request refers to a record that does not exist'),
  '23502': (e) => columnError(e, 'is required'),
  '23514': (e) => plain(400, e.detail ?? 'A value breaks a rule of the stored data'),
  // Data exceptions: a value the database cannot take.
  '22021': () =>
    plain(400, 'A text contains a character that cannot be stored (such as a NUL byte)'),
  '22P05': () =>
    plain(400, 'A text contains a character that cannot be stored (such as a NUL byte)'),
  '22003': () => plain(400, 'A number is out of range'),
  '22008': () => plain(400, 'A date or time is out of range'),
  '22007': () => plain(400, 'A date or time is not valid'),
  '22P02': (e) => plain(400, `A value is not valid (${e.message})`),
  '22001': () => plain(400, 'A text is too long'),
  // A value too large for an index or a statement, e.g. a very long text in an indexed column.
  '54000': () => plain(400, 'A value is too large to store'),
  '54001': () => plain(400, 'The request is too complex'),
  // Overload and timeouts: pass by themselves; the transaction was rolled back, nothing half-written.
  '57014': () => busy(BUSY), // query_canceled (statement_timeout)
  '55P03': () => busy(BUSY), // lock_not_available (lock_timeout)
  '55006': () => busy(BUSY), // object_in_use
  '25P03': () => busy(BUSY), // idle_in_transaction_session_timeout
  '25P04': () => busy(BUSY), // transaction_timeout
  '40001': () => busy(BUSY, 1), // serialization_failure: retrying succeeds
  '40P01': () => busy(BUSY, 1), // deadlock_detected
};

/** Whole SQLSTATE classes, for codes the table above does not name. */
const PG_CLASSES: Record<string, (e: DatabaseError) => ErrorClass> = {
  '22': (e) => plain(400, `A value is not valid (${e.message})`),
  '23': (e) => plain(409, e.detail ?? 'The request conflicts with stored data'),
  '08': () => busy(DATABASE_DOWN), // connection exceptions
  '40': () => busy(BUSY, 1), // transaction rollback
  '53': () => busy(BUSY), // insufficient resources: too_many_connections, out of memory, disk full
  '57': () => busy(DATABASE_DOWN), // operator intervention: shutdown, restart, cannot connect now
};

const plain = (status: number, message: string): ErrorClass => ({ status, message, details: [] });

function columnError(e: DatabaseError, message: string): ErrorClass {
  return e.column ? field(400, e.column, message) : plain(400, `A value ${message}`);
}

/** The pool's and the driver's own errors, which carry no SQLSTATE. */
const DRIVER_MESSAGES: [RegExp, () => ErrorClass][] = [
  [/^timeout exceeded when trying to connect$/, () => busy(BUSY)],
  [/^Connection terminated due to connection timeout$/, () => busy(DATABASE_DOWN)],
  [/^Connection terminated unexpectedly$/, () => busy(DATABASE_DOWN)],
  [/^Query read timeout$/, () => busy(BUSY)],
  [/^Driver not Connected$/, () => busy(DATABASE_DOWN)],
];

/** Socket errors reaching a dependency (the database or Redis). */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EAI_AGAIN',
]);

/**
 * The class of a foreign error, or null when it is not one we know (then it is our fault: 500).
 * Looks through TypeORM's wrapping and `cause` chains, since TypeORM and pg-pool wrap each other.
 */
export function classifyError(exception: unknown): ErrorClass | null {
  const seen = new Set<unknown>();
  let current: unknown = exception;
  while (current && typeof current === 'object' && !seen.has(current) && seen.size < 8) {
    seen.add(current);
    const found = classifyOne(current);
    if (found) return found;
    current =
      current instanceof QueryFailedError
        ? (current.driverError as unknown)
        : (current as { cause?: unknown }).cause;
  }
  return null;
}

function classifyOne(err: object): ErrorClass | null {
  if (isDatabaseError(err)) {
    const byCode = PG_CODES[err.code];
    if (byCode) return byCode(err);
    const byClass = PG_CLASSES[err.code.slice(0, 2)];
    return byClass ? byClass(err) : null;
  }
  const parser = err as BodyParserError;
  if (typeof parser.type === 'string' && parser.type in BODY_PARSER) {
    return BODY_PARSER[parser.type](parser);
  }
  // body-parser's errors without a type (say, a gzip body that does not inflate: its zlib error).
  if (
    parser.expose === true &&
    typeof parser.status === 'number' &&
    BODY_STATUSES.has(parser.status)
  ) {
    return field(
      parser.status,
      'body',
      typeof parser.message === 'string' ? parser.message : 'could not be read',
    );
  }
  // Express's router, for a path like /api/calls/%E0%A4%A: its status, without http-errors' expose.
  if (err instanceof URIError && (err as { status?: unknown }).status === 400) {
    return field(400, 'path', 'is not valid percent-encoding');
  }
  const message = (err as { message?: unknown }).message;
  if (typeof message === 'string') {
    for (const [pattern, make] of DRIVER_MESSAGES) if (pattern.test(message)) return make();
  }
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && SOCKET_CODES.has(code)) return busy(UNREACHABLE);
  if (err instanceof AggregateError) {
    for (const inner of err.errors as unknown[]) {
      const found = inner && typeof inner === 'object' ? classifyOne(inner) : null;
      if (found) return found;
    }
  }
  if ((err as { name?: unknown }).name === 'MaxRetriesPerRequestError') return busy(BUSY);
  return null;
}

function isDatabaseError(err: object): err is DatabaseError & { code: string } {
  const code = (err as { code?: unknown }).code;
  return (
    (err instanceof DatabaseError ||
      typeof (err as { severity?: unknown }).severity === 'string') &&
    typeof code === 'string' &&
    /^[0-9A-Z]{5}$/.test(code)
  );
}
