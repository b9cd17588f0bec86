import type { RequestHandler } from 'express';
import { handle } from '../guards';
import type { WebServices } from '../services';

/** What the header counts for the signed-in user: work waiting for them at their establishment. */
export interface NeedsMe {
  /** Escalations not yet closed that are theirs to act on (the inbox's "mine"). */
  escalations: number;
  /** Monitoring decisions due, for a security manager or head of OMU. */
  decisions: number;
}

/**
 * On every page a signed-in user opens (GET), counts what needs them at the establishment they work
 * in, for the header: two indexed counts, nothing named and nothing of a call, so nothing is audited.
 */
export function setUpNeedsMe({
  escalations,
  decisions,
}: Pick<WebServices, 'escalations' | 'decisions'>): RequestHandler {
  return handle(async (req, res, next) => {
    const user = req.session.user;
    if (!user || req.method !== 'GET') return next();
    const establishment = user.activeEstablishment ?? undefined;
    const mayHaveEscalations = user.roles.some((r) =>
      ['POM', 'HEAD_OF_OMU', 'SECURITY_MANAGER'].includes(r),
    );
    const needs: NeedsMe = {
      escalations: mayHaveEscalations ? await escalations.countOpenMine(user, establishment) : 0,
      decisions: await decisions.countDue(user, establishment),
    };
    res.locals.needsMe = needs;
    next();
  });
}
