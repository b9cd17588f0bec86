import type { Express } from 'express';
import * as nunjucks from 'nunjucks';
import { GOVUK_FRONTEND_DIST, VIEWS_DIR } from './paths';

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

/** `EX_PARTNER` → `Ex partner`: the vocabulary's codes as words. */
export function humanise(code: unknown): string {
  if (typeof code !== 'string' || code === '') return '';
  const words = code.toLowerCase().replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Nunjucks with the views and govuk-frontend on its search path, rendering for Express. */
export function setUpNunjucks(app: Express): nunjucks.Environment {
  app.set('view engine', 'njk');
  const env = nunjucks.configure([VIEWS_DIR, GOVUK_FRONTEND_DIST], {
    autoescape: true,
    express: app,
    throwOnUndefined: false,
  });
  env.addGlobal('serviceName', 'Monitor prisoner communications');
  env.addFilter('humanise', humanise);
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
