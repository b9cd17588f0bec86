import type { RequestParamHandler } from 'express';
import { PRISON_NUMBER } from '../../common/vocabulary';
import { notFound } from '../web-errors';

/** A form or query value as a string: '' when absent, repeated or not text. */
export const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/** A form value that may repeat (checkboxes) as strings: [] when absent. */
export const list = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : v ? [text(v)] : [];

/** The shape of an id in a path (the routes answer 404 for anything else, before any lookup). */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A `router.param` guard: the page-not-found page for a path value not of this shape. */
function paramGuard(shape: RegExp): RequestParamHandler {
  return (req, res, next, value) => {
    if (shape.test(String(value))) next();
    else notFound(req, res, next);
  };
}

/** For `router.param` of an id. */
export const uuidParam = paramGuard(UUID);
/** For `router.param('prisonNumber', …)`. */
export const prisonNumberParam = paramGuard(PRISON_NUMBER);
