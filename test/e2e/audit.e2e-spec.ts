import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { Response } from 'superagent';
import { appDatabaseUrl } from '../../src/db/app-role';
import { bearer, startApi, TestApi } from '../support/api';
import { quietLog, randomMobile, Scenario, Staffer } from '../support/scenario';

interface AuditItem {
  id: string;
  at: string;
  username: string;
  roles: string[];
  action: string;
  entityType: string;
  entityId: string | null;
  establishmentCode: string | null;
  clientAddress: string | null;
  correlationId: string | null;
  details: Record<string, unknown>;
}

const SAMPLE = readFileSync(path.join(__dirname, '../fixtures/recordings/rec/sample.ogg'));

/** Collects a response body as bytes whatever its content type. */
const binary = (res: Response, done: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

describe('the audit trail', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi();
  });

  afterAll(async () => {
    await api.close();
  });

  const auditOf = async (
    auditor: Staffer,
    entityType: string,
    entityId: string,
  ): Promise<AuditItem[]> => {
    const res = await api.http
      .get('/api/audit')
      .query({ entityType, entityId })
      .set(bearer(auditor.token))
      .expect(200);
    return (res.body as { items: AuditItem[] }).items;
  };

  const dbAudit = (correlationIds: string[]): Promise<Record<string, unknown>[]> =>
    api.db.query(
      `SELECT username, roles, action, entity_type AS "entityType", entity_id AS "entityId",
              trim(establishment_code) AS "establishmentCode", client_address AS "clientAddress",
              correlation_id AS "correlationId"
         FROM audit_events WHERE correlation_id = ANY($1) ORDER BY correlation_id`,
      [correlationIds],
    );

  it('records who read a call, a list of calls, a prisoner and an authorisation, and from where', async () => {
    const s = await Scenario.create(api);
    const auditor = await s.staff(['SECURITY_MANAGER']);
    const reader = await s.staff(['HEAD_OF_OMU']);
    const prisoner = await s.prisoner();
    const authorisationId = await s.authorise(
      prisoner,
      {},
      { requester: auditor, approver: reader },
    );
    await s.ingestAndTriage([s.call(prisoner)]);
    const [call] = await s.callsOf(prisoner);
    const run = randomUUID().slice(0, 8);
    const clientAddress = '203.0.113.7';
    const read = (url: string, correlationId: string) =>
      api.http
        .get(url)
        .set(bearer(reader.token))
        .set('x-correlation-id', correlationId)
        .set('x-forwarded-for', clientAddress)
        .expect(200);
    const ids = {
      call: `call-read-${run}`,
      list: `call-list-${run}`,
      prisoner: `prisoner-read-${run}`,
      authorisation: `authorisation-read-${run}`,
    };

    await read(`/api/calls/${call.id}`, ids.call);
    await read(`/api/calls?prisonNumber=${prisoner}`, ids.list);
    await read(`/api/prisoners/${prisoner}`, ids.prisoner);
    await read(`/api/monitoring-authorisations/${authorisationId}`, ids.authorisation);

    const who = {
      username: reader.username,
      roles: ['HEAD_OF_OMU'],
      establishmentCode: s.establishment,
      clientAddress,
    };
    const callTrail = await auditOf(auditor, 'call', call.id);
    expect(callTrail).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          ...who,
          action: 'CALL_READ',
          entityType: 'call',
          entityId: call.id,
          correlationId: ids.call,
        }),
        // The list is one row naming the calls it showed and their prisoner.
        expect.objectContaining({
          ...who,
          action: 'CALL_READ',
          entityType: 'call',
          entityId: null,
          subjectIds: [call.id, prisoner],
          correlationId: ids.list,
          details: { via: 'list', count: 1 },
        }),
      ]),
    );
    expect(await auditOf(auditor, 'prisoner', prisoner)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          ...who,
          action: 'PRISONER_READ',
          entityId: prisoner,
          correlationId: ids.prisoner,
        }),
      ]),
    );
    expect(await auditOf(auditor, 'authorisation', authorisationId)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          ...who,
          action: 'AUTHORISATION_READ',
          entityId: authorisationId,
          correlationId: ids.authorisation,
        }),
      ]),
    );

    const stored = await dbAudit(Object.values(ids));
    expect(stored).toEqual(
      [
        {
          ...who,
          action: 'AUTHORISATION_READ',
          entityType: 'authorisation',
          entityId: authorisationId,
          correlationId: ids.authorisation,
        },
        {
          ...who,
          action: 'CALL_READ',
          entityType: 'call',
          entityId: null,
          correlationId: ids.list,
        },
        {
          ...who,
          action: 'CALL_READ',
          entityType: 'call',
          entityId: call.id,
          correlationId: ids.call,
        },
        {
          ...who,
          action: 'PRISONER_READ',
          entityType: 'prisoner',
          entityId: prisoner,
          correlationId: ids.prisoner,
        },
      ].sort((x, y) => x.correlationId.localeCompare(y.correlationId)),
    );
  });

  it('refuses UPDATE, DELETE and TRUNCATE of the audit table at the database level', async () => {
    const s = await Scenario.create(api);
    const prisoner = await s.prisoner();
    await s.ingest([s.call(prisoner)]);
    const [call] = await s.callsOf(prisoner);
    const correlationId = `immutable-${randomUUID()}`;
    await api.http
      .get(`/api/calls/${call.id}`)
      .set(bearer(s.adminToken))
      .set('x-correlation-id', correlationId)
      .expect(200);
    const rowOf = async () =>
      api.db.query<Record<string, unknown>[]>(
        `SELECT * FROM audit_events WHERE correlation_id = $1`,
        [correlationId],
      );
    const before = await rowOf();
    expect(before).toHaveLength(1);
    const id = before[0].id as string;

    // Each in a transaction rolled back whatever happens: were a guard missing, the rest of the
    // run's trail would otherwise be gone.
    const refused = async (client: Client, sql: string) => {
      await client.query('BEGIN');
      try {
        await client.query(sql, sql.includes('$1') ? [id] : []);
        return 'allowed';
      } catch (err) {
        return (err as Error).message;
      } finally {
        await client.query('ROLLBACK');
      }
    };
    const statements = [
      `UPDATE audit_events SET username = 'someone-else' WHERE id = $1`,
      `DELETE FROM audit_events WHERE id = $1`,
      `TRUNCATE audit_events`,
    ];
    // The application's role has no such right; the owner, who has, meets the trigger.
    const app = new Client({
      connectionString: appDatabaseUrl({ DATABASE_URL: process.env.DATABASE_URL! }),
    });
    const owner = new Client({ connectionString: process.env.DATABASE_URL });
    await app.connect();
    await owner.connect();
    try {
      for (const sql of statements) {
        expect(await refused(app, sql)).toMatch(/permission denied for table audit_events/);
        expect(await refused(owner, sql)).toMatch(/append-only/);
      }
    } finally {
      await app.end();
      await owner.end();
    }

    expect(await rowOf()).toEqual(before);
  });

  it('plays a claimed call to the listener holding it only, audits both, and keeps the trail from listeners', async () => {
    const s = await Scenario.create(api);
    const auditor = await s.staff(['SECURITY_MANAGER']);
    const approver = await s.staff(['HEAD_OF_OMU']);
    const prisoner = await s.prisoner();
    await s.authorise(prisoner, {}, { requester: auditor, approver });
    await s.ingestAndTriage([s.call(prisoner)]);
    const [holder, other] = await Promise.all([s.staff(['LISTENER']), s.staff(['LISTENER'])]);
    const claimed = await s.claim(holder).expect(200);
    const callId = (claimed.body as { call: { id: string } }).call.id;
    const play = (who: Staffer) =>
      api.http
        .get(`/api/calls/${callId}/recording`)
        .set(bearer(who.token))
        .buffer(true)
        .parse(binary);

    const heard = await play(holder);
    expect(heard.status).toBe(200);
    expect(heard.headers['content-type']).toMatch(/^audio\/ogg/);
    expect(Buffer.compare(heard.body as Buffer, SAMPLE)).toBe(0);

    const refused = await api.http.get(`/api/calls/${callId}/recording`).set(bearer(other.token));
    expect(refused.status).toBe(403);
    expect(refused.body.statusCode).toBe(403);

    const trail = await auditOf(auditor, 'call', callId);
    const played = trail.filter((e) => e.action === 'RECORDING_PLAYED');
    expect(played).toEqual([
      expect.objectContaining({
        username: holder.username,
        roles: ['LISTENER'],
        establishmentCode: s.establishment,
        clientAddress: expect.stringMatching(/\S/),
        correlationId: heard.headers['x-correlation-id'],
        details: { recordingRef: 'rec/sample.ogg' },
      }),
    ]);
    expect(trail.filter((e) => e.action === 'RECORDING_REFUSED')).toEqual([
      expect.objectContaining({
        username: other.username,
        correlationId: refused.headers['x-correlation-id'],
      }),
    ]);
    expect(
      await dbAudit([heard.headers['x-correlation-id'], refused.headers['x-correlation-id']]),
    ).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          username: holder.username,
          action: 'RECORDING_PLAYED',
          entityType: 'call',
          entityId: callId,
          establishmentCode: s.establishment,
        }),
        expect.objectContaining({
          username: other.username,
          action: 'RECORDING_REFUSED',
          entityType: 'call',
          entityId: callId,
          establishmentCode: s.establishment,
        }),
      ]),
    );

    const listenerAudit = await api.http
      .get('/api/audit')
      .query({ entityType: 'call', entityId: callId })
      .set(bearer(holder.token));
    expect(listenerAudit.status).toBe(403);
    expect(listenerAudit.body.items).toBeUndefined();
  });

  it("shows a security manager their establishments' trail, not the national feed's or another prison's staff", async () => {
    const s = await Scenario.create(api);
    const elsewhere = await Scenario.create(api);
    const security = await s.staff(['SECURITY_MANAGER']);
    const ours = await s.staff(['LISTENER']);
    const theirs = await elsewhere.staff(['LISTENER']);
    const batch = await s.ingest([s.call(await s.prisoner())]);
    const search = async (query: Record<string, string>) =>
      (
        (await api.http.get('/api/audit').query(query).set(bearer(security.token)).expect(200))
          .body as { items: AuditItem[] }
      ).items;

    // Newest first: their first sign-in, then their account's creation.
    expect(
      (await search({ entityType: 'staff', entityId: ours.username })).map((i) => i.action),
    ).toEqual(['SIGN_IN', 'STAFF_CREATED']);
    expect(await search({ entityType: 'staff', entityId: theirs.username })).toEqual([]);
    expect(await search({ entityType: 'call_batch', entityId: batch.batchId })).toEqual([]);
    // The administrator, national, sees all of it.
    const everything = await api.http
      .get('/api/audit')
      .query({ entityType: 'call_batch', entityId: batch.batchId })
      .set(bearer(s.adminToken))
      .expect(200);
    expect((everything.body as { items: AuditItem[] }).items.map((i) => i.action)).toEqual([
      'CALLS_INGESTED',
    ]);
  });

  /** A monitored prisoner, a fully trained listener, and the security manager and head who authorised. */
  const monitoredPrisoner = async () => {
    const s = await Scenario.create(api);
    const auditor = await s.staff(['SECURITY_MANAGER']);
    const head = await s.staff(['HEAD_OF_OMU']);
    const listener = await s.staff(['LISTENER'], {
      trainings: ['PUBLIC_PROTECTION', 'DOMESTIC_ABUSE', 'CHILD_SAFEGUARDING'],
    });
    const prisoner = await s.prisoner();
    await s.authorise(prisoner, {}, { requester: auditor, approver: head });
    return { s, auditor, head, listener, prisoner };
  };

  it('never queues or plays a privileged call, audits the refusal and hides its recording', async () => {
    const { s, auditor, head, listener, prisoner } = await monitoredPrisoner();
    // Held calls do not stop the second claim: it finds nothing because privileged calls never queue.
    await s.settings({ maxClaimsPerListener: 10 });
    const directoryNumber = randomMobile();
    await s.privilegedNumber(directoryNumber, s.adminToken, 'Test Solicitors LLP');
    const solicitorNumber = randomMobile();
    await s.contact(prisoner, {
      name: 'A Solicitor',
      relationship: 'LEGAL_ADVISER',
      phoneNumbers: [solicitorNumber],
    });
    const toDirectory = s.call(prisoner, { dialledNumber: directoryNumber });
    // The feed may send the number in another form than the contact was entered in.
    const toSolicitor = s.call(prisoner, { dialledNumber: `+44${solicitorNumber.slice(1)}` });
    const ordinary = s.call(prisoner);
    await s.ingestAndTriage([toDirectory, toSolicitor, ordinary]);
    const calls = await s.callsOf(prisoner);
    const idOf = (c: Record<string, unknown>) => calls.find((r) => r.externalId === c.externalId)!;
    const privileged = [idOf(toDirectory), idOf(toSolicitor)];
    expect(privileged.map((c) => c.status)).toEqual(['EXCLUDED_PRIVILEGED', 'EXCLUDED_PRIVILEGED']);
    expect(idOf(ordinary).status).toBe('PENDING');

    const first = await s.claim(listener).expect(200);
    expect(first.body.call.id).toBe(idOf(ordinary).id);
    await s.claim(listener).expect(204);

    for (const call of privileged) {
      const res = await api.http
        .get(`/api/calls/${call.id}/recording`)
        .set(bearer(head.token))
        .buffer(true)
        .parse(binary);
      expect(res.status).toBe(403);
      expect(Buffer.compare(res.body as Buffer, SAMPLE)).not.toBe(0);
      const trail = await auditOf(auditor, 'call', call.id);
      expect(trail.filter((e) => e.action === 'RECORDING_REFUSED')).toEqual([
        expect.objectContaining({
          username: head.username,
          roles: ['HEAD_OF_OMU'],
          establishmentCode: s.establishment,
          correlationId: res.headers['x-correlation-id'],
        }),
      ]);
      expect(trail.filter((e) => e.action === 'RECORDING_PLAYED')).toEqual([]);

      const shown = await api.http.get(`/api/calls/${call.id}`).set(bearer(head.token)).expect(200);
      expect(shown.body).toMatchObject({ status: 'EXCLUDED_PRIVILEGED', hasRecording: false });
      expect(shown.body).not.toHaveProperty('recordingRef');
      expect(JSON.stringify(shown.body)).not.toContain('sample.ogg');
    }
    const listed = await api.http
      .get(`/api/calls?prisonNumber=${prisoner}&status=EXCLUDED_PRIVILEGED`)
      .set(bearer(head.token))
      .expect(200);
    expect(listed.body.total).toBe(2);
    expect(JSON.stringify(listed.body)).not.toContain('sample.ogg');
  });

  it('takes a logged call out of reach when its number is later found privileged, by directory or by contact', async () => {
    const { s, auditor, head, listener, prisoner } = await monitoredPrisoner();
    const laterInDirectory = randomMobile();
    const friendNumber = randomMobile();
    const friend = await s.contact(prisoner, {
      relationship: 'FRIEND',
      phoneNumbers: [friendNumber],
    });
    await s.ingestAndTriage([
      s.call(prisoner, { dialledNumber: laterInDirectory, transcript: 'about the appeal' }),
      s.call(prisoner, { dialledNumber: friendNumber }),
    ]);
    const logged: string[] = [];
    for (let i = 0; i < 2; i++) {
      const claimed = await s.claim(listener).expect(200);
      await api.http
        .post(`/api/calls/${claimed.body.call.id}/log`)
        .set(bearer(listener.token))
        .send(quietLog(claimed.body.claim.token as string))
        .expect(201);
      logged.push(claimed.body.call.id as string);
    }
    const play = (id: string) =>
      api.http.get(`/api/calls/${id}/recording`).set(bearer(head.token)).buffer(true).parse(binary);
    for (const id of logged) expect((await play(id)).status).toBe(200);

    // The number turns out to be a solicitor's; the "friend" turns out to be a legal adviser.
    await s.privilegedNumber(laterInDirectory, auditor.token, 'Appeal Solicitors');
    await api.http
      .patch(`/api/contacts/${friend}`)
      .set(bearer(s.adminToken))
      .send({ relationship: 'LEGAL_ADVISER' })
      .expect(200);

    for (const id of logged) {
      const shown = await api.http.get(`/api/calls/${id}`).set(bearer(head.token)).expect(200);
      expect(shown.body).toMatchObject({ status: 'EXCLUDED_PRIVILEGED', hasRecording: false });
      expect((await play(id)).status).toBe(403);
      const trail = await auditOf(auditor, 'call', id);
      expect(trail.map((e) => e.action)).toContain('CALL_EXCLUDED_AFTER_LOG');
    }
    const transcripts = await api.db.query<{ transcript: unknown }[]>(
      `SELECT transcript FROM calls WHERE id = ANY($1)`,
      [logged],
    );
    expect(transcripts).toEqual([{ transcript: null }, { transcript: null }]);
  });
});
