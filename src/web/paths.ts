import { existsSync } from 'node:fs';
import * as path from 'node:path';

/**
 * The project root: the nearest directory above this file holding `src/web/views`. The same from
 * `src/web` (ts-jest) and from `dist/src/web` (compiled), so the templates are read from the source
 * tree and never copied into dist.
 */
function findProjectRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (existsSync(path.join(dir, 'src', 'web', 'views'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`No src/web/views above ${start}`);
    dir = parent;
  }
}

const ROOT = findProjectRoot(__dirname);

export const VIEWS_DIR = path.join(ROOT, 'src', 'web', 'views');
/** govuk-frontend's dist: its templates (`govuk/...`) are on the Nunjucks path, its assets served. */
export const GOVUK_FRONTEND_DIST = path.join(
  path.dirname(require.resolve('govuk-frontend/package.json', { paths: [ROOT] })),
  'dist',
);

/**
 * MoJ Frontend's package root: its templates (`moj/components/...`) are on the Nunjucks path, and
 * its compiled CSS, JS and images (`moj/`) are served.
 */
export const MOJ_FRONTEND_DIR = path.dirname(
  require.resolve('@ministryofjustice/frontend/package.json', { paths: [ROOT] }),
);

/** The workbench's own stylesheets and scripts (served at /assets/app; read from the source tree). */
export const WEB_ASSETS_DIR = path.join(ROOT, 'src', 'web', 'assets');
