import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Response } from 'superagent';
import { DEFAULT_SETTINGS } from '../../src/establishments/settings';
import { bearer, startApi, TestApi } from '../support/api';
import { Scenario, Staffer } from '../support/scenario';

const ALL_TRAININGS = ['PUBLIC_PROTECTION', 'DOMESTIC_ABUSE', 'CHILD_SAFEGUARDING'];
const SCAN_REF = 'mail/letter-scan.pdf';
const SCAN = readFileSync(path.join(__dirname, '../fixtures/recordings', SCAN_REF));
const HOUR_MS = 3_600_000;

interface MailItem {
  id: string;
  prisonNumber: string;
  establishmentCode: string;
  direction: string;
  correspondent: string;
  correspondentKind: string;
  privileged: boolean;
  receivedAt: string;
  status: string;
  queued: boolean;
  tier: string | null;
  dueAt: string | null;
  priorityReasons: string[];
  hasScan: boolean;
  scanRef: string | null;
  notice: string | null;
}

/** Collects a response body as bytes whatever its content type. */
const binary = (res: Response, done: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

/** A time in the past, whole milliseconds, as the mail room would send it. */
const hoursAgo = (hours: number) => new Date(Date.now() - hours * HOUR_MS);

const threateningLog = (token: string) => ({
  token,
  contact: { relationship: 'EX_PARTNER', confidence: 'CONFIRMED' },
  themes: [{ code: 'THREATS_TO_HARM', note: 'letter says she will regret going to the police' }],
  threats: [
    {
      target: 'ex-partner',
      type: 'PHYSICAL',
      imminence: 'ON_RELEASE',
      quote: 'you will regret it when I am out',
    },
  ],
  concernLevel: 'HIGH',
  summary:
    'Letter to his ex-partner: says she will regret going to the police once he is out, names her street.',
  recordingQuality: 'GOOD',
});

describe('intercepted mail', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi();
  });

  afterAll(async () => {
    await api.close();
  });

  const post = (who: Staffer | string, prisonNumber: string, body: Record<string, unknown>) =>
    api.http
      .post(`/api/prisoners/${prisonNumber}/mail-items`)
      .set(bearer(typeof who === 'string' ? who : who.token))
      .send(body);

  const record = async (
    who: Staffer | string,
    prisonNumber: string,
    body: Record<string, unknown>,
  ) => (await post(who, prisonNumber, body).expect(201)).body as MailItem;

  const listMail = async (who: Staffer, prisonNumber: string) =>
    (
      await api.http
        .get(`/api/prisoners/${prisonNumber}/mail-items`)
        .set(bearer(who.token))
        .expect(200)
    ).body as { items: MailItem[]; total: number };

  const readScan = (who: Staffer, callId: string) =>
    api.http
      .get(`/api/calls/${callId}/recording`)
      .set(bearer(who.token))
      .buffer(true)
      .parse(binary);

  const auditRows = (callId: string, action: string) =>
    api.db.query<{ username: string; details: Record<string, unknown> }[]>(
      `SELECT username, details FROM audit_events WHERE entity_type = 'call' AND entity_id = $1 AND action = $2
       ORDER BY id`,
      [callId, action],
    );

  it('ordinary mail under a MAIL authorisation is queued at the mail SLA, claimed from the same queue, read and logged into escalations', async () => {
    const s = await Scenario.create(api);
    const pom = await s.staff(['POM']);
    const mailRoom = await s.staff(['SECURITY_MANAGER']);
    const listener = await s.staff(['LISTENER'], { trainings: ALL_TRAININGS });
    const prisoner = await s.prisoner({ pomUsername: pom.username });
    await s.authorise(prisoner, { channels: ['MAIL'] });

    const receivedAt = hoursAgo(2);
    const item = await record(mailRoom, prisoner, {
      direction: 'OUTGOING',
      correspondent: '  Jane   Smith, 1 High Street, Leeds ',
      receivedAt: receivedAt.toISOString(),
      scanRef: SCAN_REF,
    });
    // The mail SLA, not the phone one: a P3 letter is due ten days after it was received.
    expect(DEFAULT_SETTINGS.mailSlaHours.P3).not.toBe(DEFAULT_SETTINGS.slaHours.P3);
    expect(item).toMatchObject({
      prisonNumber: prisoner,
      establishmentCode: s.establishment,
      direction: 'OUTGOING',
      correspondent: 'Jane   Smith, 1 High Street, Leeds',
      correspondentKind: 'PERSONAL',
      privileged: false,
      receivedAt: receivedAt.toISOString(),
      status: 'PENDING',
      queued: true,
      tier: 'P3',
      dueAt: new Date(
        receivedAt.getTime() + DEFAULT_SETTINGS.mailSlaHours.P3 * HOUR_MS,
      ).toISOString(),
      hasScan: true,
      scanRef: SCAN_REF,
      notice: null,
    });
    expect(item.priorityReasons).toContain('under an active monitoring authorisation');

    // It is a communication like a call: channel MAIL, keyed on the correspondent.
    const [stored] = await api.db.query<Record<string, unknown>[]>(
      `SELECT c.channel, c.dialled_number AS "dialledNumber", c.duration_seconds AS "durationSeconds",
              c.external_id AS "externalId", c.started_at AS "startedAt", m.created_by AS "createdBy"
         FROM calls c JOIN mail_items m ON m.call_id = c.id WHERE c.id = $1`,
      [item.id],
    );
    expect(stored).toMatchObject({
      channel: 'MAIL',
      dialledNumber: 'mail:jane smith, 1 high street, leeds',
      durationSeconds: 0,
      externalId: expect.stringMatching(/^MAIL-[0-9a-f-]{36}$/),
      startedAt: receivedAt,
      createdBy: mailRoom.username,
    });
    expect(await auditRows(item.id, 'MAIL_ITEM_RECORDED')).toEqual([
      expect.objectContaining({
        username: mailRoom.username,
        details: expect.objectContaining({ prisonNumber: prisoner, direction: 'OUTGOING' }),
      }),
    ]);

    // The listener takes it from the one queue and reads the scan.
    const claimed = await s.claim(listener).expect(200);
    expect(claimed.body.call).toMatchObject({ id: item.id, channel: 'MAIL', tier: 'P3' });
    const scan = await readScan(listener, item.id);
    expect(scan.status).toBe(200);
    expect(scan.headers['content-type']).toMatch(/^application\/pdf/);
    expect(Buffer.compare(scan.body as Buffer, SCAN)).toBe(0);
    expect(await auditRows(item.id, 'RECORDING_PLAYED')).toEqual([
      expect.objectContaining({ username: listener.username, details: { recordingRef: SCAN_REF } }),
    ]);

    const logged = await api.http
      .post(`/api/calls/${item.id}/log`)
      .set(bearer(listener.token))
      .send(threateningLog(claimed.body.claim.token))
      .expect(201);
    const escalations = logged.body.escalations as { target: string; assignee: string | null }[];
    expect(escalations.map((e) => e.target).sort()).toEqual(['IRMM', 'POM']);
    expect(escalations.find((e) => e.target === 'POM')?.assignee).toBe(pom.username);

    const mine = await api.http
      .get('/api/escalations?mine=true')
      .set(bearer(pom.token))
      .expect(200);
    expect(mine.body.items).toEqual([
      expect.objectContaining({ prisonNumber: prisoner, target: 'POM', status: 'OPEN' }),
    ]);

    // The POM sees the prisoner's mail; the listing is one read naming each item and the prisoner.
    const listed = await listMail(pom, prisoner);
    expect(listed.total).toBe(1);
    expect(listed.items[0]).toMatchObject({ id: item.id, status: 'LOGGED', hasScan: true });
    expect(
      await api.db.query(
        `SELECT username, entity_id AS "entityId", subject_ids AS "subjectIds", details
           FROM audit_events WHERE action = 'CALL_READ' AND $1 = ANY(subject_ids)`,
        [item.id],
      ),
    ).toEqual([
      {
        username: pom.username,
        entityId: null,
        subjectIds: [item.id, prisoner],
        details: { via: 'mail', count: 1 },
      },
    ]);

    // The correspondent became a contact; the next letter, however it is spelt, is theirs, and the
    // open high-concern escalation lifts it to P1 at the mail P1 SLA.
    const next = await record(mailRoom, prisoner, {
      direction: 'INCOMING',
      correspondent: 'JANE SMITH, 1 High Street,   Leeds',
      receivedAt: receivedAt.toISOString(),
    });
    expect(next).toMatchObject({
      status: 'PENDING',
      tier: 'P1',
      dueAt: new Date(
        receivedAt.getTime() + DEFAULT_SETTINGS.mailSlaHours.P1 * HOUR_MS,
      ).toISOString(),
      hasScan: false,
    });
    expect(next.priorityReasons).toContain('open high-concern escalation on this prisoner');
    const call = await api.http.get(`/api/calls/${next.id}`).set(bearer(pom.token)).expect(200);
    expect(call.body.contact).toMatchObject({ relationship: 'EX_PARTNER' });
  });

  it('a letter from a solicitor (Rule 39) is never queued and never read, not even by the head of OMU, and each refusal is audited', async () => {
    const s = await Scenario.create(api);
    const mailRoom = await s.staff(['SECURITY_MANAGER']);
    const head = await s.staff(['HEAD_OF_OMU']);
    const listener = await s.staff(['LISTENER'], { trainings: ALL_TRAININGS });
    const prisoner = await s.prisoner();
    await s.authorise(prisoner, { channels: ['PHONE', 'MAIL'] });

    const item = await record(mailRoom, prisoner, {
      direction: 'INCOMING',
      correspondent: 'Bloggs & Co Solicitors, 3 Park Row, Leeds',
      correspondentKind: 'LEGAL_ADVISER',
      receivedAt: hoursAgo(1).toISOString(),
      scanRef: SCAN_REF,
    });
    expect(item).toMatchObject({
      correspondentKind: 'LEGAL_ADVISER',
      privileged: true,
      status: 'EXCLUDED_PRIVILEGED',
      queued: false,
      tier: null,
      dueAt: null,
      hasScan: false,
      scanRef: null,
      notice: expect.stringMatching(/Rule 39/),
    });

    await s.claim(listener).expect(204);
    for (const who of [head, mailRoom, listener]) {
      const refused = await readScan(who, item.id);
      expect(refused.status).toBe(403);
    }
    const refusals = await auditRows(item.id, 'RECORDING_REFUSED');
    expect(refusals.map((r) => r.username)).toEqual([
      head.username,
      mailRoom.username,
      listener.username,
    ]);
    expect(refusals[0].details).toEqual({ reason: 'Privileged communications are never played' });
    expect(await auditRows(item.id, 'RECORDING_PLAYED')).toEqual([]);

    const call = await api.http.get(`/api/calls/${item.id}`).set(bearer(head.token)).expect(200);
    expect(call.body).toMatchObject({
      channel: 'MAIL',
      status: 'EXCLUDED_PRIVILEGED',
      hasRecording: false,
    });
    const listed = await listMail(head, prisoner);
    expect(listed.items).toEqual([
      expect.objectContaining({ id: item.id, privileged: true, hasScan: false, scanRef: null }),
    ]);
  });

  it('mail of a prisoner whose authorisation covers only the phone is recorded as metadata, not queued, until mail is authorised', async () => {
    const s = await Scenario.create(api);
    const mailRoom = await s.staff(['SECURITY_MANAGER']);
    const listener = await s.staff(['LISTENER'], { trainings: ALL_TRAININGS });
    const prisoner = await s.prisoner();
    await s.authorise(prisoner, { channels: ['PHONE'] });

    const receivedAt = hoursAgo(3);
    const item = await record(mailRoom, prisoner, {
      direction: 'INCOMING',
      correspondent: 'A Friend, 9 Low Lane, York',
      receivedAt: receivedAt.toISOString(),
      scanRef: SCAN_REF,
    });
    expect(item).toMatchObject({
      status: 'NOT_MONITORED',
      queued: false,
      tier: null,
      dueAt: null,
      notice: expect.stringMatching(/no active monitoring authorisation/),
    });
    await s.claim(listener).expect(204);
    expect((await readScan(listener, item.id)).status).toBe(403);

    // A mail authorisation (starting before the letter arrived) queues it at once.
    await s.authorise(prisoner, { channels: ['MAIL'] });
    const [after] = (await listMail(mailRoom, prisoner)).items;
    expect(after).toMatchObject({
      id: item.id,
      status: 'PENDING',
      tier: 'P3',
      dueAt: new Date(
        receivedAt.getTime() + DEFAULT_SETTINGS.mailSlaHours.P3 * HOUR_MS,
      ).toISOString(),
    });
  });

  it('validates an item field by field and lets only security managers and admins of the establishment record mail', async () => {
    const s = await Scenario.create(api);
    const mailRoom = await s.staff(['SECURITY_MANAGER']);
    const listener = await s.staff(['LISTENER']);
    const pom = await s.staff(['POM']);
    const prisoner = await s.prisoner();
    const valid = {
      direction: 'INCOMING',
      correspondent: 'A Friend, 9 Low Lane, York',
      receivedAt: hoursAgo(1).toISOString(),
      scanRef: SCAN_REF,
    };
    const badRequest = async (body: Record<string, unknown>, field: string) => {
      const res = await post(mailRoom, prisoner, body).expect(400);
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
      return res.body as { message: string };
    };

    const future = await badRequest(
      { ...valid, receivedAt: new Date(Date.now() + 2 * HOUR_MS).toISOString() },
      'receivedAt',
    );
    expect(future.message).toMatch(/future/);
    await badRequest({ ...valid, receivedAt: 'last Tuesday' }, 'receivedAt');
    await badRequest({ ...valid, direction: 'SIDEWAYS' }, 'direction');
    await badRequest({ ...valid, scanRef: '../secrets/letter.pdf' }, 'scanRef');
    await badRequest({ ...valid, scanRef: 'mail/../../etc/passwd' }, 'scanRef');
    await badRequest({ ...valid, scanRef: '/etc/passwd' }, 'scanRef');
    await badRequest({ ...valid, correspondent: '   ' }, 'correspondent');
    await badRequest({ ...valid, correspondentKind: 'FRIEND' }, 'correspondentKind');
    await badRequest({ ...valid, language: 'polish' }, 'language');
    await badRequest({ ...valid, openedBy: 'me' }, 'openedBy');
    const { correspondent: _omitted, ...noCorrespondent } = valid;
    await badRequest(noCorrespondent, 'correspondent');

    await post(listener, prisoner, valid).expect(403);
    await post(pom, prisoner, valid).expect(403);
    const elsewhere = await s.staff(['SECURITY_MANAGER'], {
      establishments: [await s.newEstablishment()],
    });
    await post(elsewhere, prisoner, valid).expect(403);
    await api.http
      .get(`/api/prisoners/${prisoner}/mail-items`)
      .set(bearer(elsewhere.token))
      .expect(403);
    await post(mailRoom, 'Z9999ZZ', valid).expect(404);
    const badNumber = await post(mailRoom, 'not-a-number', valid).expect(400);
    expect(badNumber.body.details[0].field).toBe('prisonNumber');

    // A failed request writes nothing.
    expect(await s.callsOf(prisoner)).toEqual([]);

    // The national admin may record mail anywhere; with no authorisation at all it is metadata only.
    const byAdmin = await record(s.adminToken, prisoner, { ...valid, language: 'PL' });
    expect(byAdmin).toMatchObject({ status: 'NOT_MONITORED', queued: false });
    const [row] = await api.db.query<{ language: string }[]>(
      `SELECT language FROM calls WHERE id = $1`,
      [byAdmin.id],
    );
    expect(row.language).toBe('pl');
    expect((await listMail(listener, prisoner)).items.map((i) => i.id)).toEqual([byAdmin.id]);
  });
});
