import type { NestExpressApplication } from '@nestjs/platform-express';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { Router, type Request, type Response } from 'express';
import { hasRole } from '../auth/auth-user';
import { FieldError, ValidationFailed } from '../common/errors';
import { flattenValidationErrors } from '../common/validation';
import {
  ESCALATION_OUTCOMES,
  ESCALATION_STATUSES,
  EscalationStatus,
  PRISON_NUMBER,
  Theme,
  THEMES,
} from '../common/vocabulary';
import { CaseloadEntry, CaseloadService } from '../escalations/caseload.service';
import { CloseEscalationDto } from '../escalations/escalations.dto';
import { EscalationsService, TARGET_ROLES } from '../escalations/escalations.service';
import { LogsService } from '../logs/logs.service';
import { PrisonersService } from '../prisoners/prisoners.service';
import { handle, requireRole } from './guards';
import type { FormErrors } from './log-form';
import { humanise } from './nunjucks-setup';
import { notFound } from './web-errors';
import { pageNumber, pagination, text, UUID } from './paging';
import { webUser, type WebUser } from './web-user';

/** Logs shown per page of a prisoner's timeline, escalations per page of the inbox. */
const TIMELINE_PAGE = 20;
const INBOX_PAGE = 50;
/** The most logs behind an escalation opened on its page (the rest are linked). */
const LOGS_SHOWN = 10;

/** What each outcome means, in words (the radios and the closed escalation). */
const OUTCOME_LABELS: Record<(typeof ESCALATION_OUTCOMES)[number], string> = {
  RISK_MANAGEMENT_PLAN_UPDATED: 'Risk management plan updated',
  MAPPA_REFERRAL_MADE: 'MAPPA referral made',
  SAFEGUARDING_REFERRAL_MADE: 'Safeguarding referral made',
  POLICE_INFORMED: 'Police informed',
  MONITORING_CHANGED: 'Monitoring changed',
  NO_FURTHER_ACTION: 'No further action',
  OTHER: 'Other (say what was done)',
};

/** Who each escalation target is, in words. */
const TARGET_NAMES: Record<string, string> = {
  POM: 'POM',
  IRMM: 'IRMM',
  MAPPA: 'MAPPA level review',
  SECURITY: 'Duty governor',
};

const ROSH_RANK: Record<string, number> = { LOW: 1, MEDIUM: 2, HIGH: 3, VERY_HIGH: 4 };

/** The caseload's sortable columns: the header, the key in `?sort=`, and how to compare. */
const CASELOAD_COLUMNS: {
  key: string;
  text: string;
  numeric?: boolean;
  /** The order a first click gives (most first for counts and risk). */
  firstOrder: 'asc' | 'desc';
  value: (e: CaseloadEntry) => string | number;
}[] = [
  {
    key: 'name',
    text: 'Name',
    firstOrder: 'asc',
    value: (e) => `${e.lastName}, ${e.firstName}`.toLowerCase(),
  },
  {
    key: 'unread',
    text: 'Unread logs',
    numeric: true,
    firstOrder: 'desc',
    value: (e) => e.unreadLogs,
  },
  {
    key: 'escalations',
    text: 'Open escalations',
    numeric: true,
    firstOrder: 'desc',
    value: (e) => e.overdueEscalations * 10_000 + e.openEscalations,
  },
  {
    key: 'lastLog',
    text: 'Last log',
    firstOrder: 'desc',
    value: (e) => (e.lastLogAt ? new Date(e.lastLogAt).getTime() : 0),
  },
  {
    key: 'mappa',
    text: 'MAPPA',
    firstOrder: 'desc',
    value: (e) => (e.mappaLevel ?? 0) * 10 + (e.mappaCategory ?? 0),
  },
  {
    key: 'rosh',
    text: 'RoSH',
    firstOrder: 'desc',
    value: (e) => (e.roshLevel ? (ROSH_RANK[e.roshLevel] ?? 0) : 0),
  },
];

/** Whether this user may acknowledge or close the escalation (the service checks again). */
function mayAct(user: WebUser, e: { target: keyof typeof TARGET_ROLES; assignee: string | null }) {
  return (
    (e.target === 'POM' && e.assignee === user.username) || hasRole(user, ...TARGET_ROLES[e.target])
  );
}

interface CloseFormValues {
  outcome: string;
  note: string;
}

const CLOSE_MESSAGES: Record<string, string> = {
  outcome: 'Select what was done',
  note: 'Say what was done: a note is needed when the outcome is Other',
};

/** The close form's field errors as the GOV.UK error summary, in page order (outcome, then note). */
function closeFormErrors(errors: FieldError[]): FormErrors {
  const byId: Record<string, { text: string }> = {};
  for (const e of errors) {
    const id = e.field === 'note' ? 'note' : 'outcome';
    const tooLong = /must be shorter than or equal to/.test(e.message);
    byId[id] ??= {
      text: tooLong ? 'The note must be 5,000 characters or fewer' : CLOSE_MESSAGES[id],
    };
  }
  const ids = ['outcome', 'note'].filter((id) => byId[id]);
  return { summary: ids.map((id) => ({ text: byId[id].text, href: `#${id}` })), byId };
}

/**
 * The POM's pages: My caseload, the prisoner page, a log, and the escalations inbox with
 * acknowledge and close. Heads of OMU and security managers also use the prisoner page, the log and
 * the inbox. Each calls the same service as the API, with the signed-in user as the actor.
 */
export function pomRoutes(app: NestExpressApplication): Router {
  const caseload = app.get(CaseloadService);
  const prisoners = app.get(PrisonersService);
  const logs = app.get(LogsService);
  const escalations = app.get(EscalationsService);
  const router = Router();
  const staff = requireRole('POM', 'HEAD_OF_OMU', 'SECURITY_MANAGER');

  router.param('logId', (req, res, next, id) => {
    if (UUID.test(String(id))) next();
    else notFound(req, res, next);
  });
  router.param('escalationId', (req, res, next, id) => {
    if (UUID.test(String(id))) next();
    else notFound(req, res, next);
  });
  router.param('prisonNumber', (req, res, next, pn) => {
    if (PRISON_NUMBER.test(String(pn))) next();
    else notFound(req, res, next);
  });

  router.get(
    '/caseload',
    requireRole('POM'),
    handle(async (req, res) => {
      const user = webUser(req);
      const { items } = await caseload.mine(user);
      // The pages work in the establishment chosen in the header.
      const here = items.filter(
        (e) => !user.activeEstablishment || e.establishmentCode === user.activeEstablishment,
      );
      const column = CASELOAD_COLUMNS.find((c) => c.key === text(req.query.sort));
      const order =
        text(req.query.order) === 'asc' || text(req.query.order) === 'desc'
          ? text(req.query.order)
          : (column?.firstOrder ?? 'asc');
      const rows = column
        ? [...here].sort((a, b) => {
            const [x, y] = [column.value(a), column.value(b)];
            const c = x < y ? -1 : x > y ? 1 : 0;
            return (order === 'asc' ? c : -c) || a.lastName.localeCompare(b.lastName);
          })
        : here;
      res.render('pages/pom/caseload', {
        entries: rows,
        head: CASELOAD_COLUMNS.map((c) => {
          const sorted = column?.key === c.key;
          const next = sorted ? (order === 'asc' ? 'desc' : 'asc') : c.firstOrder;
          return {
            html: `<a class="govuk-link" href="/caseload?sort=${c.key}&amp;order=${next}" data-qa="sort-${c.key}">${c.text}</a>`,
            format: c.numeric ? 'numeric' : undefined,
            attributes: {
              'aria-sort': sorted ? (order === 'asc' ? 'ascending' : 'descending') : 'none',
            },
          };
        }),
        sortedBy: column ? { text: column.text, order } : null,
      });
    }),
  );

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
            text: humanise(code),
            selected: code === theme,
          })),
        ],
        pagination: pagination(`/prisoners/${prisonNumber}`, page, timeline.total, TIMELINE_PAGE, {
          theme,
        }),
        escalations: prisonerEscalations.items,
        targetNames: TARGET_NAMES,
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
            text: humanise(s),
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
        targetNames: TARGET_NAMES,
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
    const actor = mayAct(user, escalation);
    res.status(status).render('pages/pom/escalation', {
      escalation,
      targetName: TARGET_NAMES[escalation.target] ?? escalation.target,
      outcomeLabel: escalation.outcome ? OUTCOME_LABELS[escalation.outcome] : '',
      logs: behind,
      moreLogs: escalation.logIds.slice(LOGS_SHOWN),
      canAcknowledge: actor && escalation.status === 'OPEN',
      canClose: actor && escalation.status !== 'CLOSED',
      values: form.values,
      errorSummary: form.errors?.summary ?? [],
      errorFor: form.errors?.byId ?? {},
      outcomeItems: ESCALATION_OUTCOMES.map((code) => ({
        value: code,
        text: OUTCOME_LABELS[code],
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
      const dto = plainToInstance(CloseEscalationDto, {
        outcome: values.outcome || undefined,
        note: values.note.trim() === '' ? undefined : values.note,
      });
      const invalid = (details: FieldError[]) =>
        renderEscalation(req, res, id, { values, errors: closeFormErrors(details) }, 400);
      const errors = flattenValidationErrors(await validate(dto, { whitelist: true }));
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
        text: `Prisoner ${closed.prisonNumber}: ${OUTCOME_LABELS[dto.outcome].replace(/ \(.*\)$/, '')}.`,
      };
      return res.redirect('/escalations');
    }),
  );

  return router;
}
