import { Router, type Request, type Response } from 'express';
import { hasRole } from '../../common/auth-user';
import { FieldError, ValidationFailed } from '../../common/errors';
import { ESCALATION_STATUSES, type EscalationStatus } from '../../common/vocabulary';
import { CloseEscalationDto } from '../../escalations/escalations.dto';
import type { EscalationsService } from '../../escalations/escalations.service';
import {
  checkDto,
  dateItems,
  type FormErrors,
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
  closeFormBody,
  closeFormItems,
  closeFormValues,
  type CloseFormValues,
  closeWording,
  EMPTY_CLOSE_FORM,
  outcomeInWords,
} from './close-forms';
import {
  checkShareForm,
  emptyShareForm,
  readShareForm,
  shareChannelItems,
  type ShareFormValues,
  SHARE_WORDING,
} from './com-forms';

/** Escalations per page of the inbox. */
const INBOX_PAGE = 50;
/** The most logs behind an escalation opened on its page (the rest are linked). */
const LOGS_SHOWN = 10;

/**
 * The escalations inbox with acknowledge and close, for POMs, heads of OMU and security managers,
 * and "Share with the COM" on a COM escalation. Who may act on an escalation is the service's own
 * rule (`EscalationsService.mayAct`).
 */
export function escalationRoutes({
  escalations,
  logs,
  clock,
  ...nameServices
}: Pick<WebServices, 'escalations' | 'logs' | 'clock' | NameServices>): Router {
  const router = Router();
  const staff = requireRole('POM', 'HEAD_OF_OMU', 'SECURITY_MANAGER');
  router.param('escalationId', uuidParam);

  router.get(
    '/escalations',
    staff,
    handle(async (req, res) => {
      const user = webUser(req);
      // A POM sees their own; heads and security managers may choose everything at the establishment.
      const canSeeAll = hasRole(user, 'HEAD_OF_OMU', 'SECURITY_MANAGER');
      const view = canSeeAll && text(req.query.view) === 'all' ? 'all' : 'mine';
      const status = (ESCALATION_STATUSES as readonly string[]).includes(text(req.query.status))
        ? (text(req.query.status) as EscalationStatus)
        : undefined;
      const page = pageNumber(req.query.page);
      const { items, total } = await escalations.list(user, {
        mine: view === 'mine',
        status,
        establishment: user.activeEstablishment ?? undefined,
        limit: INBOX_PAGE,
        offset: (page - 1) * INBOX_PAGE,
      });
      const query: Record<string, string> = {};
      if (view === 'all') query.view = 'all';
      if (status) query.status = status;
      res.render('pages/pom/escalations', {
        ...(await pageNames(nameServices, {
          prisoners: items.map((e) => e.prisonNumber),
          staff: items.map((e) => e.assignee),
        })),
        items,
        total,
        view,
        canSeeAll,
        status: status ?? '',
        statusItems: [
          { value: '', text: 'Any status', selected: !status },
          ...ESCALATION_STATUSES.map((s) => ({
            value: s,
            text: label('escalationStatus', s),
            selected: s === status,
          })),
        ],
        viewHrefs: Object.fromEntries(
          ['mine', 'all'].map((v) => [
            v,
            `/escalations?${new URLSearchParams({ view: v, ...(status ? { status } : {}) }).toString()}`,
          ]),
        ),
        pagination: pagination('/escalations', page, total, INBOX_PAGE, query),
      });
    }),
  );

  /** Renders an escalation with the logs behind it and its forms (as typed, with errors). */
  async function renderEscalation(
    req: Request,
    res: Response,
    id: string,
    form: { values: CloseFormValues; errors?: FormErrors },
    status = 200,
    share: { values: ShareFormValues; errors?: FormErrors } = {
      values: emptyShareForm(clock.now()),
    },
  ) {
    const user = webUser(req);
    const escalation = await escalations.get(user, id);
    // Opening the logs here is reading them: audited, and read for the prisoner's POM.
    const shown = escalation.logIds.slice(0, LOGS_SHOWN);
    const behind = await Promise.all(shown.map((logId) => logs.get(user, logId)));
    const actor = await escalations.mayActOn(user, id);
    const mappa = escalation.target === 'MAPPA';
    const shareErrors = share.errors?.byId ?? {};
    const names = await pageNames(nameServices, {
      prisoners: [escalation.prisonNumber],
      staff: [
        escalation.assignee,
        escalation.createdBy,
        escalation.acknowledgedBy,
        escalation.closedBy,
        ...escalation.shares.map((sh) => sh.sharedBy),
      ],
    });
    res.status(status).render('pages/pom/escalation', {
      ...names,
      escalation,
      targetName: label('escalationTarget', escalation.target),
      outcomeLabel: outcomeInWords(escalation),
      logs: behind,
      moreLogs: escalation.logIds.slice(LOGS_SHOWN),
      canAcknowledge: actor && escalation.status === 'OPEN',
      canClose: actor && escalation.status !== 'CLOSED',
      mappaForm: mappa,
      values: form.values,
      errorSummary: [...(form.errors?.summary ?? []), ...(share.errors?.summary ?? [])],
      errorFor: form.errors?.byId ?? {},
      ...closeFormItems(form.values, mappa),
      comEscalation: escalation.target === 'COM',
      canShare: actor && escalation.target === 'COM',
      share: {
        values: share.values,
        errorFor: shareErrors,
        channelItems: shareChannelItems(share.values),
        dateItems: dateItems('sharedOn', share.values.sharedOn, !!shareErrors['sharedOn-day']),
      },
    });
  }

  router.get(
    '/escalations/:escalationId',
    staff,
    handle((req, res) =>
      renderEscalation(req, res, req.params.escalationId as string, {
        values: EMPTY_CLOSE_FORM,
      }),
    ),
  );

  router.post(
    '/escalations/:escalationId/acknowledge',
    staff,
    handle(async (req, res) => {
      const id = req.params.escalationId as string;
      const done = await escalations.acknowledge(webUser(req), id);
      req.session.flash = {
        type: 'success',
        heading: 'Escalation acknowledged',
        text: `${await prisonerInWords(nameServices, done.prisonNumber)}: close it with an outcome when you have acted on it.`,
      };
      res.redirect(`/escalations/${id}`);
    }),
  );

  router.post(
    '/escalations/:escalationId/close',
    staff,
    handle(async (req, res) => {
      const id = req.params.escalationId as string;
      const values: CloseFormValues = closeFormValues(req.body as Record<string, unknown>);
      // Which form was sent is the escalation's own: a MAPPA one closes with its review's outcome.
      const mappa = (await escalations.get(webUser(req), id)).target === 'MAPPA';
      const { dto, errors } = await checkDto(CloseEscalationDto, closeFormBody(values, mappa));
      const invalid = (details: FieldError[]) =>
        renderEscalation(
          req,
          res,
          id,
          { values, errors: toFormErrors(details, closeWording(values, mappa)) },
          400,
        );
      if (errors.length) return invalid(errors);
      let closed: Awaited<ReturnType<EscalationsService['close']>>;
      try {
        closed = await escalations.close(webUser(req), id, dto);
      } catch (err) {
        if (err instanceof ValidationFailed) return invalid(err.details);
        throw err;
      }
      req.session.flash = {
        type: 'success',
        heading: 'Escalation closed',
        text: `${await prisonerInWords(nameServices, closed.prisonNumber)}: ${outcomeInWords(closed).replace(/ \(.*\)$/, '')}.`,
      };
      return res.redirect('/escalations');
    }),
  );

  router.post(
    '/escalations/:escalationId/shares',
    requireRole('POM', 'HEAD_OF_OMU'),
    handle(async (req, res) => {
      const id = req.params.escalationId as string;
      const values = readShareForm(req.body as Record<string, unknown>);
      const { dto, errors } = await checkShareForm(values);
      const invalid = (shareErrors: FormErrors) =>
        renderEscalation(req, res, id, { values: EMPTY_CLOSE_FORM }, 400, {
          values,
          errors: shareErrors,
        });
      if (errors) return invalid(errors);
      try {
        await escalations.share(webUser(req), id, dto);
      } catch (err) {
        if (err instanceof ValidationFailed)
          return invalid(toFormErrors(err.details, SHARE_WORDING));
        throw err;
      }
      req.session.flash = {
        type: 'success',
        heading: 'Shared with the COM',
        text: `Recorded: shared by ${label('shareChannel', dto.channel).toLowerCase()}.`,
      };
      return res.redirect(`/escalations/${id}#shares`);
    }),
  );

  return router;
}
