import { Injectable } from '@nestjs/common';

/** The one place "now" comes from in application code, so tests can fix it. */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

export function addHours(at: Date, hours: number): Date {
  return new Date(at.getTime() + hours * HOUR_MS);
}

export function addDays(at: Date, days: number): Date {
  return new Date(at.getTime() + days * DAY_MS);
}
