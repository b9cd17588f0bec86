import type { RequestHandler } from 'express';
import { text, UUID } from '../forms';
import { handle } from '../guards';
import type { WebServices } from '../services';
import { parseLogForm } from './log-form';

/**
 * A Submit that arrives after the session ended (it expired while the listener wrote, or they
 * signed out in another tab). The form carries the claim's token: if it is the call's live lease,
 * what was typed is kept (LogDrafts) and the listener is sent to sign in, then back to the call,
 * where the log is restored. Runs before the CSRF check, which would otherwise refuse the form; a
 * token that is not the call's live lease keeps nothing and the request goes on to be refused.
 */
export function keepLogWhenSessionEnded({ drafts }: Pick<WebServices, 'drafts'>): RequestHandler {
  return handle(async (req, res, next) => {
    const match = /^\/calls\/([^/]+)\/log$/.exec(req.path);
    const body = req.body as Record<string, unknown> | undefined;
    const token = text(body?.claimToken);
    if (req.method !== 'POST' || !match || req.session.user || !body || !UUID.test(token)) {
      return next();
    }
    const callId = match[1];
    if (!UUID.test(callId) || !(await drafts.keepIfClaimLive(callId, token, parseLogForm(body)))) {
      return next();
    }
    const returnTo = encodeURIComponent(`/calls/${callId}/listen`);
    return res.redirect(303, `/sign-in?ended=log&returnTo=${returnTo}`);
  });
}
