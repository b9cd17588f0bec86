import { Router } from 'express';
import { FieldError } from '../../common/errors';
import { TIERS, type Tier } from '../../common/vocabulary';
import { ForecastQuery } from '../../oversight/oversight.dto';
import { languageName, RISK_FLAG_TYPES, type RiskFlagType } from '../../risk-flags/risk-flag-rules';
import { checkDto, fieldWording, pageNumber, pagination, text, toFormErrors } from '../forms';
import { handle, requireRole } from '../guards';
import { formatNumber, namedPeople, overdueBy } from '../format';
import { AGE_BUCKETS, label } from '../labels';
import { type NameServices, pageNames } from '../names';
import type { WebServices } from '../services';
import { webUser } from '../web-user';
import { barChartSvg, lastPerDay, lineChartSvg } from './charts';
import { establishmentOf } from './one-establishment';

const HEADS = ['HEAD_OF_OMU', 'SECURITY_MANAGER'] as const;
const PAGE_SIZE = 50;

/** Open flags by type, in the order of the flag types, leaving out types with none. */
function flagCounts(items: readonly { type: RiskFlagType }[]) {
  return RISK_FLAG_TYPES.map((type) => ({
    type,
    count: items.filter((f) => f.type === type).length,
  })).filter((c) => c.count > 0);
}

/** The forecast form's messages, by field, for anything ForecastQuery refuses. */
const FORECAST_MESSAGES: Record<string, string> = {
  listeners: 'Number of listeners must be a whole number between 0 and 5000',
  hoursPerDay: 'Listening hours a day must be a number between 0.25 and 24',
};

const FORECAST_WORDING = fieldWording({ listeners: 'listeners', hoursPerDay: 'hoursPerDay' });

/**
 * The head of OMU's figures (also for security managers), for the user's active establishment:
 * the backlog dashboard and the forecast, the risk flags, the queue and the authorisations due
 * for review. Each calls the same service as the API.
 */
export function backlogRoutes({
  oversight,
  queue,
  monitoring,
  riskFlags,
  clock,
  ...nameServices
}: Pick<
  WebServices,
  'oversight' | 'queue' | 'monitoring' | 'riskFlags' | 'clock' | NameServices
>): Router {
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
        // The prisoners each listener leads for, by name beside the number.
        ...(await pageNames(nameServices, {
          prisoners: listeners.items.flatMap((l) => l.leadPrisoners),
        })),
        summary,
        tiers: TIERS.map((tier) => ({ tier, ...summary.pending.byTier[tier] })),
        ages,
        ageChart: barChartSvg({
          id: 'age-chart',
          title: 'Calls waiting by age',
          description: `Bar chart of the ${formatNumber(summary.pending.total)} calls waiting, by time since the call was made: ${ages
            .map((a) => `${a.label.toLowerCase()}, ${formatNumber(a.value)}`)
            .join('; ')}.`,
          data: ages,
        }),
        trendChart: lineChartSvg({
          id: 'trend-chart',
          title: 'Calls waiting over the last 30 days',
          description:
            first && last
              ? `Line chart of hourly snapshots: calls waiting went from ${formatNumber(first.pending)} on ${first.day} to ${formatNumber(last.pending)} on ${last.day}; past their due time from ${formatNumber(first.breached)} to ${formatNumber(last.breached)}.`
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
        listeners: namedPeople(listeners.items),
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
      const items = shown.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
      res.render('pages/head/risk-flags', {
        // A flag about no prisoner is about a POM (by name) or a language (by its English name).
        ...(await pageNames(nameServices, {
          prisoners: items.map((f) => f.prisonNumber),
          staff: items.filter((f) => f.type === 'POM_CASELOAD_HIGH').map((f) => f.subject),
        })),
        items: items.map((f) => ({
          ...f,
          language: f.type === 'NO_LISTENER_FOR_LANGUAGE' ? languageName(f.subject) : null,
        })),
        total: shown.length,
        type: type ?? '',
        typeItems: [
          { value: '', text: `All flags (${all.length})`, selected: !type },
          ...flagCounts(all).map((c) => ({
            value: c.type,
            text: `${label('riskFlag', c.type)} (${formatNumber(c.count)})`,
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
      const errors: FieldError[] = [];
      let asking: ForecastQuery | null = null;
      if (asked) {
        const listeners = values.listeners.trim();
        const hoursPerDay = values.hoursPerDay.trim();
        if (!listeners) {
          errors.push({ field: 'listeners', message: 'Enter the number of listeners' });
        }
        if (!hoursPerDay) {
          errors.push({
            field: 'hoursPerDay',
            message: 'Enter the listening hours per listener a day',
          });
        }
        // The API's own checks of a forecast's staffing, in the form's words.
        const checked = await checkDto(ForecastQuery, {
          establishment: est,
          listeners,
          hoursPerDay,
        });
        for (const e of checked.errors) {
          const message = FORECAST_MESSAGES[e.field];
          if (message) errors.push({ field: e.field, message });
        }
        asking = checked.dto;
      }
      const errs = toFormErrors(errors, FORECAST_WORDING);
      const result =
        asking && !errors.length
          ? await oversight.forecast(user, est, asking.listeners, asking.hoursPerDay)
          : null;
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
      const now = clock.now();
      res.render('pages/head/queue', {
        ...(await pageNames(nameServices, { prisoners: items.map((c) => c.prisonNumber) })),
        items: items.map((c) => ({ ...c, overdueBy: overdueBy(c.dueAt, now) })),
        total,
        tier: tier ?? '',
        tierItems: [
          { value: '', text: 'All tiers', selected: !tier },
          ...TIERS.map((t) => ({ value: t, text: t, selected: t === tier })),
        ],
        pagination: pagination('/queue', page, total, PAGE_SIZE, { tier }, 'calls'),
      });
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
        ...(await pageNames(nameServices, { prisoners: items.map((a) => a.prisonNumber) })),
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
