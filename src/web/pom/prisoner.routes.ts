import { Router, type Request, type Response } from 'express';
import { Forbidden, ValidationFailed } from '../../common/errors';
import { THEMES, type Theme } from '../../common/vocabulary';
import {
  dateItems,
  type FormErrors,
  pageNumber,
  pagination,
  prisonNumberParam,
  text,
  toFormErrors,
  uuidParam,
} from '../forms';
import { handle, requireRole } from '../guards';
import { label } from '../labels';
import { pageNames, prisonerInWords } from '../names';
import { PRISONER_PAGE_ROLES } from '../navigation';
import type { WebServices } from '../services';
import { webUser } from '../web-user';
import { outcomeInWords } from './close-forms';
import {
  checkComForm,
  COM_WORDING,
  comFormFromRecord,
  type ComFormValues,
  readComForm,
} from './com-forms';

/** Logs shown per page of a prisoner's timeline. */
const TIMELINE_PAGE = 20;

/**
 * The prisoner page (profile, community offender manager, timeline of logs, escalations), the form
 * recording the COM, and one log with its versions.
 */
export function prisonerRoutes({
  prisoners,
  prisonerProfiles,
  logs,
  escalations,
  digests,
  staff: staffService,
}: Pick<
  WebServices,
  'prisoners' | 'prisonerProfiles' | 'logs' | 'escalations' | 'digests' | 'staff'
>): Router {
  const nameServices = { prisoners, staff: staffService };
  const router = Router();
  const staff = requireRole('POM', 'HEAD_OF_OMU', 'SECURITY_MANAGER');
  router.param('logId', uuidParam);
  router.param('prisonNumber', prisonNumberParam);

  router.get(
    '/prisoners/:prisonNumber',
    requireRole(...PRISONER_PAGE_ROLES),
    handle(async (req, res) => {
      const user = webUser(req);
      const prisonNumber = req.params.prisonNumber as string;
      const theme = (THEMES as readonly string[]).includes(text(req.query.theme))
        ? (text(req.query.theme) as Theme)
        : undefined;
      const page = pageNumber(req.query.page);
      // The profile first: it refuses (403, 404) a prisoner this user may not see.
      const prisoner = await prisonerProfiles.get(user, prisonNumber);
      const canHandleDigest = digests.mayHandle(user, prisoner);
      const [timeline, prisonerEscalations, due] = await Promise.all([
        logs.forPrisoner(user, prisonNumber, {
          theme,
          limit: TIMELINE_PAGE,
          offset: (page - 1) * TIMELINE_PAGE,
        }),
        escalations.list(user, { prisonNumber, limit: 100, offset: 0 }),
        canHandleDigest ? digests.due([prisonNumber]) : new Map<string, string>(),
      ]);
      res.render('pages/pom/prisoner', {
        ...(await pageNames(nameServices, {
          staff: [prisoner.pomUsername, prisoner.leadListenerUsername],
        })),
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
        canRecordCom: prisoners.mayRecordCom(user, prisoner),
        canHandleDigest,
        digestDue: due.has(prisonNumber),
      });
    }),
  );

  const comStaff = requireRole('POM', 'HEAD_OF_OMU');

  /** The COM form, as typed and with its errors, or as the record has it. */
  async function renderComForm(
    req: Request,
    res: Response,
    form: { values?: ComFormValues; errors?: FormErrors },
    status = 200,
  ) {
    const user = webUser(req);
    const prisoner = await prisonerProfiles.get(user, req.params.prisonNumber as string);
    if (!prisoners.mayRecordCom(user, prisoner))
      throw new Forbidden(
        'Only the prisoner’s POM or a head of offender management may record their COM',
      );
    const values = form.values ?? comFormFromRecord(prisoner);
    const errorFor = form.errors?.byId ?? {};
    res.status(status).render('pages/pom/com', {
      prisoner,
      values,
      errorSummary: form.errors?.summary ?? [],
      errorFor,
      allocatedOnItems: dateItems('allocatedOn', values.allocatedOn, !!errorFor['allocatedOn-day']),
      handoverDateItems: dateItems(
        'handoverDate',
        values.handoverDate,
        !!errorFor['handoverDate-day'],
      ),
    });
  }

  router.get(
    '/prisoners/:prisonNumber/com',
    comStaff,
    handle((req, res) => renderComForm(req, res, {})),
  );

  router.post(
    '/prisoners/:prisonNumber/com',
    comStaff,
    handle(async (req, res) => {
      const prisonNumber = req.params.prisonNumber as string;
      const values = readComForm(req.body as Record<string, unknown>);
      const { dto, errors } = await checkComForm(values);
      if (errors) return renderComForm(req, res, { values, errors }, 400);
      try {
        await prisoners.recordCom(webUser(req), prisonNumber, dto);
      } catch (err) {
        if (err instanceof ValidationFailed)
          return renderComForm(
            req,
            res,
            { values, errors: toFormErrors(err.details, COM_WORDING) },
            400,
          );
        throw err;
      }
      const whom = await prisonerInWords(nameServices, prisonNumber);
      req.session.flash = {
        type: 'success',
        heading: dto.com ? 'Community offender manager recorded' : 'No COM recorded',
        text: dto.com
          ? `${dto.com.name} is recorded as the COM of ${whom}.`
          : `${whom} has no community offender manager recorded.`,
      };
      return res.redirect(`/prisoners/${prisonNumber}`);
    }),
  );

  router.get(
    '/logs/:logId',
    staff,
    handle(async (req, res) => {
      const log = await logs.get(webUser(req), req.params.logId as string);
      res.render('pages/pom/log', {
        ...(await pageNames(nameServices, {
          prisoners: [log.prisonNumber],
          staff: [log.author, ...log.versions.map((v) => v.author)],
        })),
        log,
        // Newest first; the one opened is marked.
        versions: [...log.versions].sort((a, b) => b.version - a.version),
      });
    }),
  );

  return router;
}
