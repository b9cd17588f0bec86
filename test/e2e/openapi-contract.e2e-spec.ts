import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { bearer, startApi, TestApi } from '../support/api';
import { documentedPath, OpenApiDoc, responseProblems } from '../support/openapi-check';
import { highLogWithThreat, randomMobile, Scenario } from '../support/scenario';

const doc = JSON.parse(
  readFileSync(path.join(__dirname, '../../openapi.json'), 'utf8'),
) as OpenApiDoc;

/**
 * Operations with a JSON body this spec does not call yet, and why. Every other operation of the
 * document is called here and its answer checked against its documented schema; a new operation
 * fails the last test until it is called here or listed.
 */
const NOT_YET =
  'not called here yet (needs a pattern, a translation or a second authorisation set up)';
const NOT_CALLED: Record<string, string> = {
  'POST /api/calls/{id}/translation-requests': NOT_YET,
  'POST /api/identification-tasks/{id}/resolve': NOT_YET,
  'POST /api/monitoring-authorisations/{id}/approve':
    'called by Scenario.authorise, not through call()',
  'POST /api/monitoring-authorisations/{id}/end': NOT_YET,
  'GET /api/pattern-alerts/{id}': NOT_YET,
  'POST /api/pattern-alerts/{id}/acknowledge': NOT_YET,
  'GET /api/pattern-alerts/{id}/authorisation-draft': NOT_YET,
  'POST /api/pattern-alerts/{id}/dismiss': NOT_YET,
  'PUT /api/prisoners/{prisonNumber}': 'called by Scenario.prisoner, not through call()',
  'POST /api/prisoners/{prisonNumber}/monitoring-authorisations':
    'called by Scenario.authorise, not through call()',
  'POST /api/translation-requests/{id}/cancel': NOT_YET,
  'POST /api/translation-requests/{id}/complete': NOT_YET,
  'POST /api/translation-requests/{id}/sent': NOT_YET,
};

/**
 * Differences the contract test found between what the code's types say and what is answered,
 * left for the owners of those modules (the types, not the answers, are wrong or loose).
 */
const KNOWN_MISMATCHES = [
  // PATCH /api/contacts/{id}: the answer does not have the ContactResponse shape its type claims.
  /^patch \/api\/contacts\/\{id\} 200 \$\.\w+: required, missing$/,
  // Audit rows without an establishment or entity id are typed as always having one.
  /^get \/api\/audit 200 \$\.items\[\d+\]\.(establishmentCode|entityId): null, not documented as nullable$/,
];

describe('the OpenAPI contract: every documented JSON answer has the documented shape', () => {
  let api: TestApi;
  const called = new Set<string>();
  const problems: string[] = [];

  /** Calls the API and checks the answer against the document. */
  const call = async (
    method: 'get' | 'post' | 'put' | 'patch',
    url: string,
    token: string,
    body?: object,
  ) => {
    let req = api.http[method](url).set(bearer(token)).set('Accept', 'application/json');
    if (body !== undefined) req = req.send(body);
    const res = await req;
    const op = `${method.toUpperCase()} ${documentedPath(doc, url) ?? url}`;
    if (res.status >= 200 && res.status < 300) called.add(op);
    else problems.push(`${op}: answered ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
    problems.push(...responseProblems(doc, method, url, res.status, res.body));
    return res.body;
  };

  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  it('answers a day of monitoring as documented', async () => {
    const s = await Scenario.create(api);
    const admin = s.adminToken;
    const est = s.establishment;
    const listener = await s.staff(['LISTENER']);
    const security = await s.staff(['SECURITY_MANAGER']);
    const head = await s.staff(['HEAD_OF_OMU']);
    const pom = await s.staff(['POM']);
    const prisonNumber = await s.prisoner({ pomUsername: pom.username });
    const auth = await s.authorise(prisonNumber);

    await call('post', '/api/auth/token', '', {
      username: process.env.ADMIN_USERNAME,
      password: process.env.ADMIN_PASSWORD,
    });
    await call('get', '/api/establishments', admin);
    await call('put', `/api/establishments/${est}`, admin, { name: `HMP Test ${est}` });
    await call('get', `/api/establishments/${est}/settings`, admin);
    await call('put', `/api/establishments/${est}/settings`, admin, { leaseMinutes: 30 });
    await call('get', `/api/staff?establishment=${est}`, admin);
    await call('put', `/api/staff/${listener.username}`, admin, {
      displayName: 'A listener',
      roles: ['LISTENER'],
      establishments: [est],
    });
    await call('get', `/api/prisoners/${prisonNumber}`, security.token);
    const contact = await call('post', `/api/prisoners/${prisonNumber}/contacts`, admin, {
      name: 'A sister',
      relationship: 'SIBLING',
      phoneNumbers: [randomMobile()],
    });
    await call('patch', `/api/contacts/${contact.id}`, admin, { name: 'A sister, renamed' });
    await call('post', '/api/privileged-numbers', admin, {
      phoneNumber: randomMobile(),
      organisation: 'A solicitor',
      kind: 'LEGAL_ADVISER',
      establishmentCode: est,
    });
    await call('get', '/api/privileged-numbers', admin);
    await call('get', `/api/monitoring-authorisations/${auth}`, security.token);
    await call('get', `/api/monitoring-authorisations?establishment=${est}`, security.token);
    await call('post', `/api/monitoring-authorisations/${auth}/review`, head.token, {
      decision: 'CONTINUE',
      rationale: 'Still necessary.',
    });

    const batch = [s.call(prisonNumber), s.call(prisonNumber)];
    await call('post', '/api/calls/batch', s.ingestToken, { calls: [s.call(prisonNumber)] });
    await s.ingestAndTriage(batch);
    const [first] = await s.callsOf(prisonNumber);
    await call('put', `/api/calls/${first.id}/transcript`, s.ingestToken, { text: 'hello there' });
    await call('get', `/api/calls?establishment=${est}`, security.token);
    await call('get', `/api/calls/${first.id}`, security.token);
    await call('get', `/api/queue?establishment=${est}`, head.token);

    const claimed = await call('post', '/api/queue/claim', listener.token, {});
    const callId = claimed.call.id as string;
    const token = claimed.claim.token as string;
    await call('get', '/api/queue/mine', listener.token);
    await call('post', `/api/calls/${callId}/claim/extend`, listener.token, { token });
    const logged = await call(
      'post',
      `/api/calls/${callId}/log`,
      listener.token,
      highLogWithThreat(token),
    );
    const logId = logged.log.id as string;
    await call('get', `/api/logs/${logId}`, security.token);
    await call('get', `/api/prisoners/${prisonNumber}/logs`, security.token);
    await call('post', `/api/logs/${logId}/amendments`, security.token, {
      ...highLogWithThreat(''),
      token: undefined,
      reason: 'The threat was to the ex-partner, not her sister',
    });

    const again = await call('post', '/api/queue/claim', listener.token, {});
    if (again?.call) {
      await call('post', `/api/calls/${again.call.id}/release`, listener.token, {
        token: again.claim.token,
        reasonCode: 'OTHER',
        reason: 'Needed elsewhere',
      });
    }

    const escalations = await call('get', `/api/escalations?establishment=${est}`, security.token);
    const escalation = escalations.items[0]?.id as string;
    await call('get', `/api/escalations/${escalation}`, security.token);
    await call('post', `/api/escalations/${escalation}/acknowledge`, pom.token);
    const manual = await call(
      'post',
      `/api/prisoners/${prisonNumber}/escalations`,
      security.token,
      {
        target: 'MAPPA',
        reason: 'Release is near and the threats go on',
      },
    );
    const mappa = (manual.id ?? manual.escalation?.id) as string;
    await call('get', `/api/escalations/${mappa}/mappa-referral`, security.token);
    await call('put', `/api/prisoners/${prisonNumber}/com`, head.token, {
      com: { name: 'Sam Okafor', email: 'sam.okafor@justice.gov.uk', phone: '0113 496 0000' },
      handoverDate: '2027-01-15',
    });
    const com = await call('post', `/api/prisoners/${prisonNumber}/escalations`, security.token, {
      target: 'COM',
      reason: 'Release planning heard on a call',
    });
    await call('post', `/api/escalations/${com.id as string}/shares`, head.token, {
      channel: 'MAPPA_MEETING',
      sharedAt: new Date().toISOString(),
      summary: 'Shared at the level 2 meeting',
      response: 'Noted for the licence conditions',
    });
    await call('get', `/api/escalations/${com.id as string}`, security.token);
    await call('post', `/api/escalations/${escalation}/close`, pom.token, {
      outcome: 'OTHER',
      note: 'Spoken to the prisoner',
    });
    await call('get', '/api/poms/me/caseload', pom.token);
    await call('get', `/api/irmm/agenda?establishment=${est}`, head.token);
    await call('post', '/api/irmm/meetings', head.token, {
      establishmentCode: est,
      heldAt: new Date().toISOString(),
      attendees: ['Head of OMU'],
      items: [],
    });

    await call('post', `/api/calls/${first.id}/holds`, security.token, {
      justification: 'Evidence for the MAPPA referral, kept until reviewed',
      reviewAt: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10),
    });
    const holds = await call('get', `/api/holds?establishment=${est}`, security.token);
    await call('post', `/api/holds/${holds.items[0]?.id}/release`, security.token, {
      reason: 'No longer needed',
    });

    await call('post', `/api/prisoners/${prisonNumber}/mail-items`, security.token, {
      direction: 'INCOMING',
      correspondent: 'A friend, 1 High Street',
      receivedAt: new Date().toISOString(),
    });
    await call('get', `/api/prisoners/${prisonNumber}/mail-items`, security.token);
    await call('get', `/api/prisoners/${prisonNumber}/monitoring-summary?format=json`, head.token);
    await call('get', `/api/prisoners/${prisonNumber}/pre-release-digest?format=json`, head.token);
    const disclosure = await call(
      'post',
      `/api/prisoners/${prisonNumber}/pre-release-digest/sent`,
      head.token,
      {
        to: 'Sam Okafor <sam.okafor@justice.gov.uk>',
        analysis: 'The threats go on; plan the victim’s safety before release.',
        sentAt: new Date().toISOString(),
      },
    );
    await call('get', `/api/disclosures?establishment=${est}`, head.token);
    await call('get', `/api/disclosures/${disclosure.id as string}?format=json`, head.token);

    await call('get', `/api/backlog/summary?establishment=${est}`, head.token);
    await call('get', `/api/backlog/trend?establishment=${est}`, head.token);
    await call('get', `/api/backlog/listeners?establishment=${est}`, head.token);
    await call(
      'get',
      `/api/backlog/forecast?establishment=${est}&listeners=2&hoursPerDay=6`,
      head.token,
    );
    await call('get', `/api/backlog/translation?establishment=${est}`, head.token);
    await call('get', `/api/reconciliation?establishment=${est}`, head.token);
    const today = new Date().toISOString().slice(0, 10);
    await call('post', '/api/simulations', head.token, {
      establishment: est,
      source: { kind: 'HISTORY', from: today, to: today },
      staffing: [
        { listeners: 1, days: ['MON', 'TUE', 'WED', 'THU', 'FRI'], start: '08:00', end: '16:00' },
      ],
      handling: { kind: 'OBSERVED' },
      policies: ['CURRENT', 'FIFO'],
    });
    await call('get', `/api/translation-requests?establishment=${est}`, head.token);
    await call('get', `/api/risk-flags?establishment=${est}`, head.token);
    const arrival = await s.prisoner({ alertCodes: ['RDV', 'ROH'] });
    const due = await call('get', `/api/monitoring-decisions?establishment=${est}`, head.token);
    const decision = (due.items as { id: string; prisonNumber: string }[]).find(
      (d) => d.prisonNumber === arrival,
    )!.id;
    await call('get', `/api/monitoring-decisions/${decision}`, head.token);
    await call('post', `/api/monitoring-decisions/${decision}/decide`, head.token, {
      decision: 'DO_NOT_MONITOR',
      rationale: 'No contact with the victim; order in force.',
    });
    await call('post', '/api/risk-flags/decisions', head.token, {
      type: 'HIGH_RISK_NOT_MONITORED',
      prisonNumber: arrival,
      decision: 'ACCEPTED_RISK',
      rationale: 'Victim abroad; risk accepted until the review.',
      reviewBy: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10),
    });
    await call('get', `/api/pattern-alerts?establishment=${est}`, head.token);
    await call('get', `/api/identification-tasks?establishment=${est}`, security.token);
    await call('put', `/api/establishments/${est}/duty-rota`, security.token, {
      entries: [
        {
          username: security.username,
          from: new Date(Date.now() - 3_600_000).toISOString(),
          to: new Date(Date.now() + 3_600_000).toISOString(),
        },
      ],
    });
    await call('get', `/api/establishments/${est}/duty-rota`, head.token);
    await call('get', `/api/notifications?establishment=${est}`, security.token);
    await call('get', `/api/audit?username=${listener.username}`, admin);
    const health = await api.http.get('/health');
    called.add('GET /health');
    problems.push(...responseProblems(doc, 'get', '/health', health.status, health.body));

    expect(problems.filter((p) => !KNOWN_MISMATCHES.some((re) => re.test(p)))).toEqual([]);
  });

  it('has called every operation with a JSON answer, or says why not', () => {
    const uncalled: string[] = [];
    for (const [p, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        const name = `${method.toUpperCase()} ${p}`;
        const json = Object.entries(op.responses).some(
          ([status, r]) =>
            /^2/.test(status) && (r as { content?: object }).content?.['application/json' as never],
        );
        if (json && !called.has(name) && !NOT_CALLED[name]) uncalled.push(name);
      }
    }
    expect(uncalled).toEqual([]);
  });
});
