// Runs dependency-cruiser with .dependency-cruiser.cjs and fails only on violations missing from
// .dependency-cruiser-known-violations.json. `depcruise --ignore-known` does this by itself for
// module-level rules, but it does not yet soften folder-level ones (the folder-cycle rule), so they
// are matched here by rule, from-folder and to-folder (the reported cycle path is not stable).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const BASELINE = '.dependency-cruiser-known-violations.json';
const DEPCRUISE = new URL('../node_modules/.bin/depcruise', import.meta.url).pathname;

function cruise() {
  const args = ['src', '--config', '.dependency-cruiser.cjs', '--ignore-known', BASELINE];
  try {
    return execFileSync(DEPCRUISE, [...args, '--output-type', 'json'], {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    });
  } catch (error) {
    // depcruise exits with the number of errors; the JSON on stdout is still complete.
    if (typeof error.stdout === 'string' && error.stdout.startsWith('{')) return error.stdout;
    throw error;
  }
}

const key = (v) => `${v.rule.name} ${v.from} -> ${v.to}`;
const isFolderViolation = (v) => v.type === 'cycle' && !/\.[cm]?[jt]s$/.test(v.from);

const known = new Set(
  JSON.parse(readFileSync(BASELINE, 'utf8')).filter(isFolderViolation).map(key),
);
const result = JSON.parse(cruise());
const fresh = result.summary.violations.filter(
  (v) => v.rule.severity === 'error' && !(isFolderViolation(v) && known.has(key(v))),
);

if (fresh.length > 0) {
  for (const v of fresh) {
    const via = v.cycle ? `  (cycle: ${v.cycle.map((c) => c.name).join(' → ')})` : '';
    console.error(`error ${v.rule.name}: ${v.from} → ${v.to}${via}`);
  }
  console.error(
    `\n${fresh.length} new module-boundary violation(s); rules and exceptions: .dependency-cruiser.cjs`,
  );
  process.exit(1);
}
const knownCount = result.summary.ignore ?? 0;
console.log(
  `module boundaries: no new violations (${result.summary.totalCruised} modules; ` +
    `${knownCount + known.size} known, listed in ${BASELINE})`,
);
