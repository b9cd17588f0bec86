import type { Express } from 'express';
import * as nunjucks from 'nunjucks';
import { formatMinutes, formatNumber, formatPercent, uniqueReasons } from '../format';
import { label, LABELS, Vocabulary } from '../labels';
import { addNameGlobals } from '../names';
import { GOVUK_FRONTEND_DIST, MOJ_FRONTEND_DIR, VIEWS_DIR } from '../paths';
import { languageName } from '../../risk-flags/risk-flag-rules';

const LONDON = 'Europe/London';
const dateTime = new Intl.DateTimeFormat('en-GB', {
  timeZone: LONDON,
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});
const date = new Intl.DateTimeFormat('en-GB', {
  timeZone: LONDON,
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});
const time = new Intl.DateTimeFormat('en-GB', {
  timeZone: LONDON,
  hour: '2-digit',
  minute: '2-digit',
});

/** `14:05`, London time. */
export const formatTime = (d: Date): string => time.format(d);

const toDate = (value: unknown): Date | null => {
  if (value instanceof Date) return value;
  if (typeof value === 'string' || typeof value === 'number') {
    const d = new Date(value);
    return Number.isNaN(d.getTime()) ? null : d;
  }
  return null;
};

/**
 * Nunjucks with the views, govuk-frontend (`govuk/...`) and MoJ Frontend (`moj/...`) on its search
 * path, rendering for Express.
 */
export function setUpNunjucks(app: Express): nunjucks.Environment {
  app.set('view engine', 'njk');
  const env = nunjucks.configure([VIEWS_DIR, GOVUK_FRONTEND_DIST, MOJ_FRONTEND_DIR], {
    autoescape: true,
    express: app,
    throwOnUndefined: false,
  });
  env.addGlobal('serviceName', 'Monitor prisoner communications');
  // `{{ f.type | label("riskFlag") }}`: a code in the labels module's words (a typo fails loudly);
  // `{{ a.channels | labels("channel") | join(", ") }}` for a list of codes.
  const labelOf = (code: unknown, vocabulary: string): string => {
    if (!Object.hasOwn(LABELS, vocabulary)) throw new Error(`No labels for "${vocabulary}"`);
    return label(vocabulary as Vocabulary, code);
  };
  env.addFilter('label', labelOf);
  env.addFilter('labels', (codes: unknown, vocabulary: string) =>
    Array.isArray(codes) ? codes.map((c) => labelOf(c, vocabulary)) : [],
  );
  addNameGlobals(env);
  // `{{ call.language | language }}`: an ISO 639-1 code by its English name ("ro" → "Romanian").
  env.addFilter('language', (code: unknown) =>
    typeof code === 'string' ? languageName(code) : '',
  );
  env.addFilter('languages', (codes: unknown) =>
    Array.isArray(codes) ? codes.map((c) => (typeof c === 'string' ? languageName(c) : '')) : [],
  );
  env.addFilter('number', (v: unknown, decimals?: number) =>
    formatNumber(v, decimals === 1 ? 1 : 0),
  );
  env.addFilter('minutes', formatMinutes);
  env.addFilter('percent', formatPercent);
  env.addFilter('reasons', (v: unknown) =>
    uniqueReasons(Array.isArray(v) ? v.filter((r): r is string => typeof r === 'string') : []),
  );
  env.addFilter('dateTime', (v: unknown) => {
    const d = toDate(v);
    return d ? dateTime.format(d) : '';
  });
  env.addFilter('date', (v: unknown) => {
    const d = toDate(v);
    return d ? date.format(d) : '';
  });
  env.addFilter('time', (v: unknown) => {
    const d = toDate(v);
    return d ? time.format(d) : '';
  });
  env.addFilter('duration', (seconds: unknown) => {
    if (typeof seconds !== 'number') return '';
    const m = Math.floor(seconds / 60);
    const s = seconds % 60;
    return m > 0 ? `${m} min ${s} s` : `${s} s`;
  });
  return env;
}
