import { Router, type Request, type Response } from 'express';
import { type FieldError, ValidationFailed } from '../../common/errors';
import { CHANNELS, GROUNDS } from '../../common/vocabulary';
import { DECISION_STATUSES, type DecisionStatus } from '../../decisions/decisions.dto';
import { monitoringRequestDraft } from '../../decisions/request-draft';
import {
  type FormErrors,
  NO_ERRORS,
  pageNumber,
  pagination,
  text,
  toFormErrors,
  uuidParam,
} from '../forms';
import { handle, requireRole } from '../guards';
import { label } from '../labels';
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

const PAGE_SIZE = 50;
const DECIDERS = ['SECURITY_MANAGER', 'HEAD_OF_OMU'] as const;

interface DecideValues {
  decision: string;
  rationale: string;
  request: RequestFormValues;
}

/**
 * Monitoring decisions on arrival: the list (due, overdue in red; decided) and one decision's form:
 * MONITOR opens a monitoring request (its fields filled in from the prisoner's markers) for a second
 * person to approve; DO_NOT_MONITOR records why not. The same DecisionsService as the API.
 */
export function decisionsRoutes({
  decisions,
  clock,
  ...nameServices
}: Pick<WebServices, 'decisions' | 'clock' | NameServices>): Router {
  const router = Router();
  router.param('decisionId', uuidParam);

  router.get(
    '/monitoring-decisions',
    requireRole(...DECIDERS),
    handle(async (req, res) => {
      const user = webUser(req);
      const asked = text(req.query.status);
      const status: DecisionStatus = (DECISION_STATUSES as readonly string[]).includes(asked)
        ? (asked as DecisionStatus)
        : 'DUE';
      const page = pageNumber(req.query.page);
      const result = await decisions.list(user, {
        establishment: user.activeEstablishment ?? undefined,
        status,
        limit: PAGE_SIZE,
        offset: (page - 1) * PAGE_SIZE,
      });
      res.render('pages/security/monitoring-decisions', {
        ...(await pageNames(nameServices, {
          prisoners: result.items.map((d) => d.prisonNumber),
          staff: result.items.map((d) => d.decidedBy),
        })),
        decisions: result.items,
        total: result.total,
        status,
        tabs: DECISION_STATUSES.map((s) => ({
          href: `/monitoring-decisions?status=${s}`,
          text: label('decisionStatus', s),
          current: s === status,
        })),
        pagination: pagination('/monitoring-decisions', page, result.total, PAGE_SIZE, { status }),
      });
    }),
  );

  async function renderDecision(
    req: Request,
    res: Response,
    id: string,
    values: DecideValues | null,
    errors: FormErrors = NO_ERRORS,
    httpStatus = 200,
  ) {
    const decision = await decisions.get(webUser(req), id);
    const draft = monitoringRequestDraft(decision);
    const v: DecideValues = values ?? {
      decision: '',
      rationale: '',
      request: {
        ...emptyRequestForm(),
        ...draft,
        grounds: [...draft.grounds],
        channels: ['PHONE'],
      },
    };
    res.status(httpStatus).render('pages/security/monitoring-decision', {
      ...(await pageNames(nameServices, {
        prisoners: [decision.prisonNumber],
        staff: [decision.decidedBy],
      })),
      decision,
      values: v,
      errorSummary: errors.summary,
      errorFor: errors.byId,
      decisionItems: [
        {
          value: 'MONITOR',
          text: 'Monitor: request monitoring of his phone calls',
          hint: { text: 'Opens the request below; another person must approve it.' },
          checked: v.decision === 'MONITOR',
        },
        {
          value: 'DO_NOT_MONITOR',
          text: 'Do not monitor',
          hint: { text: 'A new pattern alert or marker asks for the decision again.' },
          checked: v.decision === 'DO_NOT_MONITOR',
        },
      ],
      groundItems: GROUNDS.map((code) => ({
        value: code,
        text: label('ground', code),
        checked: v.request.grounds.includes(code),
      })),
      channelItems: CHANNELS.map((code) => ({
        value: code,
        text: label('channel', code),
        checked: v.request.channels.includes(code),
      })),
    });
  }

  router.get(
    '/monitoring-decisions/:decisionId',
    requireRole(...DECIDERS),
    handle((req, res) => renderDecision(req, res, req.params.decisionId as string, null)),
  );

  router.post(
    '/monitoring-decisions/:decisionId',
    requireRole(...DECIDERS),
    handle(async (req, res) => {
      const id = req.params.decisionId as string;
      const body = req.body as Record<string, unknown>;
      const values: DecideValues = {
        decision: text(body.decision),
        rationale: text(body.rationale).trim(),
        request: { ...parseRequestForm(body), type: 'OFFENCE_RELATED' },
      };
      const invalid = (details: FieldError[]) =>
        renderDecision(req, res, id, values, toFormErrors(details, REQUEST_WORDING), 400);
      const errors: FieldError[] = [];
      if (values.decision !== 'MONITOR' && values.decision !== 'DO_NOT_MONITOR') {
        errors.push({ field: 'decision', message: 'Select whether to monitor' });
      }
      if (!values.rationale) {
        errors.push({ field: 'rationale', message: 'Give the reasons for your decision' });
      }
      const monitor = values.decision === 'MONITOR';
      const checked = monitor ? await validateRequestForm(values.request, clock.now()) : null;
      if (checked) errors.push(...checked.errors);
      if (errors.length) return invalid(errors);
      let decided: Awaited<ReturnType<WebServices['decisions']['decide']>>;
      try {
        decided = await decisions.decide(webUser(req), id, {
          decision: monitor ? 'MONITOR' : 'DO_NOT_MONITOR',
          rationale: values.rationale,
          authorisation: checked?.dto,
        });
      } catch (err) {
        if (err instanceof ValidationFailed) {
          return invalid(
            err.details.map((d) => ({ ...d, field: d.field.replace(/^authorisation\./, '') })),
          );
        }
        throw err;
      }
      const whom = await prisonerInWords(nameServices, decided.prisonNumber);
      req.session.flash = monitor
        ? {
            type: 'success',
            heading: `Monitoring of ${whom} is requested`,
            text: 'Another security manager or the head of offender management must approve it before listening starts.',
          }
        : {
            type: 'success',
            heading: `Decided not to monitor ${whom}`,
            text: 'A new pattern alert or marker will ask for the decision again.',
          };
      return res.redirect(
        decided.authorisationId
          ? `/authorisations/${decided.authorisationId}`
          : '/monitoring-decisions?status=DECIDED',
      );
    }),
  );

  return router;
}
