import { Router, type Request, type Response } from 'express';
import { hasRole } from '../../auth/auth-user';
import { FieldError, ValidationFailed } from '../../common/errors';
import {
  ESCALATION_OUTCOMES,
  ESCALATION_STATUSES,
  type EscalationStatus,
} from '../../common/vocabulary';
import { CloseEscalationDto } from '../../escalations/escalations.dto';
import type { EscalationsService } from '../../escalations/escalations.service';
import {
  checkDto,
  type FormErrors,
  type FormWording,
  pageNumber,
  pagination,
  text,
  toFormErrors,
  uuidParam,
} from '../forms';
import { handle, requireRole } from '../guards';
import { label } from '../labels';
import type { WebServices } from '../services';
import { webUser } from '../web-user';

/** Escalations per page of the inbox. */
const INBOX_PAGE = 50;
/** The most logs behind an escalation opened on its page (the rest are linked). */
const LOGS_SHOWN = 10;

interface CloseFormValues {
  outcome: string;
  note: string;
}

const CLOSE_MESSAGES: Record<string, string> = {
  outcome: 'Select what was done',
  note: 'Say what was done: a note is needed when the outcome is Other',
};

/** The most a closing note may hold (CloseEscalationDto's MaxLength). */
const NOTE_MAX = 5000;

/**
 * The close form's errors, in page order (outcome, then note). The note's message says what is
 * wrong with the note as typed: an empty note breaks every rule at once (class-validator's
 * MaxLength also refuses a missing value), so it is told to say what was done, never that it is
 * too long.
 */
const closeWording = (values: CloseFormValues): FormWording => ({
  idOf: (field) => (field === 'note' ? 'note' : 'outcome'),
  message: (id) =>
    id === 'note' && values.note.length > NOTE_MAX
      ? 'The note must be 5,000 characters or fewer'
      : CLOSE_MESSAGES[id],
  compare: (a, b) => (a === b ? 0 : a === 'outcome' ? -1 : 1),
});

/**
 * The escalations inbox with acknowledge and close, for POMs, heads of OMU and security managers.
 * Who may act on an escalation is the service's own rule (`EscalationsService.mayAct`).
 */
export function escalationRoutes({
  escalations,
  logs,
}: Pick<WebServices, 'escalations' | 'logs'>): Router {
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
  ) {
    const user = webUser(req);
    const escalation = await escalations.get(user, id);
    // Opening the logs here is reading them: audited, and read for the prisoner's POM.
    const shown = escalation.logIds.slice(0, LOGS_SHOWN);
    const behind = await Promise.all(shown.map((logId) => logs.get(user, logId)));
    const actor = escalations.mayAct(user, escalation);
    res.status(status).render('pages/pom/escalation', {
      escalation,
      targetName: label('escalationTarget', escalation.target),
      outcomeLabel: escalation.outcome ? label('escalationOutcome', escalation.outcome) : '',
      logs: behind,
      moreLogs: escalation.logIds.slice(LOGS_SHOWN),
      canAcknowledge: actor && escalation.status === 'OPEN',
      canClose: actor && escalation.status !== 'CLOSED',
      values: form.values,
      errorSummary: form.errors?.summary ?? [],
      errorFor: form.errors?.byId ?? {},
      outcomeItems: ESCALATION_OUTCOMES.map((code) => ({
        value: code,
        text: label('escalationOutcome', code),
        checked: code === form.values.outcome,
      })),
    });
  }

  router.get(
    '/escalations/:escalationId',
    staff,
    handle((req, res) =>
      renderEscalation(req, res, req.params.escalationId as string, {
        values: { outcome: '', note: '' },
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
        text: `Prisoner ${done.prisonNumber}: close it with an outcome when you have acted on it.`,
      };
      res.redirect(`/escalations/${id}`);
    }),
  );

  router.post(
    '/escalations/:escalationId/close',
    staff,
    handle(async (req, res) => {
      const id = req.params.escalationId as string;
      const body = req.body as Record<string, unknown>;
      const values = { outcome: text(body.outcome), note: text(body.note) };
      const { dto, errors } = await checkDto(CloseEscalationDto, {
        outcome: values.outcome || undefined,
        note: values.note.trim() === '' ? undefined : values.note,
      });
      const invalid = (details: FieldError[]) =>
        renderEscalation(
          req,
          res,
          id,
          { values, errors: toFormErrors(details, closeWording(values)) },
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
        text: `Prisoner ${closed.prisonNumber}: ${label('escalationOutcome', dto.outcome).replace(/ \(.*\)$/, '')}.`,
      };
      return res.redirect('/escalations');
    }),
  );

  return router;
}
