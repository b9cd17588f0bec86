/** The workload of a run. `--quick` is the same run at a tenth of the scale. */
export interface Scale {
  mode: 'full' | 'quick';
  establishments: number;
  prisonersPerEstablishment: number;
  monitoredShare: number;
  /** Calls sent through POST /api/calls/batch. */
  ingestCalls: number;
  batchSize: number;
  senders: number;
  /** Calls waiting in the queue while listeners claim. */
  pending: number;
  /** Sizes of the calls table the claim is measured at; the middle one is the headline. */
  claimRows: [number, number, number];
  listeners: number;
  /** Establishments the listeners work at (listeners / this many at each). */
  listenerEstablishments: number;
  /** Claims a second each listener is offered in the latency run. */
  claimRatePerListener: number;
  claimSeconds: number;
  warmupSeconds: number;
  summaryRequests: number;
  rescoreCalls: number;
  /** Listeners in each step of the busy hour (claim, play, log, back to back). */
  busyListeners: number[];
  busySeconds: number;
  /** Calls prepared for the feed to post during the busy hour (in batches of 200). */
  feedCalls: number;
  /** Requests each of the 20 connections sends in the wide-reads memory scenario. */
  wideReadRounds: number;
}

export const FULL: Scale = {
  mode: 'full',
  establishments: 120,
  prisonersPerEstablishment: 733,
  monitoredShare: 0.1,
  ingestCalls: 1_000_000,
  batchSize: 1000,
  senders: 4,
  pending: 100_000,
  claimRows: [100_000, 1_000_000, 5_000_000],
  listeners: 50,
  listenerEstablishments: 10,
  claimRatePerListener: 6.4,
  claimSeconds: 30,
  warmupSeconds: 5,
  summaryRequests: 200,
  rescoreCalls: 10_000,
  busyListeners: [50, 200],
  busySeconds: 30,
  feedCalls: 20_000,
  wideReadRounds: 15,
};

export const QUICK: Scale = {
  ...FULL,
  mode: 'quick',
  establishments: 12,
  ingestCalls: 100_000,
  pending: 10_000,
  claimRows: [10_000, 100_000, 500_000],
  claimSeconds: 10,
  warmupSeconds: 3,
  summaryRequests: 100,
  rescoreCalls: 1_000,
  busySeconds: 20,
  feedCalls: 8_000,
  wideReadRounds: 6,
};

/** Days of calls the world must cover to yield the calls ingested (about 2.4 a prisoner a day). */
export function daysFor(scale: Scale): number {
  const perDay = scale.establishments * scale.prisonersPerEstablishment * 2.4;
  return Math.ceil(scale.ingestCalls / perDay) + 1;
}
