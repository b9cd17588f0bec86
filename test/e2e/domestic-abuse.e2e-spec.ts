import { Clock } from '../../src/common/clock';
import { bearer, startApi, TestApi } from '../support/api';
import { randomMobile, Scenario } from '../support/scenario';

/**
 * Domestic abuse and stalking through the API against a fixed clock (issue 13, item 2): a known
 * partner who is not marked a victim is exactly who the inspection's cases threatened, so an RDV
 * prisoner's call to her is P2, not P3; the same call by a prisoner without the code stays P3.
 */
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const FIXED = new Date('2026-11-27T10:00:00Z');
const at = (ms: number) => new Date(FIXED.getTime() + ms).toISOString();

interface QueueItem {
  prisonNumber: string;
  tier: string | null;
  startedAt: string;
  dueAt: string | null;
  priorityReasons: string[];
}

describe('domestic abuse and stalking: known partners and victim enquiries', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi();
    jest.spyOn(api.app.get(Clock), 'now').mockReturnValue(FIXED);
  });

  afterAll(async () => {
    await api.close();
  });

  const queue = async (s: Scenario) => {
    const head = await s.staff(['HEAD_OF_OMU']);
    const res = await api.http
      .get(`/api/queue?establishment=${s.establishment}`)
      .set(bearer(head.token))
      .expect(200);
    return (res.body as { items: QueueItem[] }).items;
  };

  /** A monitored prisoner with these alert codes and a known partner (not a victim) he calls. */
  const callingPartner = async (s: Scenario, alertCodes: string[]) => {
    const prisoner = await s.prisoner({ alertCodes });
    await s.authorise(prisoner, { startsAt: at(-30 * DAY) });
    const partner = randomMobile();
    await s.contact(prisoner, { name: 'Dana', relationship: 'PARTNER', phoneNumbers: [partner] });
    return { prisoner, partner };
  };

  it('the known-partner case: RDV at RoSH medium calling his partner is P2, the same call without RDV P3', async () => {
    const s = await Scenario.create(api);
    const abuser = await callingPartner(s, ['RDV', 'ROM']);
    const nearMiss = await callingPartner(s, ['ROM']);
    await s.ingestAndTriage([
      s.call(abuser.prisoner, { dialledNumber: abuser.partner, startedAt: at(-2 * HOUR) }),
      s.call(nearMiss.prisoner, { dialledNumber: nearMiss.partner, startedAt: at(-3 * HOUR) }),
    ]);

    const items = await queue(s);
    expect(items.map((i) => [i.prisonNumber, i.tier])).toEqual([
      [abuser.prisoner, 'P2'],
      [nearMiss.prisoner, 'P3'],
    ]);
    expect(items[0].priorityReasons).toEqual([
      'partner of a domestic-abuse prisoner',
      'partner contact of a domestic-abuse prisoner (+6 h)',
    ]);
    expect(new Date(items[0].dueAt!).getTime()).toBe(
      new Date(items[0].startedAt).getTime() + 72 * HOUR,
    );
    expect(items[1].priorityReasons).toEqual(['under an active monitoring authorisation']);
  });

  it('a partner contact added after the call re-scores it to P2; an ex-partner counts too (RSP)', async () => {
    const s = await Scenario.create(api);
    const prisoner = await s.prisoner({ alertCodes: ['RSP'] });
    await s.authorise(prisoner, { startsAt: at(-30 * DAY) });
    const number = randomMobile();
    await s.contact(prisoner, { name: 'Sam', relationship: 'FRIEND', phoneNumbers: [number] });
    await s.ingestAndTriage([s.call(prisoner, { dialledNumber: number, startedAt: at(-HOUR) })]);
    expect((await queue(s))[0].tier).toBe('P3');

    const [contact] = await api.db.query<{ id: string }[]>(
      `SELECT id FROM contacts WHERE prison_number = $1`,
      [prisoner],
    );
    await api.http
      .patch(`/api/contacts/${contact.id}`)
      .set(bearer(s.adminToken))
      .send({ relationship: 'EX_PARTNER' })
      .expect(200);
    const [item] = await queue(s);
    expect(item.tier).toBe('P2');
    expect(item.priorityReasons).toContain('partner of a domestic-abuse prisoner');
  });

  it('OVI: a victim-enquiry prisoner calling a number not on his list is P2; a known number stays P3', async () => {
    const s = await Scenario.create(api);
    const prisoner = await s.prisoner({ alertCodes: ['OVI'] });
    await s.authorise(prisoner, { startsAt: at(-30 * DAY) });
    const known = randomMobile();
    await s.contact(prisoner, { relationship: 'PARENT', phoneNumbers: [known] });
    await s.ingestAndTriage([
      s.call(prisoner, { startedAt: at(-2 * HOUR) }),
      s.call(prisoner, { dialledNumber: known, startedAt: at(-3 * HOUR) }),
    ]);
    const items = await queue(s);
    expect(items.map((i) => i.tier)).toEqual(['P2', 'P3']);
    expect(items[0].priorityReasons[0]).toBe(
      'victim-enquiry prisoner calling a number not on the contact list',
    );
  });
});
