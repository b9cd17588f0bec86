import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { checkCallRecord } from '../calls/call-record';
import { canonicalPhoneNumber, normalisePhoneNumber } from '../common/phone-numbers';
import { ESTABLISHMENT_CODE, PRISON_NUMBER } from '../common/vocabulary';
import { RequestAuthorisationDto } from '../monitoring/monitoring.dto';
import { ALERT_CODES, deriveRiskFromAlertCodes } from '../prisoners/alert-codes';
import {
  CreateContactDto,
  CreatePrivilegedNumberDto,
  PutPrisonerDto,
} from '../prisoners/prisoners.dto';
import { PutStaffDto } from '../staff/staff.dto';
import { requiredTrainings } from '../triage/priority-policy';
import {
  buildDemoWorld,
  DEMO_PASSWORD,
  DEMO_SEED,
  DemoCall,
  DemoWorld,
  DemoWorldOptions,
  demoWorldOptions,
  prisonNumberFor,
  RECORDING_REFS,
  Rng,
  staffPutBody,
  trainingsNeeded,
} from './demo-world';

const NOW = new Date('2026-11-27T10:15:00Z');
const DAY_MS = 86_400_000;

const SMALL: DemoWorldOptions = {
  seed: 42,
  now: NOW,
  establishments: [
    { code: 'AAA', name: 'HMP Alpha', prisoners: 120, population: 'MALE' },
    { code: 'BBB', name: 'HMP Beta', prisoners: 60, population: 'FEMALE' },
  ],
  days: 7,
};

function take<T>(it: Iterator<T>, n: number): T[] {
  const out: T[] = [];
  for (let r = it.next(); !r.done && out.length < n; r = it.next()) out.push(r.value);
  return out;
}

/** The world without its calls() function, for deep comparison. */
function data(world: DemoWorld) {
  const { calls: _calls, ...rest } = world;
  return rest;
}

function valid<T extends object>(cls: new () => T, body: object): string[] {
  const dto = plainToInstance(cls, body);
  return validateSync(dto, { whitelist: true, forbidNonWhitelisted: true }).flatMap((e) =>
    Object.values(e.constraints ?? {}),
  );
}

describe('Rng', () => {
  it('is deterministic and uniform enough', () => {
    const a = new Rng(7);
    const b = new Rng(7);
    const xs = Array.from({ length: 10_000 }, () => a.next());
    expect(Array.from({ length: 10_000 }, () => b.next())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(mean).toBeGreaterThan(0.48);
    expect(mean).toBeLessThan(0.52);
  });

  it('draws Poisson counts with the asked-for mean', () => {
    const rng = new Rng(3);
    const n = 20_000;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += rng.poisson(2.4);
    expect(sum / n).toBeGreaterThan(2.3);
    expect(sum / n).toBeLessThan(2.5);
  });
});

describe('prisonNumberFor', () => {
  it('gives distinct A1234BC numbers for distinct indices', () => {
    const numbers = Array.from({ length: 100_000 }, (_, n) => prisonNumberFor(DEMO_SEED, n));
    expect(new Set(numbers).size).toBe(numbers.length);
    expect(numbers.every((p) => PRISON_NUMBER.test(p))).toBe(true);
  });
});

describe('buildDemoWorld determinism', () => {
  it('gives the same world and the same calls for the same seed', () => {
    const a = buildDemoWorld(SMALL);
    const b = buildDemoWorld({ ...SMALL, now: new Date(NOW.getTime()) });
    expect(data(b)).toEqual(data(a));
    expect(take(b.calls(), 2000)).toEqual(take(a.calls(), 2000));
  });

  it('gives the same calls on every iteration of one world', () => {
    const world = buildDemoWorld(SMALL);
    expect(take(world.calls(), 500)).toEqual(take(world.calls(), 500));
  });

  it('gives a different world for a different seed', () => {
    const a = buildDemoWorld(SMALL);
    const b = buildDemoWorld({ ...SMALL, seed: 43 });
    expect(b.prisoners.map((p) => p.prisonNumber)).not.toEqual(
      a.prisoners.map((p) => p.prisonNumber),
    );
    expect(b.prisoners.map((p) => p.body.alertCodes)).not.toEqual(
      a.prisoners.map((p) => p.body.alertCodes),
    );
    expect(take(b.calls(), 200)).not.toEqual(take(a.calls(), 200));
  });
});

describe('the demo world', () => {
  const world = buildDemoWorld(demoWorldOptions(DEMO_SEED, NOW));
  const calls: DemoCall[] = [...world.calls()];
  const byNumber = new Map(world.prisoners.map((p) => [p.prisonNumber, p]));
  const monitored = world.prisoners.filter((p) => p.monitored);
  const staffByName = new Map(world.staff.map((s) => [s.username, s]));

  it('has two prisons of about 1,000 prisoners, about 12% on monitoring', () => {
    expect(world.establishments.map((e) => e.code)).toEqual(['NHI', 'LEI']);
    const count = (code: string) =>
      world.prisoners.filter((p) => p.body.establishmentCode === code).length;
    expect(count('NHI')).toBe(850);
    expect(count('LEI')).toBe(150);
    expect(monitored.length / world.prisoners.length).toBeGreaterThanOrEqual(0.1);
    expect(monitored.length / world.prisoners.length).toBeLessThanOrEqual(0.14);
    expect(world.authorisations.map((a) => a.prisonNumber).sort()).toEqual(
      monitored.map((p) => p.prisonNumber).sort(),
    );
  });

  it('has about 40 staff with memorable usernames and the roles the demo needs', () => {
    const names = world.staff.map((s) => s.username);
    expect(new Set(names).size).toBe(names.length);
    expect(world.staff.length).toBeGreaterThanOrEqual(35);
    expect(world.staff.length).toBeLessThanOrEqual(45);
    const withRole = (r: string) => world.staff.filter((s) => s.roles.includes(r as never));
    expect(withRole('LISTENER').length).toBeGreaterThanOrEqual(20);
    expect(withRole('LISTENER').length).toBeLessThanOrEqual(28);
    expect(withRole('POM').length).toBeGreaterThanOrEqual(8);
    expect(withRole('POM').length).toBeLessThanOrEqual(12);
    expect(withRole('HEAD_OF_OMU').map((s) => s.username)).toEqual(['head1', 'head2']);
    expect(withRole('SECURITY_MANAGER').map((s) => s.username)).toEqual(['security1', 'security2']);
    expect(withRole('INGEST').map((s) => s.username)).toEqual(['feed']);
    expect(staffByName.get('head1')!.establishments).toEqual(['NHI', 'LEI']);
    expect(names).toEqual(
      expect.arrayContaining(['listener1', 'listener24', 'pom1', 'pom10', 'security1', 'feed']),
    );
    const languages = new Set(withRole('LISTENER').flatMap((s) => s.languages));
    expect([...languages].sort()).toEqual(['pl', 'ro', 'ur']);
    const speakers = withRole('LISTENER').filter((s) => s.languages.length).length;
    expect(speakers).toBeLessThanOrEqual(8);
    for (const s of world.staff) {
      expect(valid(PutStaffDto, staffPutBody(s, DEMO_PASSWORD))).toEqual([]);
      expect(s.establishments.every((c) => ESTABLISHMENT_CODE.test(c))).toBe(true);
    }
  });

  it('has valid, unique prison numbers and known alert codes', () => {
    const numbers = world.prisoners.map((p) => p.prisonNumber);
    expect(new Set(numbers).size).toBe(numbers.length);
    for (const p of world.prisoners) {
      expect(p.prisonNumber).toMatch(PRISON_NUMBER);
      for (const code of p.body.alertCodes) expect(ALERT_CODES[code]).toBeDefined();
      expect(deriveRiskFromAlertCodes(p.body.alertCodes).unknownCodes).toEqual([]);
      expect(valid(PutPrisonerDto, p.body)).toEqual([]);
      expect(p.body.earliestReleaseDate! > NOW.toISOString().slice(0, 10)).toBe(true);
    }
  });

  it('has a realistic MAPPA and RoSH mix among the monitored: mostly level 1', () => {
    const levels = monitored.map((p) => deriveRiskFromAlertCodes(p.body.alertCodes).mappaLevel);
    const cats = monitored.map((p) => deriveRiskFromAlertCodes(p.body.alertCodes).mappaCategory);
    const l1 = levels.filter((l) => l === 1).length;
    const l2 = levels.filter((l) => l === 2).length;
    const l3 = levels.filter((l) => l === 3).length;
    const withMappa = cats.filter((c) => c !== null).length;
    expect(l1 / withMappa).toBeGreaterThan(0.6);
    expect(l2).toBeGreaterThan(0);
    expect(l3).toBeGreaterThan(0);
    expect(l3).toBeLessThan(l2);
    expect(l2).toBeLessThan(l1 / 3);
    // MAPPA category set, level not set: release within six months.
    const notSet = monitored.filter((p) => {
      const r = deriveRiskFromAlertCodes(p.body.alertCodes);
      return r.mappaCategory !== null && r.mappaLevel === null;
    });
    expect(notSet.length).toBeGreaterThan(0);
    for (const p of notSet) {
      const days = (Date.parse(p.body.earliestReleaseDate!) - NOW.getTime()) / DAY_MS;
      expect(days).toBeLessThanOrEqual(183);
    }
    const rosh = monitored.map((p) => deriveRiskFromAlertCodes(p.body.alertCodes).roshLevel);
    const mediumOrHigh = rosh.filter((r) => r === 'MEDIUM' || r === 'HIGH').length;
    expect(mediumOrHigh / monitored.length).toBeGreaterThan(0.7);
    expect(rosh.filter((r) => r === 'VERY_HIGH').length).toBeGreaterThan(0);
    expect(rosh.filter((r) => r === 'VERY_HIGH').length / monitored.length).toBeLessThan(0.1);
    const codes = monitored.flatMap((p) => p.body.alertCodes);
    for (const c of ['RDV', 'RSP', 'OHCO', 'P55', 'ROM', 'ROH', 'ROV']) expect(codes).toContain(c);
    expect(codes.some((c) => ['CC1', 'CC2', 'CC3', 'CC4', 'CPC'].includes(c))).toBe(true);
  });

  it('gives every monitored prisoner a POM and a trained lead listener of the same prison', () => {
    for (const p of monitored) {
      const pom = staffByName.get(p.body.pomUsername!);
      const lead = staffByName.get(p.body.leadListenerUsername!);
      expect(pom?.roles).toContain('POM');
      expect(lead?.roles).toContain('LISTENER');
      expect(pom!.establishments).toContain(p.body.establishmentCode);
      expect(lead!.establishments).toContain(p.body.establishmentCode);
      const risk = deriveRiskFromAlertCodes(p.body.alertCodes);
      const needed = requiredTrainings(
        {
          alertCodes: p.body.alertCodes,
          mappaCategory: risk.mappaCategory,
          mappaLevel: risk.mappaLevel,
          roshLevel: risk.roshLevel,
          earliestReleaseDate: null,
          leadListenerUsername: null,
        },
        new Set(risk.flags),
      );
      expect([...trainingsNeeded(p.body.alertCodes)].sort()).toEqual([...needed].sort());
      for (const t of needed) expect(lead!.trainings).toContain(t);
    }
    for (const p of world.prisoners.filter((x) => !x.monitored))
      expect(p.body.leadListenerUsername).toBeNull();
  });

  it('has contacts of every kind, with valid and unique phone numbers', () => {
    const relationships = new Set(
      world.prisoners.flatMap((p) => p.contacts.map((c) => c.relationship)),
    );
    for (const r of ['PARTNER', 'CHILD', 'PARENT', 'LEGAL_ADVISER', 'EX_PARTNER', 'SIBLING'])
      expect(relationships).toContain(r);
    const all = world.prisoners.flatMap((p) => p.contacts);
    expect(all.some((c) => c.isVictim && c.restriction === 'NO_CONTACT')).toBe(true);
    expect(all.some((c) => c.isVictim && c.restriction === 'HARASSMENT_ORDER')).toBe(true);
    expect(all.some((c) => c.isChild && c.restriction === 'CHILD_CONTACT_RESTRICTED')).toBe(true);
    const personal: string[] = [];
    const problems: string[] = [];
    for (const p of world.prisoners) {
      if (p.contacts.length === 0) problems.push(`${p.prisonNumber}: no contacts`);
      for (const c of p.contacts) {
        const errors = valid(CreateContactDto, c);
        if (errors.length) problems.push(`${p.prisonNumber} ${c.name}: ${errors.join('; ')}`);
        for (const n of c.phoneNumbers) {
          const legal = c.relationship === 'LEGAL_ADVISER';
          const shape = legal ? /^0\d{2,4} \d{3,4} ?\d{3,4}$/ : /^07[4-9]\d{2} \d{6}$/;
          if (!shape.test(n) || !normalisePhoneNumber(n).ok)
            problems.push(`${p.prisonNumber} ${c.name}: ${n}`);
          if (!legal) personal.push(n);
        }
      }
      personal.push(...p.calling.unlistedNumbers);
    }
    expect(problems.slice(0, 5)).toEqual([]);
    // A person's number belongs to one contact of one prisoner: no accidental shared numbers.
    expect(new Set(personal).size).toBe(personal.length);
  });

  it('has a privileged directory with Samaritans, legal advisers and an MP', () => {
    const kinds = world.privilegedNumbers.map((p) => p.kind);
    expect(kinds).toEqual(expect.arrayContaining(['SAMARITANS', 'LEGAL_ADVISER', 'MP']));
    expect(world.privilegedNumbers.find((p) => p.kind === 'SAMARITANS')!.phoneNumber).toBe(
      '116 123',
    );
    const canonical = world.privilegedNumbers.map((p) => {
      const parsed = canonicalPhoneNumber(p.phoneNumber);
      expect(parsed.ok).toBe(true);
      expect(valid(CreatePrivilegedNumberDto, p)).toEqual([]);
      return parsed.ok ? parsed.e164 : '';
    });
    expect(new Set(canonical).size).toBe(canonical.length);
    expect(world.privilegedNumbers.some((p) => !p.establishmentCode)).toBe(true);
  });

  it('has lawful authorisations: two people, a type per risk, a justification', () => {
    const types = world.authorisations.map((a) => a.body.type);
    const share = (t: string) => types.filter((x) => x === t).length / types.length;
    expect(share('OFFENCE_RELATED')).toBeGreaterThan(0.6);
    expect(share('INTELLIGENCE_LED')).toBeGreaterThan(0.05);
    expect(share('RANDOM')).toBeGreaterThan(0);
    expect(share('RANDOM')).toBeLessThan(0.1);
    for (const a of world.authorisations) {
      const p = byNumber.get(a.prisonNumber)!;
      expect(a.establishmentCode).toBe(p.body.establishmentCode);
      expect(a.requestedBy).not.toBe(a.approvedBy);
      const approver = staffByName.get(a.approvedBy)!;
      expect(approver.roles.some((r) => r === 'HEAD_OF_OMU' || r === 'SECURITY_MANAGER')).toBe(
        true,
      );
      expect(approver.establishments).toContain(a.establishmentCode);
      expect(staffByName.get(a.requestedBy)!.establishments).toContain(a.establishmentCode);
      if (deriveRiskFromAlertCodes(p.body.alertCodes).mappaLevel === 3)
        expect(a.body.type).toBe('MANDATORY');
      expect(valid(RequestAuthorisationDto, a.body)).toEqual([]);
      expect(Date.parse(a.body.startsAt)).toBeLessThan(NOW.getTime());
    }
    const typical = world.authorisations.filter((a) => a.body.type === 'OFFENCE_RELATED');
    const ages = typical.map((a) => (NOW.getTime() - Date.parse(a.body.startsAt)) / DAY_MS);
    const meanAge = ages.reduce((s, x) => s + x, 0) / ages.length;
    expect(meanAge).toBeGreaterThan(38);
    expect(meanAge).toBeLessThan(52);
  });

  it('has about 2.4 calls per prisoner per day of about 7 minutes', () => {
    const perDay = calls.length / world.prisoners.length / world.days;
    expect(perDay).toBeGreaterThan(2.4 * 0.85);
    expect(perDay).toBeLessThan(2.4 * 1.15);
    const meanDuration = calls.reduce((s, c) => s + c.durationSeconds, 0) / calls.length;
    expect(meanDuration).toBeGreaterThan(420 * 0.85);
    expect(meanDuration).toBeLessThan(420 * 1.15);
  });

  it('makes every call a valid ingest record of a known prisoner, inside the window', () => {
    const from = NOW.getTime() - world.days * DAY_MS;
    const ids = new Set<string>();
    const problems: string[] = [];
    const checkedNumbers = new Set<string>();
    let daytime = 0;
    for (const c of calls) {
      const p = byNumber.get(c.prisonNumber);
      const at = Date.parse(c.startedAt);
      if (!p || c.establishmentCode !== p.body.establishmentCode)
        problems.push(`${c.externalId}: unknown prisoner`);
      if (!(at > from) || at + c.durationSeconds * 1000 > NOW.getTime())
        problems.push(`${c.externalId}: outside the window`);
      if (c.startedAt !== new Date(at).toISOString()) problems.push(`${c.externalId}: not ISO`);
      if (!RECORDING_REFS.includes(c.recordingRef)) problems.push(`${c.externalId}: recording`);
      ids.add(c.externalId);
      const minute = (at % DAY_MS) / 60_000;
      if (minute >= 480 && minute < 1290) daytime++;
      // The real ingest check, once per distinct dialled number (phone parsing is the slow part).
      if (!checkedNumbers.has(c.dialledNumber)) {
        checkedNumbers.add(c.dialledNumber);
        const check = checkCallRecord(c, NOW);
        if (!check.ok) problems.push(`${c.externalId}: ${check.errors.join('; ')}`);
      }
    }
    expect(problems.slice(0, 5)).toEqual([]);
    expect(ids.size).toBe(calls.length);
    expect(daytime / calls.length).toBeGreaterThan(0.9);
    expect(calls[0].externalId).toMatch(/^DEMO-[A-Z]{3}-\d{7}$/);
  });

  it('sends most calls to contacts, some to unlisted numbers and a few to privileged ones', () => {
    const cache = new Map<string, string>();
    const canon = (n: string) => {
      let e164 = cache.get(n);
      if (e164 === undefined) {
        const c = canonicalPhoneNumber(n);
        e164 = c.ok ? c.e164 : n;
        cache.set(n, e164);
      }
      return e164;
    };
    const directory = new Set(world.privilegedNumbers.map((p) => canon(p.phoneNumber)));
    let listed = 0;
    let privileged = 0;
    let unlisted = 0;
    const contactNumbers = new Map(
      world.prisoners.map((p) => [
        p.prisonNumber,
        {
          all: new Set(p.contacts.flatMap((c) => c.phoneNumbers.map(canon))),
          legal: new Set(
            p.contacts
              .filter((c) => c.relationship === 'LEGAL_ADVISER')
              .flatMap((c) => c.phoneNumbers.map(canon)),
          ),
        },
      ]),
    );
    for (const c of calls) {
      const n = canon(c.dialledNumber);
      const mine = contactNumbers.get(c.prisonNumber)!;
      if (directory.has(n) || mine.legal.has(n)) privileged++;
      else if (mine.all.has(n)) listed++;
      else unlisted++;
    }
    expect(listed / calls.length).toBeGreaterThan(0.85);
    expect(unlisted / calls.length).toBeGreaterThan(0.06);
    expect(unlisted / calls.length).toBeLessThan(0.11);
    expect(privileged / calls.length).toBeGreaterThan(0.01);
    expect(privileged / calls.length).toBeLessThan(0.04);
  });

  it('plants the inspection case: 43 calls to a new partner in one day', () => {
    const heavy = world.prisoners.find((p) => p.scenario === 'HEAVY_DOMESTIC_ABUSE')!;
    expect(heavy.monitored).toBe(true);
    expect(heavy.body.alertCodes).toEqual(expect.arrayContaining(['RDV', 'P66']));
    const target = heavy.calling.heavy!;
    const digits = target.number.replace(/\s/g, '');
    const toPartner = calls.filter(
      (c) =>
        c.prisonNumber === heavy.prisonNumber &&
        (c.dialledNumber === digits || c.dialledNumber === `+44${digits.slice(1)}`),
    );
    expect(toPartner.length).toBeGreaterThan(400);
    expect(toPartner.length).toBeLessThan(560);
    expect(toPartner.filter((c) => c.startedAt.startsWith(target.peakDate)).length).toBe(43);
    expect(heavy.contacts.flatMap((c) => c.phoneNumbers)).not.toContain(target.number);
  });

  it('has prisoners speaking Polish, Urdu and Romanian, with some calls no listener can hear', () => {
    const spoken = new Map<string, Set<string>>();
    for (const s of world.staff.filter((x) => x.roles.includes('LISTENER')))
      for (const e of s.establishments)
        spoken.set(e, new Set([...(spoken.get(e) ?? ['en']), ...s.languages]));
    const languages = new Set(calls.map((c) => c.language));
    expect([...languages].sort()).toEqual(['en', 'pl', 'ro', 'ur']);
    const untranslatable = calls.filter(
      (c) =>
        byNumber.get(c.prisonNumber)!.monitored &&
        !spoken.get(c.establishmentCode)!.has(c.language),
    );
    expect(untranslatable.length).toBeGreaterThan(50);
    expect(untranslatable.length / calls.length).toBeLessThan(0.02);
    for (const p of world.prisoners.filter((x) => x.calling.language !== 'en'))
      expect(p.body.languages[0]).toBe(p.calling.language);
  });
});

describe('a national-scale world', () => {
  it('invents establishments and scales staff with them, lazily yielding calls', () => {
    const world = buildDemoWorld({
      seed: 1,
      now: NOW,
      establishments: 30,
      prisonersPerEstablishment: 100,
      monitoredShare: 0.1,
    });
    const codes = world.establishments.map((e) => e.code);
    expect(new Set(codes).size).toBe(30);
    expect(codes.every((c) => ESTABLISHMENT_CODE.test(c))).toBe(true);
    expect(world.prisoners.length).toBe(3000);
    expect(world.prisoners.filter((p) => p.monitored).length).toBe(300);
    for (const code of codes) {
      const here = world.staff.filter((s) => s.establishments.includes(code));
      for (const role of ['LISTENER', 'POM', 'HEAD_OF_OMU', 'SECURITY_MANAGER'])
        expect(here.some((s) => s.roles.includes(role as never))).toBe(true);
    }
    const first = take(world.calls(), 100);
    expect(first).toHaveLength(100);
    expect(new Set(first.map((c) => c.externalId)).size).toBe(100);
  });
});
