/**
 * `npm run bench:simulation`: the policy simulator's goal (README, "Policy simulator") on the
 * national synthetic month at overload 2 — 120 prisons, 210,000 calls a day, a tenth monitored, a
 * staffing plan that can hear half of the monitored calls. CURRENT (the product's policy) must hear
 * at least 99% of P1 calls and of victim-contact calls within their SLA while FIFO hears fewer than
 * 60%, and no P3 call may wait past its retention unheard while a P4 call is heard. Prints the
 * figures and whether each goal is met; a goal missed is a finding about the policy, reported with
 * why, not a reason to change the run. Writes bench/results/simulation-latest.json. Not a test.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NATIONAL_DEFAULTS, runNational } from '../src/simulation/national';
import { resultTable } from '../src/simulation/result-table';
import { log, table, thousands } from './lib/util';

const ROOT = path.resolve(__dirname, '../..');

function main(): void {
  const load = os.loadavg();
  log(
    `load average before: ${load.map((l) => l.toFixed(2)).join(' / ')} (${os.cpus().length} cores)`,
  );
  const options = { ...NATIONAL_DEFAULTS, overload: 2, policies: ['CURRENT', 'FIFO'] as const };
  const run = runNational({ ...options, policies: [...options.policies] });
  const { CURRENT: current, FIFO: fifo } = run.result.policies;
  log(
    `${thousands(run.monitoredCalls)} calls of monitored prisoners, ${thousands(run.result.calls)} queued, ` +
      `${thousands(run.staffing.reduce((s, r) => s + r.listeners, 0))} listeners; generated in ` +
      `${run.seconds.generate.toFixed(1)} s, simulated in ${run.seconds.simulate.toFixed(1)} s`,
  );
  console.log(resultTable(run.result));

  const p3PurgedWhileP4Heard = current.byTier.P3.purgedUnheard > 0 && current.byTier.P4.heard > 0;
  const goals = [
    {
      goal: 'CURRENT: P1 heard within SLA',
      value: current.byTier.P1.heardWithinSlaPercent,
      target: '>= 99',
      met: current.byTier.P1.heardWithinSlaPercent >= 99,
    },
    {
      goal: 'CURRENT: victim contact heard within SLA',
      value: current.victimContact.heardWithinSlaPercent,
      target: '>= 99',
      met: current.victimContact.heardWithinSlaPercent >= 99,
    },
    {
      goal: 'FIFO: P1 heard within SLA',
      value: fifo.byTier.P1.heardWithinSlaPercent,
      target: '< 60',
      met: fifo.byTier.P1.heardWithinSlaPercent < 60,
    },
    {
      goal: 'FIFO: victim contact heard within SLA',
      value: fifo.victimContact.heardWithinSlaPercent,
      target: '< 60',
      met: fifo.victimContact.heardWithinSlaPercent < 60,
    },
    {
      goal: 'CURRENT: P3 purged unheard while P4 heard',
      value: p3PurgedWhileP4Heard ? current.byTier.P3.purgedUnheard : 0,
      target: '= 0',
      met: !p3PurgedWhileP4Heard,
    },
  ];
  console.log(
    table([
      ['goal', 'value', 'target', 'met'],
      ...goals.map((g) => [g.goal, `${g.value}`, g.target, g.met ? 'yes' : 'NO']),
    ]),
  );

  const findings: string[] = [];
  const p1 = current.byTier.P1;
  if (!goals[0].met || !goals[1].met)
    findings.push(
      `CURRENT misses P1 or victim-contact calls: ${thousands(p1.calls - p1.heardWithinSla)} P1 calls not heard in time ` +
        `(${thousands(p1.unheard)} still waiting, p95 wait ${p1.p95WaitHours} h); ` +
        `${thousands(run.result.awaitingTranslation)} calls wait for a translation the simulator does not make.`,
    );
  if (!goals[2].met || !goals[3].met)
    findings.push(
      'FIFO hears the urgent calls in time at this overload: the plan is not short enough to tell them apart.',
    );
  if (p3PurgedWhileP4Heard)
    findings.push(
      'A P4 call was heard while a P3 call reached its retention unheard: eligibility or shift ends let the P4 through.',
    );
  findings.push(
    `Retention is ${NATIONAL_DEFAULTS.days < 90 ? `90 days, longer than the ${NATIONAL_DEFAULTS.days}-day period: no call can reach it, so the last goal holds trivially; ` : ''}` +
      `at the end ${thousands(current.byTier.P3.unheard)} P3 calls still wait while ${thousands(current.byTier.P4.heard)} P4 calls were heard.`,
  );
  for (const f of findings) log(`finding: ${f}`);
  const after = os.loadavg();
  log(`load average after: ${after.map((l) => l.toFixed(2)).join(' / ')}`);

  const out = path.join(ROOT, 'bench/results/simulation-latest.json');
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(
    out,
    `${JSON.stringify(
      {
        at: new Date().toISOString(),
        loadAverage: { before: load, after },
        options: { ...run.options, to: run.options.to.toISOString() },
        monitoredCalls: run.monitoredCalls,
        queuedCalls: run.result.calls,
        listeners: run.staffing.reduce((s, r) => s + r.listeners, 0),
        listenerHours: run.result.listenerHours,
        seconds: run.seconds,
        goals,
        findings,
        policies: Object.fromEntries(
          Object.entries(run.result.policies).map(([k, p]) => [
            k,
            { ...p, backlogHourly: undefined },
          ]),
        ),
      },
      null,
      2,
    )}\n`,
  );
  log(`wrote ${path.relative(ROOT, out)}`);
}

main();
