import { once } from 'node:events';
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { Client } from 'pg';
import { bearer, ErrorBody, startApi, TestApi } from '../support/api';
import { Scenario } from '../support/scenario';
import { databaseUrlFor } from '../support/test-env';
import { WebClient } from '../web/web-client';

const deepJson = (depth: number) => `${'{"a":'.repeat(depth)}"leaf"${'}'.repeat(depth)}`;

/** Bad input is the caller's fault (4xx naming the field); overload is a 503 with Retry-After. */
describe('hostile input and overload', () => {
  let api: TestApi;
  let s: Scenario;
  let prisoner: string;

  beforeAll(async () => {
    api = await startApi();
    s = await Scenario.create(api);
    prisoner = await s.prisoner();
  });

  afterAll(async () => {
    await api.close();
  });

  const contacts = () => `/api/prisoners/${prisoner}/contacts`;
  const goodContact = { name: 'A Friend', relationship: 'FRIEND', phoneNumbers: ['07700900123'] };

  describe('body-parser errors are 4xx, never 500', () => {
    it('JSON in an unsupported charset is 415 naming content-type', async () => {
      const res = await api.http
        .post(contacts())
        .set(bearer(s.adminToken))
        .set('Content-Type', 'application/json; charset=latin1')
        .send(JSON.stringify(goodContact));
      expect(res.status).toBe(415);
      expect((res.body as ErrorBody).details[0].field).toBe('content-type');
    });

    it('an unknown content-encoding is 415 naming content-encoding', async () => {
      const res = await api.http
        .post(contacts())
        .set(bearer(s.adminToken))
        .set('Content-Encoding', 'x-bogus')
        .send(goodContact);
      expect(res.status).toBe(415);
      expect((res.body as ErrorBody).details[0].field).toBe('content-encoding');
    });

    it('a gzip body that does not inflate is 400', async () => {
      const res = await api.http
        .post(contacts())
        .set(bearer(s.adminToken))
        .set('Content-Type', 'application/json')
        .set('Content-Encoding', 'gzip')
        .send(JSON.stringify(goodContact));
      expect(res.status).toBe(400);
    });

    it('a form with over 1,000 fields is 413', async () => {
      const res = await api.http
        .post(contacts())
        .set(bearer(s.adminToken))
        .type('form')
        .send(Array.from({ length: 1001 }, (_, i) => `f${i}=1`).join('&'));
      expect(res.status).toBe(413);
      expect((res.body as ErrorBody).details[0].field).toBe('body');
    });

    it('JSON that does not parse is 400 naming body', async () => {
      const res = await api.http
        .post(contacts())
        .set(bearer(s.adminToken))
        .set('Content-Type', 'application/json')
        .send('{"name": ');
      expect(res.status).toBe(400);
      expect((res.body as ErrorBody).details).toEqual([
        { field: 'body', message: 'is not valid JSON' },
      ]);
    });

    it('a body shorter than its Content-Length is 400', async () => {
      // A server of its own on the same app: the shared one stays supertest's.
      const server = createServer(api.app.getHttpAdapter().getInstance() as RequestListener);
      server.listen(0);
      await once(server, 'listening');
      try {
        const socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
        await once(socket, 'connect');
        const chunks: Buffer[] = [];
        socket.on('data', (c: Buffer) => chunks.push(c));
        socket.write(
          `POST ${contacts()} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${s.adminToken}\r\n` +
            'Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"name":"x"}',
        );
        // Half-close: the body ends before its declared length.
        socket.end();
        await once(socket, 'close');
        expect(Buffer.concat(chunks).toString()).toMatch(/^HTTP\/1\.1 400 /);
      } finally {
        server.close();
      }
    });

    it('JSON nested 10,000 deep is 400 (the validation pipe no longer overflows the stack)', async () => {
      const res = await api.http
        .post(contacts())
        .set(bearer(s.adminToken))
        .set('Content-Type', 'application/json')
        .send(`{"name":"x","relationship":"FRIEND","phoneNumbers":[${deepJson(10_000)}]}`);
      expect(res.status).toBe(400);
      expect((res.body as ErrorBody).message).toMatch(/nested more than 32 deep/);
    });
  });

  describe('the global input rules', () => {
    it('refuses a NUL byte in any string, naming the field', async () => {
      const res = await api.http
        .post(contacts())
        .set(bearer(s.adminToken))
        .send({ ...goodContact, name: 'A\u0000Friend' });
      expect(res.status).toBe(400);
      expect((res.body as ErrorBody).details).toEqual([
        { field: 'name', message: 'must not contain a NUL character' },
      ]);
      const nested = await api.http
        .post(contacts())
        .set(bearer(s.adminToken))
        .send({ ...goodContact, phoneNumbers: ['07700900123', '0770\u00000900124'] });
      expect(nested.status).toBe(400);
      expect((nested.body as ErrorBody).details[0].field).toBe('phoneNumbers[1]');
    });

    it.each([
      ['isVictim', { isVictim: null }],
      ['isChild', { isChild: null }],
      ['restriction', { restriction: null }],
    ])('refuses null for the optional %s, naming it', async (field, extra) => {
      const res = await api.http
        .post(contacts())
        .set(bearer(s.adminToken))
        .send({ ...goodContact, ...extra });
      expect(res.status).toBe(400);
      expect((res.body as ErrorBody).details[0]).toEqual({
        field,
        message: 'must not be null (leave it out instead)',
      });
    });

    it('refuses null for optional fields of authorisations and escalations too', async () => {
      const authorisation = await api.http
        .post(`/api/prisoners/${prisoner}/monitoring-authorisations`)
        .set(bearer(s.adminToken))
        .send({
          type: 'OFFENCE_RELATED',
          grounds: ['PUBLIC_SAFETY'],
          channels: ['PHONE'],
          justification: 'Risk to a former partner; calls must be heard to manage it.',
          lookbackDays: null,
        });
      expect(authorisation.status).toBe(400);
      expect((authorisation.body as ErrorBody).details[0].field).toBe('lookbackDays');
      const head = await s.staff(['HEAD_OF_OMU']);
      const escalation = await api.http
        .post(`/api/prisoners/${prisoner}/escalations`)
        .set(bearer(head.token))
        .send({ target: 'POM', reason: 'Worried', logIds: null });
      expect(escalation.status).toBe(400);
      expect((escalation.body as ErrorBody).details[0].field).toBe('logIds');
    });

    it('keeps mappaLevel: null meaning "not set", as the contract says', async () => {
      const put = await api.http.put(`/api/prisoners/${prisoner}`).set(bearer(s.adminToken)).send({
        firstName: 'Test',
        lastName: 'Nulls',
        establishmentCode: s.establishment,
        mappaLevel: null,
      });
      expect(put.status).toBe(200);
      const got = await api.http.get(`/api/prisoners/${prisoner}`).set(bearer(s.adminToken));
      expect((got.body as { mappaLevel: unknown }).mappaLevel).toBeNull();
    });

    it.each([
      ['offset=99999999999999999999', 'offset'],
      ['offset=-1', 'offset'],
      ['offset=1000000001', 'offset'],
      ['limit=0', 'limit'],
      ['limit=99999999999999999999', 'limit'],
    ])('refuses %s naming the field', async (query, field) => {
      const res = await api.http.get(`/api/calls?${query}`).set(bearer(s.adminToken));
      expect(res.status).toBe(400);
      expect((res.body as ErrorBody).details[0].field).toBe(field);
    });

    it.each([
      ['from=2026-02-30T10:00:00Z', 'from', 'must be a real calendar date'],
      ['to=0000-01-01T00:00:00Z', 'to', 'must be in the years 1900 to 2100'],
      ['from=9999-12-31', 'from', 'must be in the years 1900 to 2100'],
    ])('refuses the query date %s', async (query, field, message) => {
      const res = await api.http.get(`/api/calls?${query}`).set(bearer(s.adminToken));
      expect(res.status).toBe(400);
      expect((res.body as ErrorBody).details).toEqual([{ field, message }]);
    });

    it.each([
      ['0000-01-01T10:00:00Z', 'must be in the years 1900 to 2100'],
      ['9999-06-01T10:00:00Z', 'must be in the years 1900 to 2100'],
      ['2026-02-30T10:00:00Z', 'must be a real calendar date'],
    ])('refuses an IRMM meeting held at %s naming heldAt', async (heldAt, message) => {
      const head = await s.staff(['HEAD_OF_OMU']);
      const res = await api.http
        .post('/api/irmm/meetings')
        .set(bearer(head.token))
        .send({
          establishmentCode: s.establishment,
          heldAt,
          attendees: ['Head of OMU'],
          items: [],
        });
      expect(res.status).toBe(400);
      expect((res.body as ErrorBody).details).toEqual([{ field: 'heldAt', message }]);
    });

    it('refuses a mail item received on 30 February, and a release date on 30 February', async () => {
      const mail = await api.http
        .post(`/api/prisoners/${prisoner}/mail-items`)
        .set(bearer(s.adminToken))
        .send({ direction: 'INCOMING', correspondent: 'Ms A', receivedAt: '2026-02-30T10:00:00Z' });
      expect(mail.status).toBe(400);
      expect((mail.body as ErrorBody).details[0].field).toBe('receivedAt');
      const release = await api.http
        .put(`/api/prisoners/${prisoner}`)
        .set(bearer(s.adminToken))
        .send({
          firstName: 'Test',
          lastName: 'Dates',
          establishmentCode: s.establishment,
          earliestReleaseDate: '2027-02-30',
        });
      expect(release.status).toBe(400);
      expect((release.body as ErrorBody).details[0].field).toBe('earliestReleaseDate');
    });
  });

  describe('overload answers 503 with Retry-After', () => {
    /** Holds a lock from the owner's connection, and cancels (as statement_timeout would) whoever waits on it. */
    async function whileLocked<T>(table: string, request: () => Promise<T>): Promise<T> {
      const owner = new Client({
        connectionString: databaseUrlFor(process.env.TEST_DATABASE_NAME!),
      });
      await owner.connect();
      try {
        await owner.query('BEGIN');
        await owner.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
        const answer = request();
        const deadline = Date.now() + 10_000;
        for (;;) {
          const waiting = await owner.query<{ pid: number }>(
            `SELECT pid FROM pg_stat_activity
              WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`,
          );
          if (waiting.rows.length > 0) {
            for (const { pid } of waiting.rows) {
              await owner.query('SELECT pg_cancel_backend($1)', [pid]);
            }
            break;
          }
          if (Date.now() > deadline) throw new Error(`nothing waited on ${table}`);
          await new Promise((r) => setTimeout(r, 20));
        }
        return await answer;
      } finally {
        await owner.query('ROLLBACK');
        await owner.end();
      }
    }

    it('the API: a statement cancelled while it waits (57014) is 503 with Retry-After and the contract body', async () => {
      const res = await whileLocked('establishments', async () =>
        api.http.get('/api/establishments').set(bearer(s.adminToken)),
      );
      expect(res.status).toBe(503);
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      expect(res.body).toMatchObject({
        statusCode: 503,
        error: 'Service Unavailable',
        message: expect.any(String) as string,
        correlationId: expect.any(String) as string,
      });
      // And it recovers by itself.
      await api.http.get('/api/establishments').set(bearer(s.adminToken)).expect(200);
    });

    it('the workbench: the same is a 503 page with Retry-After', async () => {
      const listener = await s.staff(['LISTENER']);
      const web = new WebClient(api);
      await web.signIn(listener);
      const before = (await web.agent.get('/')).status;
      expect(before).toBeLessThan(400);
      const res = await whileLocked('web_sessions', async () => web.agent.get('/'));
      expect(res.status).toBe(503);
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      expect(res.text).toContain('Sorry, there is a problem with the service');
      // Still signed in, and answered as before.
      expect((await web.agent.get('/')).status).toBe(before);
    });
  });
});
