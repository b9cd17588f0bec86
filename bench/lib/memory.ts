/**
 * The api's memory under wide reads: 20 requests at once, spread over the endpoints that can build
 * the biggest answers (lists at their largest page, the widest periods, the PDF report), measured as
 * the api's peak resident set while they run.
 */
import { HttpClient } from './http';
import { Product } from './processes';
import { now, quantile, round } from './util';

export interface Endpoint {
  name: string;
  token: string;
  path: string;
}

export interface EndpointFigures {
  name: string;
  path: string;
  requests: number;
  statuses: Record<string, number>;
  /** Size of the answer body (the last one seen). */
  bytes: number;
  p50Ms: number;
  maxMs: number;
}

export interface MemoryRun {
  concurrency: number;
  requests: number;
  seconds: number;
  /** The api's peak RSS while the requests ran, and its RSS just before. */
  apiPeakMb: number;
  apiBeforeMb: number;
  serverErrors: number;
  endpoints: EndpointFigures[];
}

/** The wide reads an establishment's staff (or an intruder with their token) can ask for. */
export function wideReads(o: {
  establishment: string;
  prisonNumber: string;
  security: string;
  head: string;
  admin: string;
  pom: string;
  now: Date;
}): Endpoint[] {
  const e = o.establishment;
  const from = new Date(o.now.getTime() - 365 * 86_400_000).toISOString();
  const to = o.now.toISOString();
  return [
    {
      name: 'calls, 500 a page',
      token: o.security,
      path: `/api/calls?establishment=${e}&limit=500`,
    },
    {
      name: 'queue, 500 a page',
      token: o.security,
      path: `/api/queue?establishment=${e}&limit=500`,
    },
    { name: 'audit search, 500 a page', token: o.admin, path: `/api/audit?limit=500` },
    {
      name: 'reconciliation, a year',
      token: o.security,
      path: `/api/reconciliation?establishment=${e}&from=${from}&to=${to}`,
    },
    {
      name: 'monitoring summary PDF, a year',
      token: o.security,
      path: `/api/prisoners/${o.prisonNumber}/monitoring-summary?format=pdf&from=${from}&to=${to}`,
    },
    {
      name: 'monitoring summary HTML, a year',
      token: o.security,
      path: `/api/prisoners/${o.prisonNumber}/monitoring-summary?format=html&from=${from}&to=${to}`,
    },
    { name: 'backlog summary', token: o.head, path: `/api/backlog/summary?establishment=${e}` },
    {
      name: 'backlog trend, 366 days',
      token: o.head,
      path: `/api/backlog/trend?establishment=${e}&days=366`,
    },
    { name: 'backlog listeners', token: o.head, path: `/api/backlog/listeners?establishment=${e}` },
    { name: 'risk flags', token: o.security, path: `/api/risk-flags?establishment=${e}` },
    { name: "a prisoner's logs", token: o.security, path: `/api/prisoners/${o.prisonNumber}/logs` },
    {
      name: 'escalations, 500 a page',
      token: o.security,
      path: `/api/escalations?establishment=${e}&limit=500`,
    },
    { name: 'staff, 500 a page', token: o.admin, path: `/api/staff?limit=500` },
    {
      name: 'pattern alerts, 500 a page',
      token: o.security,
      path: `/api/pattern-alerts?establishment=${e}&limit=500`,
    },
    { name: "a POM's caseload", token: o.pom, path: `/api/poms/me/caseload` },
  ];
}

interface Tally {
  endpoint: Endpoint;
  statuses: Record<string, number>;
  bytes: number;
  latencies: number[];
}

/**
 * `concurrency` connections, each sending `rounds` requests back to back, connection k starting at
 * endpoint k and moving on one endpoint per request, so every endpoint is asked for as often and
 * the concurrent requests are always a mix.
 */
export async function measureWideReads(
  baseUrl: string,
  api: Product,
  endpoints: readonly Endpoint[],
  concurrency: number,
  rounds: number,
): Promise<MemoryRun> {
  const http = new HttpClient(baseUrl, concurrency + 4);
  const figures = endpoints.map((e): Tally => ({
    endpoint: e,
    statuses: {},
    bytes: 0,
    latencies: [],
  }));
  const apiBeforeMb = api.rssMb();
  api.startWindow();
  const t0 = now();
  try {
    await Promise.all(
      Array.from({ length: concurrency }, async (_, k) => {
        for (let r = 0; r < rounds; r++) {
          const f = figures[(k + r) % figures.length];
          const res = await http
            .request<unknown>('GET', f.endpoint.path, {
              token: f.endpoint.token,
              timeoutMs: 120_000,
            })
            .catch(() => ({ status: 0, body: '', ms: 0 }));
          f.statuses[res.status] = (f.statuses[res.status] ?? 0) + 1;
          f.bytes =
            typeof res.body === 'string'
              ? Buffer.byteLength(res.body)
              : JSON.stringify(res.body).length;
          f.latencies.push(res.ms);
        }
      }),
    );
  } finally {
    http.close();
  }
  const seconds = (now() - t0) / 1000;
  const endpointsOut = figures.map((f) => ({
    name: f.endpoint.name,
    path: f.endpoint.path,
    requests: f.latencies.length,
    statuses: f.statuses,
    bytes: f.bytes,
    p50Ms: round(quantile(f.latencies, 0.5), 1),
    maxMs: round(quantile(f.latencies, 1), 1),
  }));
  return {
    concurrency,
    requests: concurrency * rounds,
    seconds: round(seconds, 1),
    apiPeakMb: Math.round(api.windowPeakMb()),
    apiBeforeMb: Math.round(apiBeforeMb),
    serverErrors: endpointsOut.reduce(
      (n, e) =>
        n +
        Object.entries(e.statuses)
          .filter(([s]) => Number(s) >= 500 || s === '0')
          .reduce((m, [, c]) => m + c, 0),
      0,
    ),
    endpoints: endpointsOut,
  };
}
