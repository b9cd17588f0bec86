import { Router, type Request, type Response } from 'express';
import { FieldError, NotFound, ValidationFailed } from '../../common/errors';
import {
  AUTHORISATION_STATUSES,
  AUTHORISATION_TYPES,
  type AuthorisationStatus,
  CHANNELS,
  GROUNDS,
  PRISON_NUMBER,
} from '../../common/vocabulary';
import type { MonitoringService } from '../../monitoring/monitoring.service';
import {
  dateItems,
  type FormErrors,
  NO_ERRORS,
  pageNumber,
  pagination,
  prisonNumberParam,
  text,
  toFormErrors,
} from '../forms';
import { handle, requireRole } from '../guards';
import { AUTHORISATION_TYPE_HINTS, label, STATUS_TAG_CLASSES } from '../labels';
import { type NameServices, pageNames, prisonerInWords } from '../names';
import type { WebServices } from '../services';
import { webUser } from '../web-user';
import {
  emptyRequestForm,
  parseRequestForm,
  REQUEST_WORDING,
  type RequestFormValues,
  validateRequestForm,
} from './request-form';
import { STAFF_ROLES } from './roles';

const PAGE_SIZE = 50;

/**
 * The authorisations list (with what waits for a decision), "Request monitoring" by prison number,
 * and the request form of one prisoner.
 */
export function authorisationsRoutes({
  monitoring,
  prisoners,
  clock,
  staff,
}: Pick<WebServices, 'monitoring' | 'clock' | NameServices>): Router {
  const router = Router();
  router.param('prisonNumber', prisonNumberParam);

  /** The authorisations list, with what waits for a decision and the request-by-number form. */
  async function renderAuthorisations(
    req: Request,
    res: Response,
    find: { prisonNumber: string; errors: FormErrors } = { prisonNumber: '', errors: NO_ERRORS },
    httpStatus = 200,
  ) {
    const user = webUser(req);
    const establishment = user.activeEstablishment ?? undefined;
    const requested = text(req.query.status);
    const status = (AUTHORISATION_STATUSES as readonly string[]).includes(requested)
      ? (requested as AuthorisationStatus)
      : undefined;
    const page = pageNumber(req.query.page);
    // What waits for a decision is counted only (no rows read), the list below shows the rows.
    const count = (q: { status: AuthorisationStatus; reviewOverdue?: boolean }) =>
      monitoring.list(user, { establishment, ...q, limit: 0, offset: 0 }).then((r) => r.total);
    const [result, waitingApproval, reviewsOverdue] = await Promise.all([
      monitoring.list(user, {
        establishment,
        status,
        limit: PAGE_SIZE,
        offset: (page - 1) * PAGE_SIZE,
      }),
      count({ status: 'REQUESTED' }),
      count({ status: 'ACTIVE', reviewOverdue: true }),
    ]);
    res.status(httpStatus).render('pages/security/authorisations', {
      ...(await pageNames(
        { prisoners, staff },
        {
          prisoners: result.items.map((a) => a.prisonNumber),
          staff: result.items.map((a) => a.requestedBy),
        },
      )),
      authorisations: result.items.map((a) => ({
        ...a,
        tagClass: STATUS_TAG_CLASSES[a.status],
      })),
      total: result.total,
      status: status ?? '',
      statusItems: [
        { value: '', text: 'All statuses', selected: !status },
        ...AUTHORISATION_STATUSES.map((s) => ({
          value: s,
          text: label('authorisationStatus', s),
          selected: s === status,
        })),
      ],
      pagination: pagination('/authorisations', page, result.total, PAGE_SIZE, { status }),
      waiting: { approval: waitingApproval, reviewsOverdue },
      findValues: { prisonNumber: find.prisonNumber },
      errorSummary: find.errors.summary,
      errorFor: find.errors.byId,
    });
  }

  router.get(
    '/authorisations',
    requireRole('HEAD_OF_OMU', 'SECURITY_MANAGER'),
    handle((req, res) => renderAuthorisations(req, res)),
  );

  /** "Request monitoring" by prison number: the request form of any prisoner one may see. */
  router.get(
    '/authorisations/new',
    requireRole('HEAD_OF_OMU', 'SECURITY_MANAGER'),
    handle(async (req, res) => {
      const typed = text(req.query.prisonNumber).trim();
      const prisonNumber = typed.toUpperCase().replace(/\s+/g, '');
      let message: string;
      if (!typed) {
        message = 'Enter the prison number of the prisoner to monitor';
      } else if (!PRISON_NUMBER.test(prisonNumber)) {
        message = 'Enter a prison number in the right format, like A1234BC';
      } else {
        try {
          // Another establishment's prisoner is refused (and that refusal audited) as anywhere.
          await prisoners.findVisible(webUser(req), prisonNumber);
          return res.redirect(`/prisoners/${prisonNumber}/authorisations/new`);
        } catch (err) {
          if (!(err instanceof NotFound)) throw err;
          message = `There is no prisoner with the number ${prisonNumber}`;
        }
      }
      return renderAuthorisations(
        req,
        res,
        {
          prisonNumber: typed,
          errors: toFormErrors([{ field: 'prisonNumber', message }]),
        },
        400,
      );
    }),
  );

  // ---- Request an authorisation ----

  async function renderRequestForm(
    req: Request,
    res: Response,
    prisonNumber: string,
    values: RequestFormValues,
    errors: FormErrors = NO_ERRORS,
    status = 200,
  ) {
    const prisoner = await prisoners.findVisible(webUser(req), prisonNumber);
    res.status(status).render('pages/security/request-authorisation', {
      prisoner,
      values,
      errorSummary: errors.summary,
      errorFor: errors.byId,
      typeItems: AUTHORISATION_TYPES.map((code) => ({
        value: code,
        text: label('authorisationType', code),
        hint: { text: AUTHORISATION_TYPE_HINTS[code] },
        checked: values.type === code,
      })),
      groundItems: GROUNDS.map((code) => ({
        value: code,
        text: label('ground', code),
        checked: values.grounds.includes(code),
      })),
      channelItems: CHANNELS.map((code) => ({
        value: code,
        text: label('channel', code),
        checked: values.channels.includes(code),
      })),
      startsAtItems: dateItems('startsAt', values.startsAt, Boolean(errors.byId['startsAt-day'])),
      endsAtItems: dateItems('endsAt', values.endsAt, Boolean(errors.byId['endsAt-day'])),
    });
  }

  router.get(
    '/prisoners/:prisonNumber/authorisations/new',
    requireRole(...STAFF_ROLES),
    handle((req, res) =>
      renderRequestForm(req, res, req.params.prisonNumber as string, emptyRequestForm()),
    ),
  );

  router.post(
    '/prisoners/:prisonNumber/authorisations/new',
    requireRole(...STAFF_ROLES),
    handle(async (req, res) => {
      const prisonNumber = req.params.prisonNumber as string;
      const values = parseRequestForm(req.body as Record<string, unknown>);
      const invalid = (details: FieldError[]) =>
        renderRequestForm(
          req,
          res,
          prisonNumber,
          values,
          toFormErrors(details, REQUEST_WORDING),
          400,
        );
      const { dto, errors } = await validateRequestForm(values, clock.now());
      if (errors.length) return invalid(errors);
      let created: Awaited<ReturnType<MonitoringService['request']>>;
      try {
        created = await monitoring.request(webUser(req), prisonNumber, dto);
      } catch (err) {
        if (err instanceof ValidationFailed) return invalid(err.details);
        throw err;
      }
      req.session.flash = {
        type: 'success',
        heading: `Monitoring of ${await prisonerInWords({ prisoners, staff }, prisonNumber)} is requested`,
        text: 'Another security manager or the head of offender management must approve it before listening starts.',
      };
      return res.redirect(`/authorisations/${created.id}`);
    }),
  );

  return router;
}
