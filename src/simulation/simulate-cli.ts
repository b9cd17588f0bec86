/**
 * `npm run simulate -- [options]`: the policy simulator on a national synthetic month, without a
 * database. Prints a table of the figures per policy and writes them as JSON. `--help` lists the
 * options.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { POLICY_KINDS, PolicyKind } from './model';
import { NATIONAL_DEFAULTS, NationalOptions, runNational } from './national';
import { resultTable } from './result-table';

const HELP = `Usage: npm run simulate -- [options]

Simulates a synthetic period of calls at national scale under each policy, with a staffing plan
sized so that the monitored calls need --overload times the listener-hours it works.

  --establishments N   prisons (default ${NATIONAL_DEFAULTS.establishments})
  --calls-per-day N    calls a day, all prisons (default ${NATIONAL_DEFAULTS.callsPerDay})
  --monitored F        share of prisoners monitored, 0-1 (default ${NATIONAL_DEFAULTS.monitoredShare})
  --days N             length of the period (default ${NATIONAL_DEFAULTS.days})
  --to YYYY-MM-DD      the period ends at the start of this day, UTC (default ${NATIONAL_DEFAULTS.to.toISOString().slice(0, 10)})
  --overload F         monitored demand / listener-hours of the plan (default ${NATIONAL_DEFAULTS.overload})
  --seed N             the same seed gives the same calls (default ${NATIONAL_DEFAULTS.seed})
  --mean-minutes F     mean handling time of a call (default ${NATIONAL_DEFAULTS.meanMinutes})
  --sd-minutes F       its standard deviation (default ${NATIONAL_DEFAULTS.sdMinutes})
  --policies LIST      comma-separated: ${POLICY_KINDS.join(',')} (default all)
  --json PATH          where to write the JSON (default simulation-result.json)
  --help               this text
`;

function number(value: string | undefined, name: string, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min)
    throw new Error(`--${name} must be a number of at least ${min}`);
  return n;
}

export function parseOptions(argv: string[]): { options: NationalOptions; json: string } | null {
  const { values } = parseArgs({
    args: argv,
    options: {
      establishments: { type: 'string' },
      'calls-per-day': { type: 'string' },
      monitored: { type: 'string' },
      days: { type: 'string' },
      to: { type: 'string' },
      overload: { type: 'string' },
      seed: { type: 'string' },
      'mean-minutes': { type: 'string' },
      'sd-minutes': { type: 'string' },
      policies: { type: 'string' },
      json: { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) return null;
  const d = NATIONAL_DEFAULTS;
  const policies = (values.policies?.split(',') ?? d.policies).map((p) => p.trim());
  for (const p of policies)
    if (!POLICY_KINDS.includes(p as PolicyKind))
      throw new Error(`--policies: ${p} is not one of ${POLICY_KINDS.join(', ')}`);
  const to = values.to === undefined ? d.to : new Date(`${values.to}T00:00:00Z`);
  if (!Number.isFinite(to.getTime())) throw new Error('--to must be a date, YYYY-MM-DD');
  const monitoredShare = number(values.monitored, 'monitored', d.monitoredShare, 0);
  if (monitoredShare > 1) throw new Error('--monitored must be at most 1');
  return {
    options: {
      establishments: Math.round(
        number(values.establishments, 'establishments', d.establishments, 1),
      ),
      callsPerDay: number(values['calls-per-day'], 'calls-per-day', d.callsPerDay, 1),
      monitoredShare,
      days: Math.round(number(values.days, 'days', d.days, 1)),
      to,
      overload: number(values.overload, 'overload', d.overload, 0.01),
      seed: Math.round(number(values.seed, 'seed', d.seed, 0)),
      meanMinutes: number(values['mean-minutes'], 'mean-minutes', d.meanMinutes, 1),
      sdMinutes: number(values['sd-minutes'], 'sd-minutes', d.sdMinutes, 0),
      policies: [...new Set(policies)] as PolicyKind[],
    },
    json: values.json ?? 'simulation-result.json',
  };
}

function main(): void {
  let parsed: ReturnType<typeof parseOptions>;
  try {
    parsed = parseOptions(process.argv.slice(2));
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    console.error('Try --help.');
    process.exit(2);
  }
  if (!parsed) {
    process.stdout.write(HELP);
    return;
  }
  const { options, json } = parsed;
  const run = runNational(options);
  const listeners = run.staffing.reduce((s, r) => s + r.listeners, 0);
  console.log(
    `${options.establishments} establishments, ${options.days} days to ${options.to.toISOString().slice(0, 10)}: ` +
      `${run.monitoredCalls.toLocaleString('en-GB')} calls of monitored prisoners, ` +
      `${run.result.calls.toLocaleString('en-GB')} queued; ${listeners.toLocaleString('en-GB')} listeners, ` +
      `${run.result.listenerHours.toLocaleString('en-GB')} listener-hours (overload ${options.overload})`,
  );
  console.log(resultTable(run.result));
  console.log(
    `generated in ${run.seconds.generate.toFixed(1)} s, simulated in ${run.seconds.simulate.toFixed(1)} s`,
  );
  mkdirSync(path.dirname(path.resolve(json)), { recursive: true });
  writeFileSync(
    json,
    `${JSON.stringify({ ...run, options: { ...options, to: options.to.toISOString() } }, null, 2)}\n`,
  );
  console.log(`wrote ${json}`);
}

if (require.main === module) main();
