import type { NestExpressApplication } from '@nestjs/platform-express';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { Router, type Request, type Response } from 'express';
import { AuditQuery } from '../audit/audit.controller';
import { AuditRepository } from '../audit/audit.repository';
import { establishmentScope, hasRole } from '../auth/auth-user';
import { Conflict, FieldError, Forbidden, ValidationFailed } from '../common/errors';
import { flattenValidationErrors } from '../common/validation';
import {
  AUTHORISATION_STATUSES,
  AUTHORISATION_TYPES,
  AUTHORISER_ROLES,
  AuthorisationStatus,
  CHANNELS,
  GROUNDS,
  PRISON_NUMBER,
  PRIVILEGED_KINDS,
  Role,
} from '../common/vocabulary';
import {
  ApproveAuthorisationDto,
  EndAuthorisationDto,
  RequestAuthorisationDto,
  ReviewAuthorisationDto,
} from '../monitoring/monitoring.dto';
import { MonitoringService } from '../monitoring/monitoring.service';
import { CreatePrivilegedNumberDto } from '../prisoners/prisoners.dto';
import { PrisonersService } from '../prisoners/prisoners.service';
import { handle, requireRole } from './guards';
import { fromLondonWallClock } from './london-time';
import { humanise } from './nunjucks-setup';
import { notFound } from './web-errors';
import { pageNumber, pagination, text, UUID } from './paging';
import { webUser } from './web-user';

const PAGE_SIZE = 50;

/** Everyone who works at an establishment may ask for monitoring and see a decision (as the API). */
const STAFF_ROLES: Role[] = ['LISTENER', 'POM', 'HEAD_OF_OMU', 'SECURITY_MANAGER'];

/** What each type of monitoring is, for the request form's hints. */
const TYPE_HINTS: Record<string, string> = {
  MANDATORY:
    'Required by law or policy for this prisoner, for example a public protection or MAPPA case.',
  OFFENCE_RELATED:
    'Linked to the offence, for example contact with a victim, harassment or domestic abuse.',
  INTELLIGENCE_LED: 'Intelligence suggests the prisoner is planning or involved in crime or harm.',
  AD_HOC: 'For a short period, in response to a specific event or concern.',
  RANDOM: 'Part of the random sample of communications the establishment monitors.',
};

/** The Prison Rule 35A(4) grounds, in the rule's words. */
const GROUND_NAMES: Record<string, string> = {
  NATIONAL_SECURITY: 'The interests of national security',
  CRIME: 'The prevention, detection, investigation or prosecution of crime',
  PUBLIC_SAFETY: 'The interests of public safety',
  PRISON_SECURITY: 'Securing or maintaining prison security or good order and discipline',
  HEALTH_OR_MORALS: 'The protection of health or morals',
  RIGHTS_AND_FREEDOMS: 'The protection of the reputation or the rights and freedoms of any person',
};

const CHANNEL_NAMES: Record<string, string> = {
  PHONE: 'Telephone calls',
  VIDEO: 'Video calls',
  MAIL: 'Mail',
};

const STATUS_TAG_CLASSES: Record<string, string> = {
  REQUESTED: 'govuk-tag--yellow',
  ACTIVE: 'govuk-tag--green',
  ENDED: 'govuk-tag--grey',
  EXPIRED: 'govuk-tag--grey',
};

const list = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : v ? [text(v)] : [];

interface FormErrors {
  summary: { text: string; href: string }[];
  byId: Record<string, { text: string }>;
}

const NO_ERRORS: FormErrors = { summary: [], byId: {} };

/**
 * Field errors (DTO paths) as the GOV.UK error summary and per-field messages, in page order:
 * `ids` maps a DTO field to the input the summary links to, `words` gives a GOV.UK message for it.
 */
function toFormErrors(
  errors: FieldError[],
  ids: Record<string, string>,
  words: Record<string, (raw: string) => string | undefined> = {},
): FormErrors {
  const byId: Record<string, { text: string }> = {};
  for (const e of errors) {
    const field = e.field.replace(/\[\d+\]$/, '');
    const id = ids[field] ?? field;
    const sentence = words[field]?.(e.message) ?? e.message;
    byId[id] ??= { text: sentence.charAt(0).toUpperCase() + sentence.slice(1) };
  }
  const order = Object.values(ids);
  const rank = (id: string) => (order.includes(id) ? order.indexOf(id) : order.length);
  const sorted = Object.keys(byId).sort((a, b) => rank(a) - rank(b));
  return { summary: sorted.map((id) => ({ text: byId[id].text, href: `#${id}` })), byId };
}

async function checkDto<T extends object>(
  cls: new () => T,
  plain: Record<string, unknown>,
): Promise<{ dto: T; errors: FieldError[] }> {
  const dto = plainToInstance(cls, compact(plain));
  const errors = flattenValidationErrors(
    await validate(dto, { whitelist: true, forbidNonWhitelisted: true }),
  );
  return { dto, errors };
}

/** The object without its undefined keys (an absent field keeps the DTO's default). */
function compact(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

/** A GOV.UK date input as typed (`name-day`, `name-month`, `name-year`). */
interface DateValues {
  day: string;
  month: string;
  year: string;
}

const readDate = (body: Record<string, unknown>, name: string): DateValues => ({
  day: text(body[`${name}-day`]).trim(),
  month: text(body[`${name}-month`]).trim(),
  year: text(body[`${name}-year`]).trim(),
});

const dateItems = (name: string, v: DateValues, error: boolean) => [
  { name: 'day', id: `${name}-day`, value: v.day, classes: dateClass(2, error) },
  { name: 'month', id: `${name}-month`, value: v.month, classes: dateClass(2, error) },
  { name: 'year', id: `${name}-year`, value: v.year, classes: dateClass(4, error) },
];
const dateClass = (width: number, error: boolean) =>
  `govuk-input--width-${width}${error ? ' govuk-input--error' : ''}`;

/**
 * The typed date as the start (or end) of that day in London; undefined if left blank, an error
 * message if not a real date.
 */
function parseDate(
  v: DateValues,
  label: string,
  endOfDay = false,
): { date?: Date; error?: string } {
  if (!v.day && !v.month && !v.year) return {};
  if (!v.day || !v.month || !v.year)
    return { error: `${label} must include a day, month and year` };
  const [d, m, y] = [v.day, v.month, v.year].map(Number);
  const real =
    [v.day, v.month, v.year].every((s) => /^\d+$/.test(s)) &&
    v.year.length === 4 &&
    m >= 1 &&
    m <= 12 &&
    d >= 1 &&
    d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (!real) return { error: `${label} must be a real date` };
  return {
    date: endOfDay ? fromLondonWallClock(y, m, d, 23, 59, 59) : fromLondonWallClock(y, m, d),
  };
}

// ---- The request form ------------------------------------------------------------------------

interface RequestFormValues {
  type: string;
  grounds: string[];
  channels: string[];
  justification: string;
  startsAt: DateValues;
  endsAt: DateValues;
  lookbackDays: string;
}

const emptyRequestForm = (): RequestFormValues => ({
  type: '',
  grounds: [],
  channels: ['PHONE'],
  justification: '',
  startsAt: { day: '', month: '', year: '' },
  endsAt: { day: '', month: '', year: '' },
  lookbackDays: '0',
});

const parseRequestForm = (body: Record<string, unknown>): RequestFormValues => ({
  type: text(body.type),
  grounds: list(body.grounds),
  channels: list(body.channels),
  justification: text(body.justification),
  startsAt: readDate(body, 'startsAt'),
  endsAt: readDate(body, 'endsAt'),
  lookbackDays: text(body.lookbackDays).trim(),
});

const REQUEST_IDS: Record<string, string> = {
  type: 'type',
  grounds: 'grounds',
  channels: 'channels',
  justification: 'justification',
  startsAt: 'startsAt-day',
  endsAt: 'endsAt-day',
  lookbackDays: 'lookbackDays',
};

const REQUEST_WORDS: Record<string, (raw: string) => string | undefined> = {
  type: () => 'Select the type of monitoring',
  grounds: () => 'Select at least one ground for monitoring',
  channels: () => 'Select the communications to monitor',
  justification: (raw) =>
    /longer than or equal to 5000|shorter/.test(raw)
      ? 'The justification must be 5,000 characters or fewer'
      : 'Set out why monitoring is necessary and proportionate, in at least 20 characters',
  endsAt: (raw) =>
    raw === 'must be after startsAt' ? 'The end date must be after the start date' : undefined,
  lookbackDays: () => 'Look back must be a whole number of days from 0 to 90',
};

async function validateRequestForm(values: RequestFormValues) {
  const startsAt = parseDate(values.startsAt, 'The start date');
  const endsAt = parseDate(values.endsAt, 'The end date', true);
  const lookback = values.lookbackDays;
  const { dto, errors } = await checkDto(RequestAuthorisationDto, {
    type: values.type || undefined,
    grounds: values.grounds,
    channels: values.channels,
    justification: values.justification.trim(),
    startsAt: startsAt.date,
    endsAt: endsAt.date,
    lookbackDays:
      lookback === '' ? undefined : /^\d+$/.test(lookback) ? Number(lookback) : lookback,
  });
  if (startsAt.error) errors.push({ field: 'startsAt', message: startsAt.error });
  if (endsAt.error) errors.push({ field: 'endsAt', message: endsAt.error });
  return { dto, errors };
}

// ---- The decision forms on the authorisation page ----------------------------------------------

const DECISION_IDS: Record<string, string> = {
  note: 'approve-note',
  decision: 'decision',
  rationale: 'rationale',
  nextReviewDueAt: 'nextReviewDueAt-day',
  reason: 'end-reason',
  authorisation: 'decisions',
};

const DECISION_WORDS: Record<string, (raw: string) => string | undefined> = {
  note: () => 'The note must be 2,000 characters or fewer',
  decision: () => 'Select whether monitoring should continue or end',
  rationale: (raw) =>
    /longer than/.test(raw)
      ? 'The rationale must be 5,000 characters or fewer'
      : 'Give the rationale for the decision',
  nextReviewDueAt: (raw) =>
    raw === 'must be in the future' ? 'The next review date must be in the future' : undefined,
  reason: (raw) =>
    /longer than/.test(raw)
      ? 'The reason must be 2,000 characters or fewer'
      : 'Say why monitoring is ending',
};

interface DecisionValues {
  note: string;
  decision: string;
  rationale: string;
  nextReviewDueAt: DateValues;
  reason: string;
}

const emptyDecisionForms = (): DecisionValues => ({
  note: '',
  decision: '',
  rationale: '',
  nextReviewDueAt: { day: '', month: '', year: '' },
  reason: '',
});

// ---- Privileged numbers --------------------------------------------------------------------------

interface PrivilegedValues {
  phoneNumber: string;
  organisation: string;
  kind: string;
  scope: string;
}

const PRIVILEGED_IDS: Record<string, string> = {
  phoneNumber: 'phoneNumber',
  organisation: 'organisation',
  kind: 'kind',
  scope: 'scope',
  establishmentCode: 'scope',
};

const PRIVILEGED_WORDS: Record<string, (raw: string) => string | undefined> = {
  phoneNumber: (raw) =>
    /should not be empty|must be a string/.test(raw)
      ? 'Enter the phone number'
      : /longer than/.test(raw)
        ? 'The phone number must be 30 characters or fewer'
        : undefined,
  organisation: (raw) =>
    /longer than/.test(raw)
      ? 'The organisation must be 200 characters or fewer'
      : 'Enter the organisation',
  kind: () => 'Select the kind of number',
};

// ---- Audit search ------------------------------------------------------------------------------

interface AuditValues {
  entityType: string;
  entityId: string;
  username: string;
  from: DateValues;
  to: DateValues;
}

const AUDIT_IDS: Record<string, string> = {
  entityType: 'entityType',
  entityId: 'entityId',
  username: 'username',
  from: 'from-day',
  to: 'to-day',
};

/**
 * The security manager's pages: monitoring authorisations (list, request, approve, review, end),
 * the privileged-number directory and the audit search. Each calls the same service as the API,
 * with the signed-in user as the actor, so the rules and the audit trail are the API's.
 */
export function securityRoutes(app: NestExpressApplication): Router {
  const monitoring = app.get(MonitoringService);
  const prisoners = app.get(PrisonersService);
  const auditEvents = app.get(AuditRepository);
  const router = Router();

  router.param('authorisationId', (req, res, next, id) => {
    if (UUID.test(String(id))) next();
    else notFound(req, res, next);
  });
  router.param('prisonNumber', (req, res, next, prisonNumber) => {
    if (PRISON_NUMBER.test(String(prisonNumber))) next();
    else notFound(req, res, next);
  });

  // ---- Authorisations list ----

  router.get(
    '/authorisations',
    requireRole('HEAD_OF_OMU', 'SECURITY_MANAGER'),
    handle(async (req, res) => {
      const user = webUser(req);
      const requested = text(req.query.status);
      const status = (AUTHORISATION_STATUSES as readonly string[]).includes(requested)
        ? (requested as AuthorisationStatus)
        : undefined;
      const page = pageNumber(req.query.page);
      const result = await monitoring.list(user, {
        establishment: user.activeEstablishment ?? undefined,
        status,
        limit: PAGE_SIZE,
        offset: (page - 1) * PAGE_SIZE,
      });
      res.render('pages/security/authorisations', {
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
            text: humanise(s),
            selected: s === status,
          })),
        ],
        pagination: pagination('/authorisations', page, result.total, PAGE_SIZE, { status }),
      });
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
        text: humanise(code),
        hint: { text: TYPE_HINTS[code] },
        checked: values.type === code,
      })),
      groundItems: GROUNDS.map((code) => ({
        value: code,
        text: GROUND_NAMES[code] ?? humanise(code),
        checked: values.grounds.includes(code),
      })),
      channelItems: CHANNELS.map((code) => ({
        value: code,
        text: CHANNEL_NAMES[code] ?? humanise(code),
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
          toFormErrors(details, REQUEST_IDS, REQUEST_WORDS),
          400,
        );
      const { dto, errors } = await validateRequestForm(values);
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
        heading: `Monitoring of ${prisonNumber} is requested`,
        text: 'Another security manager or the head of offender management must approve it before listening starts.',
      };
      return res.redirect(`/authorisations/${created.id}`);
    }),
  );

  // ---- One authorisation, and the decisions on it ----

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
    res.status(status).render('pages/security/authorisation', {
      authorisation,
      tagClass: STATUS_TAG_CLASSES[authorisation.status],
      groundNames: authorisation.grounds.map((g) => GROUND_NAMES[g] ?? humanise(g)),
      channelNames: authorisation.channels.map((c) => CHANNEL_NAMES[c] ?? humanise(c)),
      reviews: [...(authorisation.reviews ?? [])].reverse(),
      isRequester: authorisation.requestedBy === user.username,
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
      renderAuthorisation(
        req,
        res,
        id,
        values,
        toFormErrors(details, DECISION_IDS, DECISION_WORDS),
        status,
      );
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

  // ---- Privileged numbers ----

  async function renderPrivilegedNumbers(
    req: Request,
    res: Response,
    values: PrivilegedValues,
    errors: FormErrors = NO_ERRORS,
    status = 200,
  ) {
    const user = webUser(req);
    const { items } = await prisoners.listPrivilegedNumbers(user);
    const here = user.activeEstablishment;
    res.status(status).render('pages/security/privileged-numbers', {
      numbers: items.filter((n) => !n.establishmentCode || !here || n.establishmentCode === here),
      values,
      errorSummary: errors.summary,
      errorFor: errors.byId,
      kindItems: PRIVILEGED_KINDS.map((code) => ({
        value: code,
        text: humanise(code),
        checked: values.kind === code,
      })),
      scopeItems: [
        {
          value: 'establishment',
          text: `This establishment only (${here ?? 'none'})`,
          checked: values.scope === 'establishment',
          disabled: !here,
        },
        {
          value: 'national',
          text: 'Every establishment (national)',
          hint: { text: 'Only an administrator may add a national number.' },
          checked: values.scope === 'national',
        },
      ],
    });
  }

  router.get(
    '/privileged-numbers',
    requireRole('SECURITY_MANAGER'),
    handle((req, res) =>
      renderPrivilegedNumbers(req, res, {
        phoneNumber: '',
        organisation: '',
        kind: '',
        scope: 'establishment',
      }),
    ),
  );

  router.post(
    '/privileged-numbers',
    requireRole('SECURITY_MANAGER'),
    handle(async (req, res) => {
      const user = webUser(req);
      const body = req.body as Record<string, unknown>;
      const values: PrivilegedValues = {
        phoneNumber: text(body.phoneNumber).trim(),
        organisation: text(body.organisation).trim(),
        kind: text(body.kind),
        scope: text(body.scope),
      };
      const invalid = (details: FieldError[]) =>
        renderPrivilegedNumbers(
          req,
          res,
          values,
          toFormErrors(details, PRIVILEGED_IDS, PRIVILEGED_WORDS),
          400,
        );
      const { dto, errors } = await checkDto(CreatePrivilegedNumberDto, {
        phoneNumber: values.phoneNumber,
        organisation: values.organisation,
        kind: values.kind || undefined,
        establishmentCode:
          values.scope === 'establishment' ? (user.activeEstablishment ?? undefined) : undefined,
      });
      if (values.scope !== 'establishment' && values.scope !== 'national') {
        errors.push({ field: 'scope', message: 'Select where the number is privileged' });
      }
      if (errors.length) return invalid(errors);
      let added: Awaited<ReturnType<PrisonersService['addPrivilegedNumber']>>;
      try {
        added = await prisoners.addPrivilegedNumber(user, dto);
      } catch (err) {
        if (err instanceof ValidationFailed) return invalid(err.details);
        if (err instanceof Forbidden) return invalid([{ field: 'scope', message: err.message }]);
        throw err;
      }
      req.session.flash = {
        type: 'success',
        heading: `${String(added.phoneNumber)} is in the privileged-number directory`,
        text: 'Calls to it are not monitored.',
      };
      return res.redirect('/privileged-numbers');
    }),
  );

  // ---- Audit search ----

  router.get(
    '/audit',
    requireRole('SECURITY_MANAGER'),
    handle(async (req, res) => {
      const user = webUser(req);
      const q = req.query as Record<string, unknown>;
      const values: AuditValues = {
        entityType: text(q.entityType).trim(),
        entityId: text(q.entityId).trim(),
        username: text(q.username).trim(),
        from: readDate(q, 'from'),
        to: readDate(q, 'to'),
      };
      const from = parseDate(values.from, 'The from date');
      const to = parseDate(values.to, 'The to date', true);
      const page = pageNumber(q.page);
      const { dto, errors } = await checkDto(AuditQuery, {
        entityType: values.entityType || undefined,
        entityId: values.entityId || undefined,
        username: values.username || undefined,
        from: from.date,
        to: to.date,
        limit: PAGE_SIZE,
        offset: (page - 1) * PAGE_SIZE,
      });
      if (from.error) errors.push({ field: 'from', message: from.error });
      if (to.error) errors.push({ field: 'to', message: to.error });
      if (!from.error && !to.error && from.date && to.date && to.date < from.date) {
        errors.push({
          field: 'to',
          message: 'The to date must be the same as or after the from date',
        });
      }
      const formErrors = toFormErrors(errors, AUDIT_IDS);
      const result = errors.length
        ? { rows: [], total: 0 }
        : await auditEvents.search({
            ...dto,
            establishments: establishmentScope(user, user.activeEstablishment ?? undefined),
          });
      const query = {
        entityType: values.entityType,
        entityId: values.entityId,
        username: values.username,
        'from-day': values.from.day,
        'from-month': values.from.month,
        'from-year': values.from.year,
        'to-day': values.to.day,
        'to-month': values.to.month,
        'to-year': values.to.year,
      };
      res.status(errors.length ? 400 : 200).render('pages/security/audit', {
        values,
        errorSummary: formErrors.summary,
        errorFor: formErrors.byId,
        fromItems: dateItems('from', values.from, Boolean(formErrors.byId['from-day'])),
        toItems: dateItems('to', values.to, Boolean(formErrors.byId['to-day'])),
        events: result.rows,
        total: result.total,
        firstShown: result.total ? (page - 1) * PAGE_SIZE + 1 : 0,
        lastShown: Math.min(page * PAGE_SIZE, result.total),
        pagination: pagination('/audit', page, result.total, PAGE_SIZE, query),
      });
    }),
  );

  return router;
}
