import { Injectable } from '@nestjs/common';

/**
 * The one place "now" comes from in application code, so tests can fix it. Pinned (`pin`), it also
 * gives the SQL of writes their "now": only the demo's month of history does that, played through
 * the real services in its own process before the api starts (src/demo/demo-history.ts).
 */
@Injectable()
export class Clock {
  private pinnedAt: Date | null = null;

  now(): Date {
    return this.pinnedAt ? new Date(this.pinnedAt.getTime()) : new Date();
  }

  /**
   * The instant the SQL of a write takes as its "now" (see `sqlNow`): null, in the api and worker,
   * leaves it to the database's own `now()` — the one clock every instance shares, which leases and
   * the lease sweeper compare against. Pinned, the rows the services write carry the pinned time.
   */
  pinned(): Date | null {
    return this.pinnedAt ? new Date(this.pinnedAt.getTime()) : null;
  }

  /** Makes `at` the time of everything this process does until `unpin`. */
  pin(at: Date): void {
    this.pinnedAt = new Date(at.getTime());
  }

  unpin(): void {
    this.pinnedAt = null;
  }
}

/** SQL for "now" given the parameter that carries `Clock.pinned()`: the database's clock unless pinned. */
export function sqlNow(param: string): string {
  return `coalesce(${param}::timestamptz, now())`;
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

export function addHours(at: Date, hours: number): Date {
  return new Date(at.getTime() + hours * HOUR_MS);
}

export function addDays(at: Date, days: number): Date {
  return new Date(at.getTime() + days * DAY_MS);
}
