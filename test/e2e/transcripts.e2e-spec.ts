import { bearer, startApi, TestApi } from '../support/api';
import { randomMobile, Scenario, Staffer, toE164 } from '../support/scenario';

interface Hit {
  start: number;
  end: number;
  phrase: string;
}

interface CallBody {
  id: string;
  status: string;
  tier: string | null;
  priorityReasons: string[];
  transcript: { segments: { at: number | null; text: string; hits: Hit[] }[] } | null;
}

describe('transcripts', () => {
  let api: TestApi;
  let s: Scenario;
  let security: Staffer;
  let people: { requester: Staffer; approver: Staffer };

  beforeAll(async () => {
    api = await startApi();
    s = await Scenario.create(api);
    security = await s.staff(['SECURITY_MANAGER']);
    people = { requester: security, approver: await s.staff(['HEAD_OF_OMU']) };
  });

  afterAll(async () => {
    await api.close();
  });

  /** An ordinary prisoner (no risk markers) under an offence-related authorisation: their calls are P3. */
  const monitoredPrisoner = async (scenario = s, who = people) => {
    const prisonNumber = await scenario.prisoner();
    await scenario.authorise(prisonNumber, {}, who);
    return prisonNumber;
  };

  const ingestOne = async (call: Record<string, unknown>, scenario = s) => {
    await scenario.ingestAndTriage([call]);
    const rows: { id: string }[] = await api.db.query(
      `SELECT id FROM calls WHERE external_id = $1`,
      [call.externalId],
    );
    return rows[0].id;
  };

  const getCall = async (id: string, who: Staffer = security): Promise<CallBody> =>
    (await api.http.get(`/api/calls/${id}`).set(bearer(who.token)).expect(200)).body as CallBody;

  const putTranscript = (id: string, body: unknown, token = s.ingestToken) => {
    const req = api.http.put(`/api/calls/${id}/transcript`).set(bearer(token));
    return typeof body === 'string' ? req.type('text/plain').send(body) : req.send(body as object);
  };

  /** The original text under each highlight of the call's transcript. */
  const highlighted = (call: CallBody) =>
    (call.transcript?.segments ?? []).flatMap((seg) =>
      seg.hits.map((h) => ({ text: seg.text.slice(h.start, h.end), phrase: h.phrase })),
    );

  it('lifts a P3 call to P1 when its transcript holds a threat, with the phrase as the reason and highlighted', async () => {
    const prisoner = await monitoredPrisoner();
    const plain = await ingestOne(s.call(prisoner));
    const threat = await ingestOne(
      s.call(prisoner, { transcript: "I'm going to kill her when I get out" }),
    );

    expect(await getCall(plain)).toMatchObject({ tier: 'P3', transcript: null });
    const call = await getCall(threat);
    expect(call).toMatchObject({ status: 'PENDING', tier: 'P1' });
    expect(call.priorityReasons).toEqual(
      expect.arrayContaining(['transcript: "going to kill"', 'transcript: "kill her"']),
    );
    expect(call.priorityReasons).not.toContain('under an active monitoring authorisation');
    expect(call.transcript).toEqual({
      segments: [
        {
          at: null,
          text: "I'm going to kill her when I get out",
          hits: [
            { start: 4, end: 17, phrase: 'going to kill' },
            { start: 13, end: 21, phrase: 'kill her' },
          ],
        },
      ],
    });
    expect(highlighted(call)).toEqual([
      { text: 'going to kill', phrase: 'going to kill' },
      { text: 'kill her', phrase: 'kill her' },
    ]);

    const audit: { action: string }[] = await api.db.query(
      `SELECT action FROM audit_events WHERE entity_id = $1 AND username = $2 ORDER BY id`,
      [threat, security.username],
    );
    expect(audit.map((a) => a.action)).toEqual(['CALL_READ', 'TRANSCRIPT_READ']);
  });

  it('leaves a call with an innocent transcript where it was (no matching inside words)', async () => {
    const prisoner = await monitoredPrisoner();
    const id = await ingestOne(
      s.call(prisoner, {
        transcript: {
          segments: [
            { at: 0, text: 'She has great skills, you know.' },
            { at: 6.5, text: 'When I get out I will find you a good job.' },
          ],
        },
      }),
    );
    const call = await getCall(id);
    expect(call).toMatchObject({ tier: 'P3' });
    expect(call.priorityReasons.some((r) => r.startsWith('transcript:'))).toBe(false);
    expect(call.transcript?.segments).toEqual([
      { at: 0, text: 'She has great skills, you know.', hits: [] },
      { at: 6.5, text: 'When I get out I will find you a good job.', hits: [] },
    ]);
  });

  it('spots the name of a victim in a call to another number', async () => {
    const prisoner = await monitoredPrisoner();
    await s.contact(prisoner, { name: 'Jane Doe', relationship: 'EX_PARTNER', isVictim: true });
    await s.contact(prisoner, { name: 'Tom Friend', relationship: 'FRIEND' });
    const id = await ingestOne(
      s.call(prisoner, { dialledNumber: randomMobile(), transcript: 'Tell Jane I said hello.' }),
    );
    const call = await getCall(id);
    expect(call.tier).toBe('P1');
    expect(call.priorityReasons).toContain('transcript: "Jane Doe (victim)"');
    expect(highlighted(call)).toEqual([{ text: 'Jane', phrase: 'Jane Doe (victim)' }]);

    // An ordinary contact's name is not a reason.
    const other = await ingestOne(s.call(prisoner, { transcript: 'Tell Tom I said hello.' }));
    expect(await getCall(other)).toMatchObject({ tier: 'P3' });
  });

  it('re-scores the call when the transcript arrives later, and again when it is replaced', async () => {
    const prisoner = await monitoredPrisoner();
    const id = await ingestOne(s.call(prisoner));
    expect(await getCall(id)).toMatchObject({ tier: 'P3', transcript: null });

    const stored = await putTranscript(id, "I'll break your fucking legs").expect(200);
    expect(stored.body).toEqual({
      callId: id,
      segments: 1,
      characters: 28,
      replaced: false,
      discarded: false,
    });
    let call = await getCall(id);
    expect(call.tier).toBe('P1');
    expect(call.priorityReasons).toContain('transcript: "break your legs"');
    expect(highlighted(call)).toEqual([
      { text: 'break your fucking legs', phrase: 'break your legs' },
    ]);

    await putTranscript(id, {
      segments: [{ at: 1.5, text: 'See you at the visit on Friday.' }],
    }).expect(200);
    call = await getCall(id);
    expect(call.tier).toBe('P3');
    expect(call.transcript?.segments).toEqual([
      { at: 1.5, text: 'See you at the visit on Friday.', hits: [] },
    ]);

    // JSON { "text" } is plain text too.
    await putTranscript(id, { text: 'You are a dead man walking' }).expect(200);
    expect((await getCall(id)).priorityReasons).toEqual(
      expect.arrayContaining([
        'transcript: "you are a dead man"',
        'transcript: "dead man walking"',
      ]),
    );

    const audit: { details: Record<string, unknown> }[] = await api.db.query(
      `SELECT details FROM audit_events WHERE action = 'TRANSCRIPT_STORED' AND entity_id = $1 ORDER BY id`,
      [id],
    );
    expect(audit.map((a) => a.details)).toEqual([
      { segments: 1, characters: 28, replaced: false, callStatus: 'PENDING' },
      { segments: 1, characters: 31, replaced: true, callStatus: 'PENDING' },
      { segments: 1, characters: 26, replaced: true, callStatus: 'PENDING' },
    ]);
  });

  it('takes transcripts of many calls of one prisoner at once', async () => {
    const prisoner = await monitoredPrisoner();
    const calls = Array.from({ length: 8 }, () => s.call(prisoner));
    await s.ingestAndTriage(calls);
    const rows: { id: string }[] = await api.db.query(
      `SELECT id FROM calls WHERE prison_number = $1`,
      [prisoner],
    );
    const responses = await Promise.all(
      rows.map((r, i) => putTranscript(r.id, i % 2 ? 'I will stab her' : 'all fine here')),
    );
    expect(responses.map((r) => r.status)).toEqual(rows.map(() => 200));
    const tiers: { n: number; tier: string }[] = await api.db.query(
      `SELECT tier, count(*)::int AS n FROM calls WHERE prison_number = $1 GROUP BY tier ORDER BY tier`,
      [prisoner],
    );
    expect(tiers).toEqual([
      { tier: 'P1', n: 4 },
      { tier: 'P3', n: 4 },
    ]);
  });

  it('never keeps, spots or shows the transcript of a privileged call', async () => {
    const prisoner = await monitoredPrisoner();
    const solicitor = randomMobile();
    await s.contact(prisoner, {
      name: 'Smith & Co Solicitors',
      relationship: 'LEGAL_ADVISER',
      phoneNumbers: [solicitor],
    });
    const id = await ingestOne(
      s.call(prisoner, { dialledNumber: solicitor, transcript: 'I am going to kill her' }),
    );
    let call = await getCall(id);
    expect(call).toMatchObject({ status: 'EXCLUDED_PRIVILEGED', tier: null, transcript: null });
    expect(call.priorityReasons.some((r) => r.startsWith('transcript:'))).toBe(false);
    // The text that came with the record is not kept once the call is found privileged.
    const storedText = async () => {
      const rows = await api.db.query<{ transcript: unknown }[]>(
        `SELECT transcript FROM calls WHERE id = $1`,
        [id],
      );
      return rows[0].transcript;
    };
    await expect(storedText()).resolves.toBeNull();

    const later = await putTranscript(id, 'I will stab him').expect(200);
    expect(later.body).toMatchObject({ callId: id, discarded: true, replaced: false });
    await expect(storedText()).resolves.toBeNull();
    const discarded: { details: { segments: number } }[] = await api.db.query(
      `SELECT details FROM audit_events WHERE action = 'TRANSCRIPT_DISCARDED' AND entity_id = $1`,
      [id],
    );
    expect(discarded.map((d) => d.details.segments)).toEqual([1]);
    call = await getCall(id);
    expect(call).toMatchObject({ status: 'EXCLUDED_PRIVILEGED', tier: null, transcript: null });
    const reads: unknown[] = await api.db.query(
      `SELECT 1 FROM audit_events WHERE action = 'TRANSCRIPT_READ' AND entity_id = $1`,
      [id],
    );
    expect(reads).toEqual([]);
  });

  it('drops the transcript of a waiting call when its number is found to be privileged', async () => {
    const prisoner = await monitoredPrisoner();
    const number = randomMobile();
    const id = await ingestOne(
      s.call(prisoner, { dialledNumber: number, transcript: 'the hearing is on Monday' }),
    );
    expect(await getCall(id)).toMatchObject({ status: 'PENDING' });
    await s.privilegedNumber(toE164(number), people.requester.token, 'Test Solicitors LLP');
    const rows = await api.db.query<{ status: string; transcript: unknown }[]>(
      `SELECT status, transcript FROM calls WHERE id = $1`,
      [id],
    );
    expect(rows).toEqual([{ status: 'EXCLUDED_PRIVILEGED', transcript: null }]);
  });

  it("spots the establishment's own phrases", async () => {
    const local = await Scenario.create(api);
    const localPeople = {
      requester: await local.staff(['SECURITY_MANAGER']),
      approver: await local.staff(['HEAD_OF_OMU']),
    };
    await api.db.query(
      `UPDATE establishments SET settings = jsonb_set(settings, '{keywordLexicon}', '["parcel"]') WHERE code = $1`,
      [local.establishment],
    );
    const prisoner = await monitoredPrisoner(local, localPeople);
    const id = await ingestOne(
      local.call(prisoner, { transcript: 'Did the parcels come on Friday?' }),
      local,
    );
    const call = await getCall(id, localPeople.requester);
    expect(call.tier).toBe('P1');
    expect(call.priorityReasons).toContain('transcript: "parcel"');
    expect(highlighted(call)).toEqual([{ text: 'parcels', phrase: 'parcel' }]);

    // Another establishment's calls do not use it.
    const elsewhere = await ingestOne(
      s.call(await monitoredPrisoner(), { transcript: 'Did the parcels come on Friday?' }),
    );
    expect(await getCall(elsewhere)).toMatchObject({ tier: 'P3' });
  });

  it('shows a listener the transcript only once they hold the call', async () => {
    const own = await Scenario.create(api);
    const ownPeople = {
      requester: await own.staff(['SECURITY_MANAGER']),
      approver: await own.staff(['HEAD_OF_OMU']),
    };
    const prisoner = await monitoredPrisoner(own, ownPeople);
    const id = await ingestOne(own.call(prisoner, { transcript: 'watch your back' }), own);
    const listener = await own.staff(['LISTENER']);
    const admin = { username: 'admin', password: '', token: own.adminToken };

    expect((await getCall(id, listener)).transcript).toBeNull();
    expect((await getCall(id, admin)).transcript).toBeNull();
    const claimed = await own.claim(listener).expect(200);
    expect(claimed.body.call.id).toBe(id);
    expect(highlighted(await getCall(id, listener))).toEqual([
      { text: 'watch your back', phrase: 'watch your back' },
    ]);
  });

  it('refuses what it must: roles, unknown and purged calls, bad bodies', async () => {
    const prisoner = await monitoredPrisoner();
    const id = await ingestOne(s.call(prisoner));
    const listener = await s.staff(['LISTENER']);

    await putTranscript(id, 'kill her', listener.token).expect(403);
    await putTranscript(id, 'kill her', security.token).expect(403);
    await putTranscript('00000000-0000-4000-8000-000000000000', 'kill her').expect(404);

    const bad = await putTranscript(id, { segments: [{ at: -1, text: 'x' }] }).expect(400);
    expect(bad.body.details).toEqual([
      { field: 'transcript', message: 'segments[0].at must be seconds from the start' },
    ]);
    await putTranscript(id, { segments: 'kill her' }).expect(400);
    await putTranscript(id, { text: 'kill her', extra: true }).expect(400);
    const long = await putTranscript(id, 'word '.repeat(40_001)).expect(400);
    expect(long.body.details[0]).toEqual({
      field: 'transcript',
      message: 'must be at most 200000 characters',
    });
    const huge = await putTranscript(id, 'x'.repeat(1_100_000)).expect(413);
    expect(huge.body).toMatchObject({ statusCode: 413, correlationId: expect.any(String) });
    expect(await getCall(id)).toMatchObject({ tier: 'P3', transcript: null });

    // ADMIN may deliver a transcript too.
    await putTranscript(id, 'nothing to see', s.adminToken).expect(200);

    await api.db.query(`UPDATE calls SET status = 'PURGED', recording_ref = NULL WHERE id = $1`, [
      id,
    ]);
    const purged = await putTranscript(id, 'kill her').expect(409);
    expect(purged.body.message).toMatch(/purged/);
    expect(await getCall(id)).toMatchObject({ status: 'PURGED', transcript: null });
  });
});
