import type { NestExpressApplication } from '@nestjs/platform-express';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { Router, type Request, type Response } from 'express';
import { Clock } from '../common/clock';
import { Conflict, FieldError, ValidationFailed } from '../common/errors';
import { flattenValidationErrors } from '../common/validation';
import { ESCALATION_OUTCOMES, TIERS, type Tier } from '../common/vocabulary';
import { RecordMeetingDto } from '../escalations/escalations.dto';
import { IrmmService } from '../escalations/irmm.service';
import { MonitoringService } from '../monitoring/monitoring.service';
import { OversightService } from '../oversight/oversight.service';
import { QueueService } from '../queue/queue.service';
import { RISK_FLAG_TYPES, RiskFlagType } from '../risk-flags/risk-flag-rules';
import { RiskFlagsService } from '../risk-flags/risk-flags.service';
import { barChartSvg, lastPerDay, lineChartSvg } from './charts';
import { handle, requireRole } from './guards';
import { fromLondonWallClock } from './london-time';
import { humanise } from './nunjucks-setup';
import { pageNumber, pagination, text } from './paging';
import { webUser } from './web-user';

const HEADS = ['HEAD_OF_OMU', 'SECURITY_MANAGER'] as const;
const PAGE_SIZE = 50;

/** The age buckets of the summary, in order, in words. */
const AGE_BUCKETS = [
  ['0-24h', 'Under 24 hours'],
  ['1-3d', '1 to 3 days'],
  ['3-7d', '3 to 7 days'],
  ['7-30d', '7 to 30 days'],
  ['30d+', 'Over 30 days'],
] as const;

interface FormErrors {
  summary: { text: string; href: string }[];
  byId: Record<string, { text: string }>;
}

function formErrors(errors: { id: string; text: string }[]): FormErrors {
  const byId: Record<string, { text: string }> = {};
  for (const e of errors) byId[e.id] ??= { text: e.text };
  return {
    summary: Object.entries(byId).map(([id, e]) => ({ text: e.text, href: `#${id}` })),
    byId,
  };
}

/** Open flags by type, in the order of the flag types, leaving out types with none. */
function flagCounts(items: readonly { type: RiskFlagType }[]) {
  return RISK_FLAG_TYPES.map((type) => ({
    type,
    count: items.filter((f) => f.type === type).length,
  })).filter((c) => c.count > 0);
}

/** The user's active establishment: these pages are all about one. */
function establishmentOf(req: Request): string {
  const est = webUser(req).activeEstablishment;
  if (!est) {
    throw new Conflict('Choose an establishment first: these figures are for one establishment.');
  }
  return est;
}

/**
 * The London wall-clock time as an instant (the meeting form's date and time are London time):
 * null when the parts do not make a real date and time.
 */
export function londonTime(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
): Date | null {
  const guess = Date.UTC(year, month - 1, day, hour, minute);
  const check = new Date(guess);
  if (
    check.getUTCFullYear() !== year ||
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day ||
    check.getUTCHours() !== hour ||
    check.getUTCMinutes() !== minute
  ) {
    return null;
  }
  return fromLondonWallClock(year, month, day, hour, minute);
}

/** The meeting form as typed, to validate and to redisplay. */
interface MeetingFormValues {
  day: string;
  month: string;
  year: string;
  time: string;
  attendees: string;
  items: { escalationId: string; decision: string; outcome: string; note: string }[];
}

function parseMeetingForm(body: Record<string, unknown>): MeetingFormValues {
  const count = Math.min(Math.max(Number.parseInt(text(body.itemCount), 10) || 0, 0), 500);
  return {
    day: text(body['heldAt-day']).trim(),
    month: text(body['heldAt-month']).trim(),
    year: text(body['heldAt-year']).trim(),
    time: text(body['heldAt-time']).trim(),
    attendees: text(body.attendees),
    items: Array.from({ length: count }, (_, i) => ({
      escalationId: text(body[`items-${i}-escalationId`]),
      decision: text(body[`items-${i}-decision`]),
      outcome: text(body[`items-${i}-outcome`]),
      note: text(body[`items-${i}-note`]),
    })),
  };
}

/** The id of the input a DTO path's error links to: `items[0].outcome` → `items-0-outcome`. */
export function meetingFieldId(field: string): string {
  if (field.startsWith('heldAt')) return 'heldAt-day';
  if (field.startsWith('attendees')) return 'attendees';
  const item = /^items\[(\d+)\]\.(\w+)$/.exec(field);
  if (item) return `items-${item[1]}-${item[2] === 'escalationId' ? 'decision' : item[2]}`;
  if (field.startsWith('items')) return 'items-0-decision';
  return field;
}

/** Where a field of the meeting form sits on the page: the error summary follows page order. */
export function meetingFieldRank(id: string): number {
  const item = /^items-(\d+)-(\w+)$/.exec(id);
  if (item) return Number(item[1]) * 3 + ['decision', 'outcome', 'note'].indexOf(item[2]);
  return Number.MAX_SAFE_INTEGER - (id === 'attendees' ? 0 : 1);
}

function meetingMessage(id: string, raw: string, who: (i: number) => string): string {
  const item = /^items-(\d+)-(\w+)$/.exec(id);
  if (item) {
    const name = who(Number(item[1]));
    if (item[2] === 'decision' && /not an open IRMM item/.test(raw)) {
      return `The item for ${name} is no longer open: reload the agenda`;
    }
    if (item[2] === 'decision') return `Select whether to close or carry forward ${name}`;
    if (item[2] === 'outcome') return `Select the outcome for ${name}`;
    if (item[2] === 'note') {
      return /OTHER/.test(raw)
        ? `Say what was decided for ${name} when the outcome is other`
        : `The note for ${name} must be 5000 characters or fewer`;
    }
  }
  if (id === 'attendees') return 'Enter who attended the meeting, one person per line';
  if (id === 'heldAt-day') return 'Enter the date and time the meeting was held';
  return raw.charAt(0).toUpperCase() + raw.slice(1);
}

/**
 * The head of OMU's pages (also for security managers): the backlog dashboard and the forecast,
 * the queue, the IRMM agenda and meeting record, and the authorisations due for review. Each
 * calls the same service as the API, for the user's active establishment.
 */
export function headRoutes(app: NestExpressApplication): Router {
  const oversight = app.get(OversightService);
  const queue = app.get(QueueService);
  const irmm = app.get(IrmmService);
  const monitoring = app.get(MonitoringService);
  const riskFlags = app.get(RiskFlagsService);
  const clock = app.get(Clock);
  const router = Router();

  router.get(
    '/backlog',
    requireRole(...HEADS),
    handle(async (req, res) => {
      const user = webUser(req);
      const est = establishmentOf(req);
      const [summary, trend, listeners, flags] = await Promise.all([
        oversight.summary(user, est),
        oversight.trend(user, est, 30),
        oversight.listeners(user, est),
        riskFlags.list(user, { establishment: est }),
      ]);
      const ages = AGE_BUCKETS.map(([key, label]) => ({ label, value: summary.ageBuckets[key] }));
      const points = trend.items.map((s) => ({ ...s, at: new Date(s.takenAt) }));
      const days = lastPerDay(trend.items);
      const first = days[0];
      const last = days[days.length - 1];
      res.render('pages/head/backlog', {
        summary,
        tiers: TIERS.map((tier) => ({ tier, ...summary.pending.byTier[tier] })),
        ages,
        ageChart: barChartSvg({
          id: 'age-chart',
          title: 'Calls waiting by age',
          description: `Bar chart of the ${summary.pending.total} calls waiting, by time since the call was made: ${ages
            .map((a) => `${a.label.toLowerCase()}, ${a.value}`)
            .join('; ')}.`,
          data: ages,
        }),
        trendChart: lineChartSvg({
          id: 'trend-chart',
          title: 'Calls waiting over the last 30 days',
          description:
            first && last
              ? `Line chart of hourly snapshots: calls waiting went from ${first.pending} on ${first.day} to ${last.pending} on ${last.day}; past their due time from ${first.breached} to ${last.breached}.`
              : 'No snapshots have been taken yet for this establishment.',
          series: [
            {
              name: 'Calls waiting',
              points: points.map((p) => ({ at: p.at, value: p.pending })),
            },
            {
              name: 'Past due time',
              dashed: true,
              points: points.map((p) => ({ at: p.at, value: p.breached })),
            },
          ],
        }),
        trendDays: days,
        listeners: listeners.items,
        flagCounts: flagCounts(flags.items),
        flagsTotal: flags.items.length,
        values: { listeners: '', hoursPerDay: '' },
        errorFor: {},
      });
    }),
  );

  router.get(
    '/risk-flags',
    requireRole(...HEADS),
    handle(async (req, res) => {
      const user = webUser(req);
      const est = establishmentOf(req);
      const typeAsked = text(req.query.type);
      const type = (RISK_FLAG_TYPES as readonly string[]).includes(typeAsked)
        ? (typeAsked as RiskFlagType)
        : undefined;
      const page = pageNumber(req.query.page);
      const all = (await riskFlags.list(user, { establishment: est })).items;
      const shown = type ? all.filter((f) => f.type === type) : all;
      res.render('pages/head/risk-flags', {
        items: shown.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE),
        total: shown.length,
        type: type ?? '',
        typeItems: [
          { value: '', text: `All flags (${all.length})`, selected: !type },
          ...flagCounts(all).map((c) => ({
            value: c.type,
            text: `${humanise(c.type)} (${c.count})`,
            selected: c.type === type,
          })),
        ],
        pagination: pagination('/risk-flags', page, shown.length, PAGE_SIZE, { type }),
      });
    }),
  );

  router.get(
    '/backlog/forecast',
    requireRole(...HEADS),
    handle(async (req, res) => {
      const user = webUser(req);
      const est = establishmentOf(req);
      const values = {
        listeners: text(req.query.listeners),
        hoursPerDay: text(req.query.hoursPerDay),
      };
      const asked = req.query.listeners !== undefined || req.query.hoursPerDay !== undefined;
      const errors: { id: string; text: string }[] = [];
      const listeners = Number(values.listeners.trim());
      const hours = Number(values.hoursPerDay.trim());
      if (asked) {
        if (values.listeners.trim() === '') {
          errors.push({ id: 'listeners', text: 'Enter the number of listeners' });
        } else if (!/^\d+$/.test(values.listeners.trim()) || listeners > 5000) {
          errors.push({
            id: 'listeners',
            text: 'Number of listeners must be a whole number between 0 and 5000',
          });
        }
        if (values.hoursPerDay.trim() === '') {
          errors.push({ id: 'hoursPerDay', text: 'Enter the listening hours per listener a day' });
        } else if (
          !/^\d+(\.\d{1,2})?$/.test(values.hoursPerDay.trim()) ||
          hours < 0.25 ||
          hours > 24
        ) {
          errors.push({
            id: 'hoursPerDay',
            text: 'Listening hours a day must be a number between 0.25 and 24',
          });
        }
      }
      const errs = formErrors(errors);
      const result =
        asked && !errors.length ? await oversight.forecast(user, est, listeners, hours) : null;
      res.status(errors.length ? 400 : 200).render('pages/head/forecast', {
        values,
        errorSummary: errs.summary,
        errorFor: errs.byId,
        result,
        tiers: result ? TIERS.map((tier) => ({ tier, ...result.tiers[tier] })) : [],
      });
    }),
  );

  router.get(
    '/queue',
    requireRole(...HEADS),
    handle(async (req, res) => {
      const user = webUser(req);
      const est = establishmentOf(req);
      const tierAsked = text(req.query.tier);
      const tier = (TIERS as readonly string[]).includes(tierAsked)
        ? (tierAsked as Tier)
        : undefined;
      const page = pageNumber(req.query.page);
      const { items, total } = await queue.pending(user, {
        establishment: est,
        tier,
        limit: PAGE_SIZE,
        offset: (page - 1) * PAGE_SIZE,
      });
      res.render('pages/head/queue', {
        items,
        total,
        tier: tier ?? '',
        tierItems: [
          { value: '', text: 'All tiers', selected: !tier },
          ...TIERS.map((t) => ({ value: t, text: t, selected: t === tier })),
        ],
        pagination: pagination('/queue', page, total, PAGE_SIZE, { tier }),
      });
    }),
  );

  /** Renders the agenda with the meeting form as typed and its errors. */
  async function renderIrmm(
    req: Request,
    res: Response,
    form: { values?: MeetingFormValues; errors?: FormErrors },
    status = 200,
  ) {
    const user = webUser(req);
    const est = establishmentOf(req);
    const agenda = await irmm.agenda(user, est);
    const entries = agenda.items.flatMap((p) =>
      p.escalations.map((e) => ({ prisoner: p, escalation: e })),
    );
    const typed = form.values;
    const byEscalation = new Map((typed?.items ?? []).map((i) => [i.escalationId, i]));
    let index = 0;
    const prisoners = agenda.items.map((p) => ({
      ...p,
      themes: Object.entries(p.themesSinceLastMeeting)
        .sort((a, b) => b[1] - a[1])
        .map(([code, count]) => ({ code, count })),
      items: p.escalations.map((e) => {
        const i = index++;
        const v = byEscalation.get(e.id) ?? { decision: '', outcome: '', note: '' };
        return {
          i,
          escalation: e,
          values: v,
          outcomeItems: [
            { value: '', text: 'Choose an outcome', selected: !v.outcome },
            ...ESCALATION_OUTCOMES.map((o) => ({
              value: o,
              text: humanise(o),
              selected: o === v.outcome,
            })),
          ],
        };
      }),
    }));
    const today = clock.now();
    const londonDate = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/London',
      day: 'numeric',
      month: 'numeric',
      year: 'numeric',
    }).formatToParts(today);
    const part = (t: string) => londonDate.find((p) => p.type === t)?.value ?? '';
    res.status(status).render('pages/head/irmm', {
      agenda,
      prisoners,
      itemCount: entries.length,
      values: typed ?? {
        day: part('day'),
        month: part('month'),
        year: part('year'),
        time: '10:00',
        attendees: '',
      },
      errorSummary: form.errors?.summary ?? [],
      errorFor: form.errors?.byId ?? {},
      outcomes: ESCALATION_OUTCOMES,
    });
  }

  router.get(
    '/irmm',
    requireRole(...HEADS),
    handle((req, res) => renderIrmm(req, res, {})),
  );

  router.post(
    '/irmm/meetings',
    requireRole(...HEADS),
    handle(async (req, res) => {
      const user = webUser(req);
      const est = establishmentOf(req);
      const values = parseMeetingForm(req.body as Record<string, unknown>);
      const agenda = await irmm.agenda(user, est);
      const names = new Map(
        agenda.items.flatMap((p) =>
          p.escalations.map((e) => [e.id, `${p.firstName} ${p.lastName} (${p.prisonNumber})`]),
        ),
      );
      const who = (i: number) => names.get(values.items[i]?.escalationId ?? '') ?? `item ${i + 1}`;
      const invalid = (details: FieldError[]) =>
        renderIrmm(
          req,
          res,
          {
            values,
            errors: formErrors(
              details
                .map((d) => {
                  const id = meetingFieldId(d.field);
                  return { id, text: meetingMessage(id, d.message, who) };
                })
                .sort((a, b) => meetingFieldRank(a.id) - meetingFieldRank(b.id)),
            ),
          },
          400,
        );

      const errors: FieldError[] = [];
      const [day, month, year] = [values.day, values.month, values.year].map((v) =>
        /^\d{1,4}$/.test(v) ? Number(v) : Number.NaN,
      );
      const time = /^(\d{1,2})[:.](\d{2})$/.exec(values.time);
      const heldAt =
        time && year >= 2000
          ? londonTime(year, month, day, Number(time[1]), Number(time[2]))
          : null;
      if (!heldAt) {
        errors.push({ field: 'heldAt', message: 'Enter a real date and time' });
      } else if (heldAt.getTime() > clock.now().getTime() + 60_000) {
        errors.push({ field: 'heldAt', message: 'The meeting date and time must be in the past' });
      }
      if (!values.items.length) {
        errors.push({ field: 'items', message: 'There are no items on the agenda to record' });
      }
      const dto = plainToInstance(RecordMeetingDto, {
        establishmentCode: est,
        heldAt: heldAt ? heldAt.toISOString() : undefined,
        attendees: values.attendees
          .split(/\r?\n/)
          .map((a) => a.trim())
          .filter(Boolean),
        items: values.items.map((i) => ({
          escalationId: i.escalationId,
          decision: i.decision || undefined,
          outcome: i.decision === 'CLOSE' ? i.outcome || undefined : undefined,
          note: i.note.trim() ? i.note.trim() : undefined,
        })),
      });
      errors.push(
        ...flattenValidationErrors(
          await validate(dto, { whitelist: true, forbidNonWhitelisted: true }),
        ).filter((e) => !(heldAt === null && e.field === 'heldAt')),
      );
      values.items.forEach((item, i) => {
        if (item.decision === 'CLOSE' && item.outcome === 'OTHER' && !item.note.trim()) {
          errors.push({
            field: `items[${i}].note`,
            message: 'is required when the outcome is OTHER',
          });
        }
      });
      if (errors.length) return invalid(errors);
      let result: Awaited<ReturnType<IrmmService['recordMeeting']>>;
      try {
        result = await irmm.recordMeeting(user, dto);
      } catch (err) {
        if (err instanceof ValidationFailed) return invalid(err.details);
        throw err;
      }
      req.session.flash = {
        type: 'success',
        heading: 'Meeting recorded',
        text: `${result.closed} ${result.closed === 1 ? 'item' : 'items'} closed, ${result.carriedForward} carried forward to the next meeting.`,
      };
      return res.redirect('/irmm');
    }),
  );

  router.get(
    '/authorisations/reviews',
    requireRole(...HEADS),
    handle(async (req, res) => {
      const user = webUser(req);
      const est = establishmentOf(req);
      const overdueOnly = text(req.query.show) === 'overdue';
      const page = pageNumber(req.query.page);
      const { items, total } = await monitoring.list(user, {
        establishment: est,
        status: 'ACTIVE',
        reviewOverdue: overdueOnly ? true : undefined,
        limit: PAGE_SIZE,
        offset: (page - 1) * PAGE_SIZE,
      });
      const now = clock.now().getTime();
      res.render('pages/head/reviews', {
        items: items.map((a) => ({
          ...a,
          dueInDays: Math.ceil((new Date(a.reviewDueAt).getTime() - now) / 86_400_000),
        })),
        total,
        overdueOnly,
        pagination: pagination('/authorisations/reviews', page, total, PAGE_SIZE, {
          show: overdueOnly ? 'overdue' : undefined,
        }),
      });
    }),
  );

  return router;
}
