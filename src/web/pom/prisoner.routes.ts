import { Router } from 'express';
import { THEMES, type Theme } from '../../common/vocabulary';
import { pageNumber, pagination, prisonNumberParam, text, uuidParam } from '../forms';
import { handle, requireRole } from '../guards';
import { label } from '../labels';
import type { WebServices } from '../services';
import { webUser } from '../web-user';
import { outcomeInWords } from './close-forms';

/** Logs shown per page of a prisoner's timeline. */
const TIMELINE_PAGE = 20;

/** The prisoner page (profile, timeline of logs, escalations) and one log with its versions. */
export function prisonerRoutes({
  prisoners,
  logs,
  escalations,
}: Pick<WebServices, 'prisoners' | 'logs' | 'escalations'>): Router {
  const router = Router();
  const staff = requireRole('POM', 'HEAD_OF_OMU', 'SECURITY_MANAGER');
  router.param('logId', uuidParam);
  router.param('prisonNumber', prisonNumberParam);

  router.get(
    '/prisoners/:prisonNumber',
    staff,
    handle(async (req, res) => {
      const user = webUser(req);
      const prisonNumber = req.params.prisonNumber as string;
      const theme = (THEMES as readonly string[]).includes(text(req.query.theme))
        ? (text(req.query.theme) as Theme)
        : undefined;
      const page = pageNumber(req.query.page);
      // The profile first: it refuses (403, 404) a prisoner this user may not see.
      const prisoner = await prisoners.get(user, prisonNumber);
      const [timeline, prisonerEscalations] = await Promise.all([
        logs.forPrisoner(user, prisonNumber, {
          theme,
          limit: TIMELINE_PAGE,
          offset: (page - 1) * TIMELINE_PAGE,
        }),
        escalations.list(user, { prisonNumber, limit: 100, offset: 0 }),
      ]);
      res.render('pages/pom/prisoner', {
        prisoner,
        timeline: timeline.items,
        timelineTotal: timeline.total,
        theme: theme ?? '',
        themeItems: [
          { value: '', text: 'All themes', selected: !theme },
          ...THEMES.map((code) => ({
            value: code,
            text: label('theme', code),
            selected: code === theme,
          })),
        ],
        pagination: pagination(`/prisoners/${prisonNumber}`, page, timeline.total, TIMELINE_PAGE, {
          theme,
        }),
        escalations: prisonerEscalations.items.map((e) => ({
          ...e,
          outcomeWords: outcomeInWords(e),
        })),
      });
    }),
  );

  router.get(
    '/logs/:logId',
    staff,
    handle(async (req, res) => {
      const log = await logs.get(webUser(req), req.params.logId as string);
      res.render('pages/pom/log', {
        log,
        // Newest first; the one opened is marked.
        versions: [...log.versions].sort((a, b) => b.version - a.version),
      });
    }),
  );

  return router;
}
