import { Router, type Request, type Response } from 'express';
import { hasRole } from '../../common/auth-user';
import { Conflict, FieldError, ValidationFailed } from '../../common/errors';
import { AUTHORISER_ROLES } from '../../common/vocabulary';
import {
  ApproveAuthorisationDto,
  EndAuthorisationDto,
  ReviewAuthorisationDto,
} from '../../monitoring/monitoring.dto';
import {
  checkDto,
  dateItems,
  type FormErrors,
  NO_ERRORS,
  parseDate,
  readDate,
  text,
  toFormErrors,
  uuidParam,
} from '../forms';
import { handle, requireRole } from '../guards';
import { label, STATUS_TAG_CLASSES } from '../labels';
import { type NameServices, pageNames } from '../names';
import type { WebServices } from '../services';
import { webUser } from '../web-user';
import { DECISION_WORDING, type DecisionValues, emptyDecisionForms } from './decision-forms';
import { STAFF_ROLES } from './roles';

/**
 * One authorisation, and the decisions on it: approve, review, end. Who may decide is checked by
 * the service as for the API; the page only leaves out the forms a user could not use.
 */
export function authorisationRoutes({
  monitoring,
  clock,
  ...nameServices
}: Pick<WebServices, 'monitoring' | 'clock' | NameServices>): Router {
  const router = Router();
  router.param('authorisationId', uuidParam);

  async function renderAuthorisation(
    req: Request,
    res: Response,
    id: string,
    values: DecisionValues = emptyDecisionForms(),
    errors: FormErrors = NO_ERRORS,
    status = 200,
  ) {
    const user = webUser(req);
    const authorisation = await monitoring.get(user, id);
    const authoriser = hasRole(user, ...AUTHORISER_ROLES);
    const open = authorisation.status === 'REQUESTED' || authorisation.status === 'ACTIVE';
    const names = await pageNames(nameServices, {
      prisoners: [authorisation.prisonNumber],
      staff: [
        authorisation.requestedBy,
        authorisation.approvedBy,
        authorisation.endedBy,
        ...(authorisation.reviews ?? []).map((r) => r.reviewedBy),
      ],
    });
    res.status(status).render('pages/security/authorisation', {
      ...names,
      authorisation,
      tagClass: STATUS_TAG_CLASSES[authorisation.status],
      groundNames: authorisation.grounds.map((g) => label('ground', g)),
      channelNames: authorisation.channels.map((c) => label('channel', c)),
      reviews: [...(authorisation.reviews ?? [])].reverse(),
      isRequester: authorisation.requestedBy === user.username,
      // The prisoner page and the list are not every staff member's (a listener's, a POM's).
      canSeePrisoner: hasRole(user, 'POM', 'HEAD_OF_OMU', 'SECURITY_MANAGER'),
      canSeeList: hasRole(user, 'HEAD_OF_OMU', 'SECURITY_MANAGER'),
      canApprove: authoriser && authorisation.status === 'REQUESTED',
      canReview: authoriser && authorisation.status === 'ACTIVE',
      canEnd: authoriser && open,
      values,
      errorSummary: errors.summary,
      errorFor: errors.byId,
      decisionItems: [
        {
          value: 'CONTINUE',
          text: 'Continue monitoring',
          hint: { text: 'Monitoring is still necessary and proportionate.' },
          checked: values.decision === 'CONTINUE',
        },
        {
          value: 'END',
          text: 'End monitoring',
          hint: { text: 'Listening stops now.' },
          checked: values.decision === 'END',
        },
      ],
      nextReviewItems: dateItems(
        'nextReviewDueAt',
        values.nextReviewDueAt,
        Boolean(errors.byId['nextReviewDueAt-day']),
      ),
    });
  }

  /**
   * Runs a decision: the DTO's checks, then the service. Field errors and refusals of the state
   * (409) come back on the authorisation page in the error summary; a 403 is the forbidden page.
   */
  async function decide<T extends object>(
    req: Request,
    res: Response,
    cls: new () => T,
    plain: Record<string, unknown>,
    values: DecisionValues,
    extraErrors: FieldError[],
    act: (dto: T) => Promise<unknown>,
    flash: { heading: string; text?: string },
  ) {
    const id = req.params.authorisationId as string;
    const invalid = (details: FieldError[], status: number) =>
      renderAuthorisation(req, res, id, values, toFormErrors(details, DECISION_WORDING), status);
    const { dto, errors } = await checkDto(cls, plain);
    errors.push(...extraErrors);
    if (errors.length) return invalid(errors, 400);
    try {
      await act(dto);
    } catch (err) {
      if (err instanceof ValidationFailed) return invalid(err.details, 400);
      if (err instanceof Conflict) {
        return invalid([{ field: 'authorisation', message: err.message }], 409);
      }
      throw err;
    }
    req.session.flash = { type: 'success', ...flash };
    return res.redirect(`/authorisations/${id}`);
  }

  router.get(
    '/authorisations/:authorisationId',
    requireRole(...STAFF_ROLES),
    handle((req, res) => renderAuthorisation(req, res, req.params.authorisationId as string)),
  );

  router.post(
    '/authorisations/:authorisationId/approve',
    requireRole(...AUTHORISER_ROLES),
    handle((req, res) => {
      const note = text((req.body as Record<string, unknown>).note).trim();
      const values = { ...emptyDecisionForms(), note };
      return decide(
        req,
        res,
        ApproveAuthorisationDto,
        { note: note || undefined },
        values,
        [],
        (dto) => monitoring.approve(webUser(req), req.params.authorisationId as string, dto),
        {
          heading: 'Monitoring is approved',
          text: 'Calls under this authorisation are now heard.',
        },
      );
    }),
  );

  router.post(
    '/authorisations/:authorisationId/review',
    requireRole(...AUTHORISER_ROLES),
    handle((req, res) => {
      const body = req.body as Record<string, unknown>;
      const values = {
        ...emptyDecisionForms(),
        decision: text(body.decision),
        rationale: text(body.rationale),
        nextReviewDueAt: readDate(body, 'nextReviewDueAt'),
      };
      const next = parseDate(values.nextReviewDueAt, 'The next review date');
      // The service's rule, checked here too so that it comes with the form's other errors.
      if (next.date && next.date.getTime() <= clock.now().getTime()) {
        next.error = 'The next review date must be in the future';
        next.date = undefined;
      }
      return decide(
        req,
        res,
        ReviewAuthorisationDto,
        {
          decision: values.decision || undefined,
          rationale: values.rationale.trim(),
          nextReviewDueAt: next.date,
        },
        values,
        next.error ? [{ field: 'nextReviewDueAt', message: next.error }] : [],
        (dto) => monitoring.review(webUser(req), req.params.authorisationId as string, dto),
        {
          heading:
            values.decision === 'END' ? 'Monitoring is ended on review' : 'The review is recorded',
        },
      );
    }),
  );

  router.post(
    '/authorisations/:authorisationId/end',
    requireRole(...AUTHORISER_ROLES),
    handle((req, res) => {
      const reason = text((req.body as Record<string, unknown>).reason);
      const values = { ...emptyDecisionForms(), reason };
      return decide(
        req,
        res,
        EndAuthorisationDto,
        { reason: reason.trim() },
        values,
        [],
        (dto) => monitoring.end(webUser(req), req.params.authorisationId as string, dto),
        { heading: 'Monitoring is ended', text: `Reason: ${reason.trim()}` },
      );
    }),
  );

  return router;
}
