import type { Request } from 'express';
import { Conflict } from '../../common/errors';
import { webUser } from '../web-user';

/** The user's active establishment: these pages are all about one. */
export function establishmentOf(req: Request): string {
  const est = webUser(req).activeEstablishment;
  if (!est) {
    throw new Conflict('Choose an establishment first: these figures are for one establishment.');
  }
  return est;
}
