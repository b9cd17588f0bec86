import { Router } from 'express';
import { ValidationFailed } from '../../common/errors';
import { text, toFormErrors } from '../forms';
import { handle, requireRole } from '../guards';
import { PRISONER_PAGE_ROLES } from '../navigation';
import type { WebServices } from '../services';
import { webUser } from '../web-user';

/**
 * The prisoner search the header's "Find a prisoner" box sends to (a GET form, so it works without
 * JavaScript and its results can be bookmarked): a prison number the user may see opens that
 * prisoner's page; anything else lists who it names. Only for the roles that have the prisoner
 * page: others get the GOV.UK 403, as they would on the page itself.
 */
export function prisonerSearchRoutes({ prisoners }: Pick<WebServices, 'prisoners'>): Router {
  const router = Router();

  router.get(
    '/prisoners/search',
    requireRole(...PRISONER_PAGE_ROLES),
    handle(async (req, res) => {
      const page = { hideHeaderSearch: true, errorSummary: [], errorFor: {} };
      // Opened without a search (a bookmark, the back button): the box alone, no error yet.
      if (req.query.q === undefined) {
        return res.render('pages/pom/prisoner-search', { ...page, query: '', searched: false });
      }
      const raw = text(req.query.q);
      try {
        const found = await prisoners.search(webUser(req), raw);
        if ('prisonNumber' in found) {
          return res.redirect(`/prisoners/${encodeURIComponent(found.prisonNumber)}`);
        }
        return res.render('pages/pom/prisoner-search', {
          ...page,
          query: found.query,
          searched: true,
          results: found.items,
        });
      } catch (err) {
        if (!(err instanceof ValidationFailed)) throw err;
        const errors = toFormErrors(err.details);
        // What was typed goes back in the box, cut to a length the page can show.
        return res.status(400).render('pages/pom/prisoner-search', {
          ...page,
          query: raw.slice(0, 200),
          searched: false,
          errorSummary: errors.summary,
          errorFor: errors.byId,
        });
      }
    }),
  );

  return router;
}
