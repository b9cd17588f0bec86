import { CALL_RECORD_FIELDS } from '../../src/calls/call-record';
import type { Test } from 'supertest';
import { forEachLimit } from '../../src/common/concurrency';
import { bearer, startApi, TestApi } from '../support/api';
import { apiRoutes, ApiRoute, dtoPropertyPaths, PropertyPath } from '../support/routes';
import { highLogWithThreat, randomMobile, Scenario, Staffer } from '../support/scenario';

/**
 * Hostile values × every endpoint, the endpoints read from the application's own routes (so a new
 * one is fuzzed without anyone listing it), each sent as a role that gets past the guard to the
 * validation and the handler, and again as an ADMIN: no answer may be a 5xx.
 */

/** JSON nested `depth` deep, as text (JSON.stringify itself overflows the stack on it). */
const deepJson = (depth: number) => `${'{"a":'.repeat(depth)}"leaf"${'}'.repeat(depth)}`;
/** Stands for the deep value inside a body, replaced by deepJson once the body is text. */
const DEEP = '\u0001deep\u0001';

/** Values for JSON bodies. */
const HOSTILE_JSON: [string, unknown][] = [
  ['a NUL byte', 'a\u0000b'],
  ['a lone surrogate', 'x\ud800'],
  ['100,000 characters', 'x'.repeat(100_000)],
  ['an empty text', ''],
  ['null', null],
  ['a huge number', 1e20],
  ['a negative number', -1],
  ['year 0000', '0000-01-01T00:00:00Z'],
  ['year 9999', '9999-12-31T23:59:59Z'],
  ['30 February', '2026-02-30T10:00:00Z'],
  ['an array', ['x', 1, null]],
  ['an object', { a: 'b' }],
  ['an object nested 10,000 deep', DEEP],
  ['true', true],
];

/** Values for query strings and path segments (already URL-encoded). */
const HOSTILE_URL: [string, string][] = [
  ['a NUL byte', 'a%00b'],
  ['5,000 characters', 'x'.repeat(5000)],
  ['a huge number', '99999999999999999999'],
  ['a negative number', '-1'],
  ['year 0000', '0000-01-01T00%3A00%3A00Z'],
  ['year 9999', '9999-12-31T23%3A59%3A59Z'],
  ['30 February', '2026-02-30T10%3A00%3A00Z'],
  ['broken percent-encoding', '%E0%A4%A'],
  ['a path climb', '..%2F..%2Fetc%2Fpasswd'],
  ['an empty value', ''],
];

/** Whole requests that are wrong before any field is read. */
const HOSTILE_REQUESTS: [string, (t: Test) => Test][] = [
  ['JSON in latin1', (t) => t.set('Content-Type', 'application/json; charset=latin1').send('{}')],
  ['an unknown content-encoding', (t) => t.set('Content-Encoding', 'x-bogus').send({})],
  [
    'gzip that is not gzip',
    (t) => t.set('Content-Type', 'application/json').set('Content-Encoding', 'gzip').send('{}'),
  ],
  [
    'a form of 1,001 fields',
    (t) => t.type('form').send(Array.from({ length: 1001 }, (_, i) => `f${i}=1`).join('&')),
  ],
  ['JSON that is not JSON', (t) => t.set('Content-Type', 'application/json').send('{"a": ')],
  [
    'JSON nested 10,000 deep',
    (t) => t.set('Content-Type', 'application/json').send(deepJson(10_000)),
  ],
  ['a JSON array', (t) => t.send([1, 2, 3])],
  ['a JSON string', (t) => t.set('Content-Type', 'application/json').send('"text"')],
  ['text/plain', (t) => t.set('Content-Type', 'text/plain').send('hello')],
];

interface World {
  s: Scenario;
  tokens: Record<string, string>;
  victim: Staffer;
  prisoner: string;
  ids: Record<string, string>;
  claimToken: string;
  claimedCallId: string;
  settings: Record<string, unknown>;
}

const ALL_TRAININGS = ['PUBLIC_PROTECTION', 'DOMESTIC_ABUSE', 'CHILD_SAFEGUARDING'];
const NOWHERE = '00000000-0000-4000-8000-000000000000';

/** A valid body for every route that takes one (a route added without one fails the first test). */
function sampleBodies(w: World): Record<string, unknown> {
  const E = w.s.establishment;
  const soon = new Date(Date.now() + 30 * 86_400_000).toISOString();
  const past = new Date(Date.now() - 86_400_000).toISOString();
  return {
    'PATCH /api/contacts/:id': {
      name: 'A Contact',
      relationship: 'PARTNER',
      phoneNumbers: [randomMobile()],
      isVictim: false,
      isChild: false,
      restriction: 'NONE',
    },
    'POST /api/auth/token': { username: 'fuzz-nobody', password: 'not-the-password' },
    'POST /api/calls/:id/claim/extend': { token: w.claimToken },
    'POST /api/calls/:id/holds': {
      justification: 'Evidence for an open escalation about this prisoner',
      reviewAt: soon.slice(0, 10),
    },
    'POST /api/calls/:id/log': highLogWithThreat(w.claimToken),
    'POST /api/calls/:id/release': { token: w.claimToken, reason: 'End of my shift' },
    'POST /api/calls/batch': { calls: [w.s.call(w.prisoner)] },
    'POST /api/escalations/:id/close': { outcome: 'OTHER', note: 'Discussed with the POM' },
    'POST /api/escalations/:id/shares': {
      channel: 'EMAIL',
      sharedAt: past,
      summary: 'Shared the threat heard on the call with the COM',
    },
    'POST /api/holds/:id/release': { reason: 'No longer needed as evidence' },
    'POST /api/identification-tasks/:id/resolve': { note: 'The number is his sister’s' },
    'POST /api/irmm/meetings': {
      establishmentCode: E,
      heldAt: past,
      attendees: ['Head of OMU', 'POM'],
      items: [{ escalationId: w.ids.escalations, decision: 'CARRY_FORWARD', note: 'Next week' }],
    },
    'POST /api/logs/:id/amendments': {
      ...highLogWithThreat(w.claimToken),
      token: undefined,
      reason: 'The summary named the wrong person',
    },
    'POST /api/monitoring-authorisations/:id/approve': { note: 'Approved' },
    'POST /api/monitoring-authorisations/:id/end': { reason: 'The risk has passed' },
    'POST /api/monitoring-authorisations/:id/review': {
      decision: 'CONTINUE',
      rationale: 'The risk remains',
      nextReviewDueAt: soon,
    },
    'POST /api/monitoring-decisions/:id/decide': {
      decision: 'DO_NOT_MONITOR',
      rationale: 'No contact with the victim; the order is in force.',
    },
    'POST /api/risk-flags/decisions': {
      type: 'HIGH_RISK_NOT_MONITORED',
      prisonNumber: w.prisoner,
      decision: 'ACCEPTED_RISK',
      rationale: 'Risk accepted until the review.',
      reviewBy: soon.slice(0, 10),
    },
    'POST /api/pattern-alerts/:id/dismiss': { reason: 'A known family number' },
    'PUT /api/prisoners/:prisonNumber/com': {
      com: { name: 'Sam Okafor', email: 'sam.okafor@justice.gov.uk' },
      handoverDate: soon.slice(0, 10),
    },
    'POST /api/prisoners/:prisonNumber/contacts': {
      name: 'A Friend',
      relationship: 'FRIEND',
      phoneNumbers: [randomMobile()],
      isVictim: false,
      isChild: false,
      restriction: 'NONE',
    },
    'POST /api/prisoners/:prisonNumber/escalations': {
      target: 'POM',
      reason: 'A listener is worried about this prisoner',
      logIds: [w.ids.logs],
      concernLevel: 'MEDIUM',
    },
    'POST /api/prisoners/:prisonNumber/pre-release-digest/sent': {
      to: 'Sam Okafor <sam.okafor@justice.gov.uk>',
      analysis: 'The threats go on; plan the victim’s safety before release.',
      sentAt: past,
    },
    'POST /api/prisoners/:prisonNumber/mail-items': {
      direction: 'INCOMING',
      correspondent: 'Ms A Smith, 1 High Street',
      correspondentKind: 'PERSONAL',
      receivedAt: past,
      scanRef: 'rec/sample.ogg',
      language: 'en',
    },
    'POST /api/prisoners/:prisonNumber/monitoring-authorisations': {
      type: 'OFFENCE_RELATED',
      grounds: ['PUBLIC_SAFETY'],
      channels: ['PHONE'],
      justification: 'Risk to a former partner; calls must be heard to manage it.',
      startsAt: past,
      endsAt: soon,
      lookbackDays: 0,
    },
    'POST /api/privileged-numbers': {
      phoneNumber: randomMobile(),
      organisation: 'Fuzz Solicitors LLP',
      kind: 'LEGAL_ADVISER',
      establishmentCode: E,
    },
    'POST /api/queue/claim': { establishment: E },
    'POST /api/simulations': {
      establishment: E,
      source: { kind: 'SYNTHETIC', days: 2, scale: 0.1, overload: 2, seed: 1 },
      staffing: [{ listeners: 1, days: ['MON'], start: '08:00', end: '16:00' }],
      handling: { kind: 'FIXED', meanMinutes: 9, sdMinutes: 4 },
      policies: ['CURRENT', 'FIFO'],
    },
    'POST /api/translation-requests/:id/cancel': { reason: 'No longer needed' },
    'POST /api/translation-requests/:id/complete': {
      translator: 'Jan Kowalski (Interpreting Services Ltd)',
      translatedSummary: 'Spoke to his sister about a visit next week; nothing of concern said.',
    },
    'PUT /api/calls/:id/transcript': { segments: [{ at: 0, text: 'hello' }] },
    'PUT /api/establishments/:code': { name: 'HMP Fuzz' },
    'PUT /api/establishments/:code/settings': w.settings,
    'PUT /api/establishments/:code/duty-rota': {
      entries: [{ username: w.victim.username, from: past, to: soon }],
    },
    'PUT /api/prisoners/:prisonNumber': {
      firstName: 'Test',
      lastName: 'Fuzz',
      establishmentCode: E,
      alertCodes: ['P55'],
      mappaCategory: 2,
      mappaLevel: 1,
      roshLevel: 'HIGH',
      earliestReleaseDate: '2027-03-01',
      pomUsername: w.victim.username,
      languages: ['en'],
    },
    'PUT /api/staff/:username': {
      displayName: 'Fuzz victim',
      password: 'correct-horse-battery',
      roles: ['LISTENER', 'POM'],
      establishments: [E],
      trainings: [],
      languages: ['en'],
    },
  };
}

/** The record fields of a call batch and a transcript, whose bodies have no DTO to read them from. */
const UNTYPED_PATHS: Record<string, PropertyPath[]> = {
  'POST /api/calls/batch': CALL_RECORD_FIELDS.map((f) => ['calls', 0, f]),
  'PUT /api/calls/:id/transcript': [['segments'], ['segments', 0, 'text'], ['segments', 0, 'at']],
};

const MAX_PATHS_PER_ROUTE = 12;

function withValueAt(sample: unknown, path: PropertyPath, value: unknown): unknown {
  const copy = structuredClone(sample) as Record<string | number, unknown>;
  let at: Record<string | number, unknown> = copy;
  for (const [i, key] of path.entries()) {
    if (i === path.length - 1) {
      at[key] = value;
    } else {
      const next = at[key];
      at[key] =
        next !== null && typeof next === 'object'
          ? next
          : typeof path[i + 1] === 'number'
            ? []
            : {};
      at = at[key] as Record<string | number, unknown>;
    }
  }
  return copy;
}

interface Probe {
  route: ApiRoute;
  role: string | null;
  what: string;
  url: string;
  send: (t: Test) => Test;
}

describe('fuzz: hostile values × every endpoint', () => {
  let api: TestApi;
  let routes: ApiRoute[];
  let w: World;

  beforeAll(async () => {
    api = await startApi();
    routes = apiRoutes(api.app);
    w = await seedWorld(api);
  });

  afterAll(async () => {
    await api.close();
  });

  it('reads the routes from the app, and has a sample body for every one that takes a body', () => {
    expect(routes.length).toBeGreaterThanOrEqual(68);
    const samples = sampleBodies(w);
    const missing = routes.filter((r) => r.hasBody && !(r.key in samples)).map((r) => r.key);
    expect(missing).toEqual([]);
  });

  it('answers no hostile request with a 5xx, as a role that reaches the handler and as an ADMIN', async () => {
    const samples = sampleBodies(w);
    const probes: Probe[] = [];
    for (const route of routes) {
      const reaching = reachingRole(route);
      probes.push(...probesFor(route, reaching, w, samples));
      // An ADMIN the guard refuses is refused before validation: the whole-request probes suffice.
      if (reaching !== 'ADMIN' && !route.isPublic) {
        probes.push(...wholeRequestProbes(route, 'ADMIN', w, samples[route.key]));
      }
    }
    expect(probes.length).toBeGreaterThan(2000);

    const failures: string[] = [];
    const started = Date.now();
    await forEachLimit(probes, 4, async (p) => {
      let t = api.http[p.route.method.toLowerCase() as 'get'](p.url);
      if (p.role) t = t.set(bearer(w.tokens[p.role]));
      const res = await p.send(t);
      if (res.status >= 500) {
        const message = (res.body as { message?: unknown }).message;
        const said = typeof message === 'string' ? message : res.text;
        failures.push(
          `${res.status} ${p.route.key} as ${p.role ?? 'anonymous'} with ${p.what}: ${said.slice(0, 200)}`,
        );
      }
    });
    expect(failures).toEqual([]);
    // Bounded, so that it stays in the suite: about 4,000 requests in under a minute here.
    expect(Date.now() - started).toBeLessThan(150_000);
  }, 180_000);
});

function reachingRole(route: ApiRoute): string | null {
  if (route.isPublic) return null;
  if (!route.roles || route.roles.includes('ADMIN')) return 'ADMIN';
  return route.roles[0];
}

function urlFor(route: ApiRoute, w: World, override: Record<string, string> = {}): string {
  return route.path.replace(
    /:(\w+)/g,
    (_m, name: string) => override[name] ?? paramValue(route, name, w),
  );
}

function paramValue(route: ApiRoute, name: string, w: World): string {
  if (name === 'prisonNumber') return w.prisoner;
  if (name === 'code') return w.s.establishment;
  if (name === 'username') return w.victim.username;
  // `:id` names a record of the collection it follows: /api/calls/:id/log is a call.
  const collection = route.path.split('/')[2];
  if (collection === 'calls' && /\/(log|release|claim\/extend)$/.test(route.path)) {
    return w.claimedCallId;
  }
  return w.ids[collection] ?? NOWHERE;
}

function probesFor(
  route: ApiRoute,
  role: string | null,
  w: World,
  samples: Record<string, unknown>,
): Probe[] {
  const probes: Probe[] = [];
  const sample = samples[route.key];
  const url = urlFor(route, w);
  const json = (body: unknown) => (t: Test) =>
    body === undefined
      ? t
      : t
          .set('Content-Type', 'application/json')
          .send(JSON.stringify(body).replace(JSON.stringify(DEEP), deepJson(10_000)));

  for (const param of route.pathParams) {
    for (const [what, value] of HOSTILE_URL) {
      if (value === '') continue; // an empty segment is another route
      probes.push({
        route,
        role,
        what: `${what} as :${param}`,
        url: urlFor(route, w, { [param]: value }),
        send: json(sample),
      });
    }
  }

  if (route.query) {
    const names = [...new Set(dtoPropertyPaths(route.query, 0).map((p) => String(p[0])))];
    for (const name of names) {
      for (const [what, value] of HOSTILE_URL) {
        probes.push({
          route,
          role,
          what: `${what} as ?${name}`,
          url: `${url}?${name}=${value}`,
          send: json(undefined),
        });
      }
      probes.push({
        route,
        role,
        what: `?${name} twice`,
        url: `${url}?${name}=1&${name}=2`,
        send: json(undefined),
      });
    }
  }

  if (route.hasBody && sample !== undefined) {
    const paths = (
      route.body ? dtoPropertyPaths(route.body) : (UNTYPED_PATHS[route.key] ?? [])
    ).slice(0, MAX_PATHS_PER_ROUTE);
    for (const path of paths) {
      for (const [what, value] of HOSTILE_JSON) {
        probes.push({
          route,
          role,
          what: `${what} as ${path.join('.')}`,
          url,
          send: json(withValueAt(sample, path, value)),
        });
      }
    }
  }

  probes.push(...wholeRequestProbes(route, role, w, sample));
  return probes;
}

function wholeRequestProbes(
  route: ApiRoute,
  role: string | null,
  w: World,
  sample: unknown,
): Probe[] {
  const url = urlFor(route, w);
  return [
    {
      route,
      role,
      what: 'its sample',
      url,
      send: (t) => (sample === undefined ? t : t.send(sample as object)),
    },
    ...HOSTILE_REQUESTS.map(([what, send]) => ({ route, role, what, url, send })),
  ];
}

/** A prisoner with a POM, monitored, with logged and claimed calls, an escalation, a hold and a task. */
async function seedWorld(api: TestApi): Promise<World> {
  const s = await Scenario.create(api);
  const [listener, pom, head, security, victim] = [
    await s.staff(['LISTENER'], { trainings: ALL_TRAININGS, languages: ['en', 'pl'] }),
    await s.staff(['POM']),
    await s.staff(['HEAD_OF_OMU']),
    await s.staff(['SECURITY_MANAGER']),
    await s.staff(['LISTENER']),
  ];
  const tokens: Record<string, string> = {
    ADMIN: s.adminToken,
    INGEST: s.ingestToken,
    LISTENER: listener.token,
    POM: pom.token,
    HEAD_OF_OMU: head.token,
    SECURITY_MANAGER: security.token,
  };
  const prisoner = await s.prisoner({ pomUsername: pom.username, alertCodes: ['P55'] });
  const ids: Record<string, string> = {};
  ids.contacts = await s.contact(prisoner, { relationship: 'PARTNER', isVictim: true });
  // The victim among his contacts is a new marker: a monitoring decision is due.
  const due = await api.http
    .get(`/api/monitoring-decisions?establishment=${s.establishment}&status=DUE`)
    .set(bearer(security.token));
  const decision = (due.body as { items?: { id: string }[] }).items?.[0];
  if (decision) ids['monitoring-decisions'] = decision.id;
  ids['monitoring-authorisations'] = await s.authorise(prisoner);
  await s.ingestAndTriage(Array.from({ length: 4 }, () => s.call(prisoner)));

  const http = api.http;
  const first = await s.claim(listener).expect(200);
  const firstCall = (first.body as { call: { id: string } }).call.id;
  const logged = await http
    .post(`/api/calls/${firstCall}/log`)
    .set(bearer(listener.token))
    .send(
      highLogWithThreat((first.body as { claim: { token: string } }).claim.token, {
        contact: { relationship: 'PARTNER', confidence: 'UNIDENTIFIED' },
      }),
    )
    .expect(201);
  const body = logged.body as { log: { id: string }; escalations: { id: string }[] };
  ids.calls = firstCall;
  ids.logs = body.log.id;
  ids.escalations = body.escalations[0].id;

  const hold = await http
    .post(`/api/calls/${firstCall}/holds`)
    .set(bearer(security.token))
    .send({
      justification: 'Evidence for the escalation raised from this call',
      reviewAt: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10),
    });
  if (hold.status === 201) ids.holds = (hold.body as { id: string }).id;

  const tasks = await http
    .get(`/api/identification-tasks?establishment=${s.establishment}`)
    .set(bearer(security.token));
  const task = (tasks.body as { items?: { id: string }[] }).items?.[0];
  if (task) ids['identification-tasks'] = task.id;

  const [translated] = await s
    .callsOf(prisoner)
    .then((calls) => calls.filter((c) => c.status === 'PENDING').map((c) => c.id));
  const translation = await http
    .post(`/api/calls/${translated}/translation-requests`)
    .set(bearer(head.token))
    .send({});
  if (translation.status === 201)
    ids['translation-requests'] = (translation.body as { id: string }).id;

  const claimed = await s.claim(listener).expect(200);
  const settings = await http
    .get(`/api/establishments/${s.establishment}/settings`)
    .set(bearer(s.adminToken))
    .expect(200);
  return {
    s,
    tokens,
    victim,
    prisoner,
    ids,
    claimToken: (claimed.body as { claim: { token: string } }).claim.token,
    claimedCallId: (claimed.body as { call: { id: string } }).call.id,
    settings: settings.body as Record<string, unknown>,
  };
}
