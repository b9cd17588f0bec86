/** A simulation's figures as a plain-text table, for the CLI and the benchmark. */
import { TIERS } from '../common/vocabulary';
import { SimulationResult } from './model';

const n = (x: number) => x.toLocaleString('en-GB');

export function resultTable(result: SimulationResult): string {
  const header = [
    'policy',
    'group',
    'calls',
    'heard',
    'within SLA',
    '%',
    'median h',
    'p95 h',
    'unheard',
    'purged',
  ];
  const rows: string[][] = [];
  for (const [name, p] of Object.entries(result.policies)) {
    for (const tier of TIERS) {
      const f = p.byTier[tier];
      rows.push([
        name,
        tier,
        n(f.calls),
        n(f.heard),
        n(f.heardWithinSla),
        `${f.heardWithinSlaPercent}`,
        `${f.medianWaitHours}`,
        `${f.p95WaitHours}`,
        n(f.unheard),
        n(f.purgedUnheard),
      ]);
    }
    for (const [group, g] of [
      ['victim contact', p.victimContact],
      ['pattern alert', p.patternAlert],
    ] as const) {
      rows.push([
        name,
        group,
        n(g.calls),
        '',
        n(g.heardWithinSla),
        `${g.heardWithinSlaPercent}`,
        '',
        '',
        '',
        '',
      ]);
    }
    rows.push([name, 'utilisation', '', '', '', `${p.utilisationPercent}`, '', '', '', '']);
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
