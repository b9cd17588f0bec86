import { randomBytes, randomInt } from 'node:crypto';
import { TriageService } from '../../src/triage/triage.service';
import { bearer, TestApi } from './api';

export interface Staffer {
  username: string;
  password: string;
  token: string;
}

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const letters = (n: number) => Array.from({ length: n }, () => LETTERS[randomInt(26)]).join('');

export const randomPrisonNumber = () =>
  `${letters(1)}${randomInt(10000).toString().padStart(4, '0')}${letters(2)}`;
/** A UK mobile number in national form, unique enough for a test run. */
export const randomMobile = () => `07911${randomInt(1_000_000).toString().padStart(6, '0')}`;
export const toE164 = (national: string) => `+44${national.replace(/\s/g, '').slice(1)}`;

let sequence = 0;

/**
 * Builds what a test needs through the real HTTP API (factories, not shared fixtures): each test gets
 * its own establishment, so tests never see each other's data.
 */
export class Scenario {
  adminToken = '';
  ingestToken = '';
  establishment = '';

  private constructor(readonly api: TestApi) {}

  static async create(api: TestApi): Promise<Scenario> {
    const s = new Scenario(api);
    s.adminToken = await s.login(process.env.ADMIN_USERNAME!, process.env.ADMIN_PASSWORD!);
    s.establishment = await s.newEstablishment();
    s.ingestToken = (await s.staff(['INGEST'], { establishments: [] })).token;
    return s;
  }

  /** A fresh establishment code no other test in the run has taken. */
  async newEstablishment(): Promise<string> {
    for (;;) {
      const code = letters(3);
      const rows: unknown[] = await this.api.db.query(
        `INSERT INTO establishments (code, name) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING code`,
        [code, `HMP Test ${code}`],
      );
      if (rows.length) return code;
    }
  }

  async login(username: string, password: string): Promise<string> {
    const res = await this.api.http
      .post('/api/auth/token')
      .send({ username, password })
      .expect(200);
    return (res.body as { accessToken: string }).accessToken;
  }

  async staff(
    roles: string[],
    opts: {
      establishments?: string[];
      trainings?: unknown[];
      languages?: string[];
      username?: string;
    } = {},
  ): Promise<Staffer> {
    const username =
      opts.username ??
      `${roles[0].toLowerCase()}-${Date.now().toString(36)}-${++sequence}-${randomBytes(2).toString('hex')}`;
    const password = 'correct-horse-battery';
    await this.api.http
      .put(`/api/staff/${username}`)
      .set(bearer(this.adminToken))
      .send({
        displayName: `Test ${roles.join('/')}`,
        password,
        roles,
        establishments: opts.establishments ?? [this.establishment],
        trainings: opts.trainings ?? [],
        languages: opts.languages ?? [],
      })
      .expect(200);
    return { username, password, token: await this.login(username, password) };
  }

  async prisoner(body: Record<string, unknown> = {}): Promise<string> {
    const prisonNumber = randomPrisonNumber();
    await this.api.http
      .put(`/api/prisoners/${prisonNumber}`)
      .set(bearer(this.adminToken))
      .send({
        firstName: 'Test',
        lastName: `Prisoner${++sequence}`,
        establishmentCode: this.establishment,
        ...body,
      })
      .expect(200);
    return prisonNumber;
  }

  async contact(prisonNumber: string, body: Record<string, unknown>): Promise<string> {
    const res = await this.api.http
      .post(`/api/prisoners/${prisonNumber}/contacts`)
      .set(bearer(this.adminToken))
      .send({ name: 'A Contact', relationship: 'FRIEND', phoneNumbers: [randomMobile()], ...body })
      .expect(201);
    return (res.body as { id: string }).id;
  }

  /** Adds a legal adviser's number to this establishment's privileged directory. */
  async privilegedNumber(
    phoneNumber: string,
    token = this.adminToken,
    organisation = 'Test Solicitors LLP',
  ): Promise<void> {
    await this.api.http
      .post('/api/privileged-numbers')
      .set(bearer(token))
      .send({
        phoneNumber,
        organisation,
        kind: 'LEGAL_ADVISER',
        establishmentCode: this.establishment,
      })
      .expect(201);
  }

  /** Requests and approves (by two different people) an authorisation; returns its id. */
  async authorise(
    prisonNumber: string,
    body: Record<string, unknown> = {},
    people?: { requester: Staffer; approver: Staffer },
  ): Promise<string> {
    const requester = people?.requester ?? (await this.staff(['SECURITY_MANAGER']));
    const approver = people?.approver ?? (await this.staff(['HEAD_OF_OMU']));
    const requested = await this.api.http
      .post(`/api/prisoners/${prisonNumber}/monitoring-authorisations`)
      .set(bearer(requester.token))
      .send({
        type: 'OFFENCE_RELATED',
        grounds: ['PUBLIC_SAFETY'],
        channels: ['PHONE'],
        justification: 'Risk to a former partner; calls must be heard to manage it.',
        startsAt: new Date(Date.now() - 30 * 86_400_000).toISOString(),
        ...body,
      })
      .expect(201);
    const id = (requested.body as { id: string }).id;
    await this.api.http
      .post(`/api/monitoring-authorisations/${id}/approve`)
      .set(bearer(approver.token))
      .send({})
      .expect(200);
    return id;
  }

  /** A valid call record with a unique externalId, made an hour ago by default. */
  call(prisonNumber: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      externalId: `T-${Date.now().toString(36)}-${++sequence}-${randomBytes(3).toString('hex')}`,
      prisonNumber,
      establishmentCode: this.establishment,
      dialledNumber: randomMobile(),
      startedAt: new Date(Date.now() - 3_600_000).toISOString(),
      durationSeconds: 420,
      channel: 'PHONE',
      recordingRef: 'rec/sample.ogg',
      ...overrides,
    };
  }

  async ingest(calls: Record<string, unknown>[]) {
    const res = await this.api.http
      .post('/api/calls/batch')
      .set(bearer(this.ingestToken))
      .send({ calls })
      .expect(202);
    return res.body as {
      batchId: string;
      accepted: number;
      duplicates: number;
      rejected: unknown[];
    };
  }

  /** Ingests through HTTP, then runs the worker's triage for the batch in process. */
  async ingestAndTriage(calls: Record<string, unknown>[]) {
    const result = await this.ingest(calls);
    await this.api.app.get(TriageService).triageBatch(result.batchId);
    return result;
  }

  async callsOf(
    prisonNumber: string,
  ): Promise<{ id: string; status: string; tier: string | null; externalId: string }[]> {
    return this.api.db.query(
      `SELECT id, status, tier, external_id AS "externalId" FROM calls WHERE prison_number = $1 ORDER BY started_at`,
      [prisonNumber],
    );
  }

  claim(listener: Staffer) {
    return this.api.http.post('/api/queue/claim').set(bearer(listener.token)).send({});
  }

  /** Changes this establishment's settings (as an admin would), e.g. `{ maxClaimsPerListener: 5 }`. */
  async settings(settings: Record<string, unknown>): Promise<void> {
    await this.api.http
      .put(`/api/establishments/${this.establishment}/settings`)
      .set(bearer(this.adminToken))
      .send(settings)
      .expect(200);
  }
}

/**
 * A HIGH log with a threat to an ex-partner not on the contact list, for the claim `token`: it
 * escalates to the POM and the IRMM. `overrides` replace whole fields.
 */
export const highLogWithThreat = (token: string, overrides: Record<string, unknown> = {}) => ({
  token,
  contact: { contactId: null, relationship: 'EX_PARTNER', confidence: 'CONFIRMED' },
  themes: [{ code: 'THREATS_TO_HARM' }],
  threats: [
    { target: 'ex-partner', type: 'PHYSICAL', imminence: 'ON_RELEASE', quote: 'you will pay' },
  ],
  concernLevel: 'HIGH',
  summary: 'Told his ex-partner she would pay when he is released; knows her new address.',
  recordingQuality: 'GOOD',
  ...overrides,
});

/** A log without concerns, the commonest thing a listener submits, for the claim `token`. */
export const quietLog = (token: string) => ({
  token,
  contact: { relationship: 'PARENT', confidence: 'CONFIRMED' },
  themes: [{ code: 'NO_CONCERNS' }],
  threats: [],
  concernLevel: 'NONE',
  summary: 'Spoke to his mother about visits and money for the canteen; nothing of concern.',
  recordingQuality: 'GOOD',
});
