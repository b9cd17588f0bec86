import { Router, type Request, type Response } from 'express';
import { type FieldError, NotFound, ValidationFailed } from '../../common/errors';
import { PRISON_NUMBER } from '../../common/vocabulary';
import { WorkingCalendar } from '../../common/working-days';
import { FLAG_DECISIONS } from '../../risk-flags/flag-decisions';
import { RISK_FLAG_TYPES, type RiskFlagType } from '../../risk-flags/risk-flag-rules';
import {
  dateItems,
  type DateValues,
  emptyDate,
  type FormErrors,
  NO_ERRORS,
  parseDate,
  readDate,
  text,
  toFormErrors,
} from '../forms';
import { handle, requireRole } from '../guards';
import { label } from '../labels';
import { type NameServices, pageNames, prisonerInWords } from '../names';
import type { WebServices } from '../services';
import { webUser } from '../web-user';
import { establishmentOf } from './one-establishment';

const HEADS = ['HEAD_OF_OMU', 'SECURITY_MANAGER'] as const;

interface FlagDecisionValues {
  type: string;
  prisonNumber: string;
  decision: string;
  rationale: string;
  reviewBy: DateValues;
}

const REVIEW_BY_ID = 'reviewBy-day';

/**
 * A decision on a risk flag from the head's risk-flags page: ACTIONED or ACCEPTED_RISK, why, and
 * when to look again. The same RiskFlagsService.decide as the API (audited there).
 */
export function flagDecisionRoutes({
  riskFlags,
  ...nameServices
}: Pick<WebServices, 'riskFlags' | NameServices>): Router {
  const router = Router();

  async function renderForm(
    req: Request,
    res: Response,
    values: FlagDecisionValues,
    errors: FormErrors = NO_ERRORS,
    status = 200,
  ) {
    const user = webUser(req);
    const open = await riskFlags.list(user, {
      establishment: establishmentOf(req),
      type: values.type as RiskFlagType,
    });
    const flags = open.items.filter((f) => f.prisonNumber === values.prisonNumber);
    if (flags.length === 0) throw new NotFound('There is no such open flag');
    res.status(status).render('pages/head/flag-decision', {
      ...(await pageNames(nameServices, { prisoners: [values.prisonNumber] })),
      flags,
      values,
      errorSummary: errors.summary,
      errorFor: errors.byId,
      decisionItems: FLAG_DECISIONS.map((code) => ({
        value: code,
        text: label('flagDecision', code),
        checked: values.decision === code,
      })),
      reviewByItems: dateItems('reviewBy', values.reviewBy, Boolean(errors.byId[REVIEW_BY_ID])),
    });
  }

  const flagOf = (q: Record<string, unknown>) => {
    const type = text(q.type);
    const prisonNumber = text(q.prisonNumber);
    if (!(RISK_FLAG_TYPES as readonly string[]).includes(type) || !PRISON_NUMBER.test(prisonNumber))
      throw new NotFound('There is no such open flag');
    return { type, prisonNumber };
  };

  router.get(
    '/risk-flags/decide',
    requireRole(...HEADS),
    handle((req, res) =>
      renderForm(req, res, {
        ...flagOf(req.query as Record<string, unknown>),
        decision: '',
        rationale: '',
        reviewBy: emptyDate(),
      }),
    ),
  );

  router.post(
    '/risk-flags/decide',
    requireRole(...HEADS),
    handle(async (req, res) => {
      const body = req.body as Record<string, unknown>;
      const values: FlagDecisionValues = {
        ...flagOf(body),
        decision: text(body.decision),
        rationale: text(body.rationale).trim(),
        reviewBy: readDate(body, 'reviewBy'),
      };
      const errors: FieldError[] = [];
      if (!(FLAG_DECISIONS as readonly string[]).includes(values.decision))
        errors.push({ field: 'decision', message: 'Select what was decided' });
      if (!values.rationale)
        errors.push({ field: 'rationale', message: 'Give the reasons for the decision' });
      const reviewBy = parseDate(values.reviewBy, 'The review date');
      if (reviewBy.error) errors.push({ field: REVIEW_BY_ID, message: reviewBy.error });
      else if (!reviewBy.date)
        errors.push({ field: REVIEW_BY_ID, message: 'Enter the date to review the flag by' });
      const invalid = (details: FieldError[]) =>
        renderForm(req, res, values, toFormErrors(details), 400);
      if (errors.length) return invalid(errors);
      try {
        await riskFlags.decide(webUser(req), {
          type: values.type as RiskFlagType,
          prisonNumber: values.prisonNumber,
          decision: values.decision as (typeof FLAG_DECISIONS)[number],
          rationale: values.rationale,
          reviewBy: WorkingCalendar.londonDate(reviewBy.date!),
        });
      } catch (err) {
        if (err instanceof ValidationFailed) {
          return invalid(
            err.details.map((d) => ({
              field: d.field === 'reviewBy' ? REVIEW_BY_ID : d.field,
              message: d.field === 'reviewBy' ? 'The review date must be in the future' : d.message,
            })),
          );
        }
        throw err;
      }
      req.session.flash = {
        type: 'success',
        heading: `${label('riskFlag', values.type)}: ${label('flagDecision', values.decision)}`,
        text: `The flag about ${await prisonerInWords(nameServices, values.prisonNumber)} leaves the open list until the review date, or until what it is about changes.`,
      };
      return res.redirect('/risk-flags');
    }),
  );

  return router;
}
