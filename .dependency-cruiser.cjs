// Module boundaries, checked by `npm run lint` (scripts/check-boundaries.mjs runs dependency-cruiser
// with this file and the known-violations baseline beside it, so lint fails only on a new violation).
//
// Feature folders are the folders directly under src/ (calls, logs, escalations, …). Shared folders
// that any feature may import, and that take no part in the feature rules below:
//   src/common  (errors, clock, pagination, request context, HTTP setup)
//   src/db      (data source, transaction guard, SQL helpers)
//   src/config  (typed config, validated once at boot)
// Files directly in src/ (app.module.ts, core.module.ts, main.ts) are the composition root and may
// import anything.
//
// Exceptions, and why:
//   - unit specs beside the code (*.spec.ts) may build another module's repository as a fixture;
//   - src/demo is the demo seeder, a composition root of its own that writes fixtures directly;
//   - src/db ↔ src/config import each other (the config derives the app role's URL; the data source
//     reads the config): both are shared infrastructure, outside the folder-cycle rule.
// Nothing else breaks a rule today: .dependency-cruiser-known-violations.json, the baseline of
// known violations, is empty (it listed 37 feature-folder cycles until December 2026). Regenerate it
// with `npm run lint:deps:baseline` only after fixing, never to admit a new one. When a lower module
// must set off work in one above it, the one above registers: a DomainEvents handler inside the
// writer's transaction (TRIAGE_FACTS_CHANGED: every write that changes what the priority policy
// reads), or a hook or port the lower module owns and the upper one fills at module init
// (PrisonersService.onPomChanged, PrisonerProfileService.addSection, LogsService.useEscalations,
// PatternsService.onAlertsChanged).

const SHARED = '^src/(common|db|config)(/|$)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-foreign-repository',
      comment:
        "A feature reaches another feature's data through that feature's exported service, never its " +
        'repository: the owner keeps its rules (and its transaction handling) in one place.',
      severity: 'error',
      from: { path: '^src/([^/]+)/', pathNot: ['[.]spec[.]ts$', '^src/demo/'] },
      to: { path: '^src/[^/]+/.+[.]repository[.]ts$', pathNot: '^src/$1/' },
    },
    {
      name: 'no-feature-folder-cycle',
      comment:
        'Feature folders form no cycle (logs → escalations → logs): a cycle means neither can be ' +
        'understood, tested or made non-global without the other.',
      severity: 'error',
      scope: 'folder',
      from: { path: '^src/[^/]+$', pathNot: SHARED },
      to: { path: '^src/[^/]+$', pathNot: SHARED, circular: true },
    },
    {
      name: 'no-shared-to-feature',
      comment:
        'Shared folders are shared only while they depend on no feature: a shared file that imports ' +
        'a feature drags that feature (and its cycles) into every importer.',
      severity: 'error',
      from: { path: SHARED },
      to: { path: '^src/[^/]+/', pathNot: SHARED },
    },
    {
      name: 'no-src-to-test-or-bench',
      comment: 'Production code must not depend on test helpers or benchmarks.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|bench)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    reporterOptions: { dot: { collapsePattern: '^src/[^/]+' } },
  },
};
