import { Router } from 'express';
import { FieldError, ValidationFailed } from '../../common/errors';
import { TIERS, TRAININGS } from '../../common/vocabulary';
import { POLICY_KINDS, PolicyResult, WEEKDAYS } from '../../simulation/model';
import { SimulationRequestDto } from '../../simulation/simulation.dto';
import type { SimulationResponse } from '../../simulation/simulation.service';
import { checkDto, dateItems, toFormErrors } from '../forms';
import { handle, requireRole } from '../guards';
import { formatNumber } from '../format';
import { label } from '../labels';
import { WorkingCalendar } from '../../common/working-days';
import type { WebServices } from '../services';
import { webUser } from '../web-user';
import { lineChartSvg } from './charts';
import { establishmentOf } from './one-establishment';
import {
  emptyRow,
  initialValues,
  inputOf,
  MAX_ROWS,
  PlanValues,
  planRequest,
  readPlan,
  wordingOf,
} from './plan-staffing-form';

const HEADS = ['HEAD_OF_OMU', 'SECURITY_MANAGER'] as const;

/** What the page shows of a result: a table per policy, the backlog chart and its data table. */
function resultView(result: SimulationResponse) {
  const names = Object.keys(result.policies);
  const policies = names.map((name) => {
    const p: PolicyResult = result.policies[name];
    return {
      name,
      label: label('policy', name),
      utilisationPercent: p.utilisationPercent,
      tiers: TIERS.map((tier) => ({ tier, ...p.byTier[tier] })),
      victimContact: p.victimContact,
      patternAlert: p.patternAlert,
    };
  });
  const first = result.policies[names[0]];
  // The data table reads by day: the backlog at each day's first hour, and at the end.
  const samples = first.backlogHourly;
  const dayRows = samples
    .map((s, i) => ({ s, i }))
    .filter(({ i }) => i % 24 === 0 || i === samples.length - 1)
    .map(({ s, i }) => ({
      at: s.at,
      waiting: names.map((n) => result.policies[n].backlogHourly[i]?.waiting ?? 0),
    }));
  const ends = names
    .map(
      (n) =>
        `${label('policy', n)}: ${formatNumber(result.policies[n].backlogHourly.at(-1)?.waiting ?? 0)}`,
    )
    .join('; ');
  return {
    policies,
    dayRows,
    policyLabels: names.map((n) => label('policy', n)),
    chart: lineChartSvg({
      id: 'simulated-backlog',
      title: 'Calls waiting over the period, by policy',
      description: `Line chart of the calls waiting each hour of the period under each policy. At the end: ${ends}.`,
      series: names.map((n, i) => ({
        name: label('policy', n),
        dashed: i % 2 === 1,
        points: result.policies[n].backlogHourly.map((b) => ({
          at: new Date(b.at),
          value: b.waiting,
        })),
      })),
    }),
  };
}

function formView(values: PlanValues, errorFor: Record<string, { text: string }>) {
  return {
    values,
    rowCount: values.rows.length,
    canAddRow: values.rows.length < MAX_ROWS,
    fromItems: dateItems('from', values.from, Boolean(errorFor['from-day'])),
    toItems: dateItems('to', values.to, Boolean(errorFor['to-day'])),
    rows: values.rows.map((r, i) => ({
      i,
      values: r,
      dayItems: WEEKDAYS.map((d) => ({
        value: d,
        text: label('weekday', d),
        checked: r.days.includes(d),
      })),
      trainingItems: TRAININGS.map((t) => ({
        value: t,
        text: label('training', t),
        checked: r.trainings.includes(t),
      })),
    })),
    policyItems: POLICY_KINDS.map((p) => ({
      value: p,
      text: label('policy', p),
      checked: values.policies.includes(p),
    })),
  };
}

/**
 * Plan staffing (heads of OMU, security managers): a staffing plan as rows of shifts, simulated
 * over a period of the establishment's own calls under each policy (POST /api/simulations' service).
 * Works without script: "Add a row" posts the form back with one more row.
 */
export function planStaffingRoutes({
  simulations,
  clock,
}: Pick<WebServices, 'simulations' | 'clock'>): Router {
  const router = Router();

  router.get(
    '/plan-staffing',
    requireRole(...HEADS),
    handle(async (req, res) => {
      establishmentOf(req);
      const values = initialValues(WorkingCalendar.londonDate(clock.now()));
      res.render('pages/head/plan-staffing', {
        ...formView(values, {}),
        errorFor: {},
        result: null,
      });
    }),
  );

  router.post(
    '/plan-staffing',
    requireRole(...HEADS),
    handle(async (req, res) => {
      const user = webUser(req);
      const est = establishmentOf(req);
      const body = req.body as Record<string, unknown>;
      const values = readPlan(body);
      if (body.action === 'add-row') {
        if (values.rows.length < MAX_ROWS) values.rows.push({ ...emptyRow(), listeners: '' });
        res.render('pages/head/plan-staffing', {
          ...formView(values, {}),
          errorFor: {},
          result: null,
        });
        return;
      }
      const request = planRequest(est, values);
      let errors: FieldError[] = request.errors;
      let result: SimulationResponse | null = null;
      if (errors.length === 0) {
        const checked = await checkDto(SimulationRequestDto, request.body);
        errors = checked.errors;
        if (errors.length === 0) {
          try {
            result = await simulations.run(user, checked.dto);
          } catch (error) {
            if (!(error instanceof ValidationFailed)) throw error;
            errors = error.details.length
              ? error.details
              : [{ field: 'establishment', message: error.message }];
          }
        }
      }
      const mapped = errors.map((e) => {
        const input = e.field.includes('-') ? e.field : inputOf(e.field, request.rowOf);
        return { field: input, message: wordingOf(input, e.message) };
      });
      const errs = toFormErrors(mapped, { idOf: (f) => f });
      res.status(errors.length ? 400 : 200).render('pages/head/plan-staffing', {
        ...formView(values, errs.byId),
        errorSummary: errs.summary,
        errorFor: errs.byId,
        result: result ? { ...result, ...resultView(result) } : null,
      });
    }),
  );

  return router;
}
