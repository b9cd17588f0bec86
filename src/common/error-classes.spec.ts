import { DatabaseError } from 'pg';
import { QueryFailedError, TypeORMError } from 'typeorm';
import { classifyError } from './error-classes';
import { ServiceUnavailable } from './errors';
import { GlobalExceptionFilter } from './exception.filter';

const pgError = (code: string, message = 'boom', extra: Partial<DatabaseError> = {}) =>
  Object.assign(new DatabaseError(message, 0, 'error'), { code, severity: 'ERROR', ...extra });

const queryFailed = (code: string, message?: string, extra?: Partial<DatabaseError>) =>
  new QueryFailedError('SELECT 1', [], pgError(code, message, extra));

/** As body-parser builds them (http-errors): status, expose and a type. */
const parserError = (status: number, type: string, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(type), { status, statusCode: status, expose: true, type, ...extra });

describe('classifyError: PostgreSQL', () => {
  it.each([
    ['22021', 400], // character_not_in_repertoire: a NUL byte in text
    ['22P05', 400], // untranslatable_character: a NUL byte in jsonb
    ['22003', 400], // numeric_value_out_of_range
    ['22008', 400], // datetime_field_overflow: year 0000
    ['22007', 400], // invalid_datetime_format
    ['22P02', 400], // invalid_text_representation
    ['22001', 400], // string_data_right_truncation
    ['2201B', 400], // invalid_regular_expression: by its class
    ['23505', 409], // unique_violation
    ['23503', 400], // foreign_key_violation
    ['23514', 400], // check_violation
    ['23502', 400], // not_null_violation
    ['23P01', 409], // exclusion_violation
    ['54000', 400], // program_limit_exceeded: a text too long for its index
  ])('maps %s to %i', (code, status) => {
    expect(classifyError(queryFailed(code))?.status).toBe(status);
  });

  it.each([
    '57014', // query_canceled: statement_timeout
    '55P03', // lock_not_available: lock_timeout
    '25P03', // idle_in_transaction_session_timeout
    '53300', // too_many_connections
    '53200', // out_of_memory
    '57P01', // admin_shutdown
    '57P03', // cannot_connect_now
    '40001', // serialization_failure
    '40P01', // deadlock_detected
    '08006', // connection_failure
  ])('maps %s to 503 with a Retry-After', (code) => {
    const found = classifyError(queryFailed(code));
    expect(found?.status).toBe(503);
    expect(found?.retryAfterSeconds).toBeGreaterThan(0);
  });

  it('also maps an unwrapped driver error (a pool client used directly)', () => {
    expect(classifyError(pgError('57014'))?.status).toBe(503);
  });

  it('names the column of a not-null violation', () => {
    expect(classifyError(queryFailed('23502', 'null value', { column: 'summary' }))).toEqual({
      status: 400,
      message: 'summary: is required',
      details: [{ field: 'summary', message: 'is required' }],
    });
  });

  it('leaves our own mistakes (syntax, missing table, a failed transaction) as 500', () => {
    for (const code of ['42601', '42P01', '25P02', '42883', 'XX000']) {
      expect(classifyError(queryFailed(code))).toBeNull();
    }
  });
});

describe('classifyError: the pool and the connection', () => {
  it("maps pg-pool's acquire timeout, bare or wrapped by TypeORM, to 503", () => {
    const timeout = new Error('timeout exceeded when trying to connect');
    expect(classifyError(timeout)?.status).toBe(503);
    const wrapped = new TypeORMError('Could not run the query');
    (wrapped as Error & { cause: unknown }).cause = timeout;
    expect(classifyError(wrapped)?.status).toBe(503);
  });

  it('maps a refused connection to the database to 503, also inside an AggregateError', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
      code: 'ECONNREFUSED',
    });
    expect(classifyError(refused)).toMatchObject({ status: 503, retryAfterSeconds: 5 });
    expect(classifyError(new AggregateError([refused], ''))?.status).toBe(503);
  });

  it('maps a connection ended under a query to 503', () => {
    expect(classifyError(new Error('Connection terminated unexpectedly'))?.status).toBe(503);
    expect(
      classifyError(new Error('Connection terminated due to connection timeout'))?.status,
    ).toBe(503);
  });

  it('knows nothing of ordinary errors', () => {
    expect(classifyError(new Error('undefined is not a function'))).toBeNull();
    expect(classifyError(new RangeError('Maximum call stack size exceeded'))).toBeNull();
    expect(classifyError('a string')).toBeNull();
    expect(classifyError(null)).toBeNull();
  });

  it('stops on a cause chain that loops', () => {
    const a = new Error('a') as Error & { cause: unknown };
    const b = new Error('b', { cause: a });
    a.cause = b;
    expect(classifyError(a)).toBeNull();
  });
});

describe('classifyError: body-parser', () => {
  it.each([
    ['entity.parse.failed', 400, 400, 'body'],
    ['entity.too.large', 413, 413, 'body'],
    ['charset.unsupported', 415, 415, 'content-type'],
    ['encoding.unsupported', 415, 415, 'content-encoding'],
    ['parameters.too.many', 413, 413, 'body'],
    ['request.aborted', 400, 400, 'body'],
    ['request.size.invalid', 400, 400, 'body'],
    ['querystring.parse.rangeError', 400, 400, 'body'],
  ])('maps %s (%i) to %i naming %s', (type, raised, status, fieldName) => {
    const found = classifyError(parserError(raised, type, { charset: 'latin1' }));
    expect(found?.status).toBe(status);
    expect(found?.details[0]?.field).toBe(fieldName);
  });

  it('maps a body that does not inflate (http-errors without a type) to 400', () => {
    const zlib = Object.assign(new Error('incorrect header check'), {
      status: 400,
      expose: true,
    });
    expect(classifyError(zlib)).toMatchObject({ status: 400, details: [{ field: 'body' }] });
  });

  it("maps the router's undecodable path to 400 naming the path", () => {
    const uri = Object.assign(new URIError("Failed to decode param '%E0%A4%A'"), {
      status: 400,
      statusCode: 400,
    });
    expect(classifyError(uri)).toMatchObject({ status: 400, details: [{ field: 'path' }] });
  });

  it('leaves its stream errors (our misconfiguration) as 500', () => {
    const stream = Object.assign(new Error('stream encoding should not be set'), {
      status: 500,
      expose: false,
      type: 'stream.encoding.set',
    });
    expect(classifyError(stream)).toBeNull();
  });
});

describe('GlobalExceptionFilter', () => {
  const filter = new GlobalExceptionFilter();

  it('answers a statement timeout with 503, the contract body and a Retry-After', () => {
    expect(filter.toAnswer(queryFailed('57014'))).toEqual({
      body: {
        statusCode: 503,
        error: 'Service Unavailable',
        message: expect.any(String) as string,
        details: [],
        correlationId: null,
      },
      retryAfterSeconds: 5,
    });
  });

  it('answers ServiceUnavailable with its own wait', () => {
    expect(filter.toAnswer(new ServiceUnavailable('busy', 2))).toMatchObject({
      body: { statusCode: 503, message: 'busy' },
      retryAfterSeconds: 2,
    });
  });

  it('answers a NUL byte the database refused with 400, and a bug with 500', () => {
    expect(filter.toAnswer(queryFailed('22021')).body.statusCode).toBe(400);
    expect(filter.toAnswer(new Error('bug')).body.statusCode).toBe(500);
    expect(filter.toAnswer(new Error('bug')).retryAfterSeconds).toBeUndefined();
  });
});
