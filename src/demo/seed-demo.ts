import 'reflect-metadata';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AuthUser } from '../common/auth-user';
import { forEachLimit } from '../common/concurrency';
import { AppConfig, ConfigError, loadConfig } from '../config/app-config';
import { EstablishmentsRepository } from '../establishments/establishments.repository';
import { ApproveAuthorisationDto, RequestAuthorisationDto } from '../monitoring/monitoring.dto';
import { MonitoringService } from '../monitoring/monitoring.service';
import {
  CreateContactDto,
  CreatePrivilegedNumberDto,
  PutPrisonerDto,
} from '../prisoners/prisoners.dto';
import { PrisonersRepository } from '../prisoners/prisoners.repository';
import { PrisonersService } from '../prisoners/prisoners.service';
import { PutStaffDto } from '../staff/staff.dto';
import { StaffRepository } from '../staff/staff.repository';
import { StaffService } from '../staff/staff.service';
import {
  buildDemoWorld,
  DEMO_PASSWORD,
  DEMO_SEED,
  DemoWorld,
  demoWorldOptions,
  describeListener,
  staffPutBody,
} from './demo-world';
import { HistoryReport, playHistory } from './demo-history';
import { actorFor, dto } from './seed-dto';
import { SeedModule } from './seed.module';

/**
 * `npm run seed:demo`: builds the demo prison world (demo-world.ts) and creates it through the real
 * services, exactly as the HTTP API would: staff, the privileged directory, prisoners and contacts,
 * monitoring authorisations (requested by one person, approved by another), then 30 days of calls
 * and of the work done on them, played hour by hour with the clock pinned (demo-history.ts).
 *
 *   npm run seed:demo [-- --seed=20261127] [-- --now=2026-11-27T10:00:00Z]
 *
 * The seed also comes from DEMO_SEED. Running it again once the world exists changes nothing.
 */

const SEED_ACTOR: AuthUser = { username: 'seed', roles: ['ADMIN'], establishments: [] };
/** Parallel service calls: well below the database pool, so transactions never starve it. */
const CONCURRENCY = 4;

export interface SeedArgs {
  seed: number;
  now: Date;
}

export function parseSeedArgs(argv: readonly string[], env: NodeJS.ProcessEnv): SeedArgs {
  const arg = (name: string) =>
    argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? undefined;
  const rawSeed = arg('seed') ?? env.DEMO_SEED ?? String(DEMO_SEED);
  const seed = Number(rawSeed);
  if (!Number.isSafeInteger(seed) || seed < 0)
    throw new Error(`seed must be a whole number, not "${rawSeed}"`);
  const rawNow = arg('now');
  const now = rawNow ? new Date(rawNow) : new Date();
  if (Number.isNaN(now.getTime())) throw new Error(`now must be an ISO time, not "${rawNow}"`);
  return { seed, now };
}

export interface SeedReport {
  skipped: boolean;
  /** The month of work played through the services (absent when the world was already there). */
  history?: HistoryReport;
  establishments: number;
  staff: number;
  prisoners: number;
  monitored: number;
  contacts: number;
  privilegedNumbers: number;
  callsSent: number;
  callsAccepted: number;
  duplicates: number;
  rejected: number;
  seconds: number;
}

type Log = (message: string) => void;

/** Creates the world through the services, unless it is there already. */
export async function seedDemo(
  app: INestApplicationContext,
  world: DemoWorld,
  log: Log,
): Promise<SeedReport> {
  const started = Date.now();
  const staffRepo = app.get(StaffRepository, { strict: false });
  const report: SeedReport = {
    skipped: false,
    establishments: world.establishments.length,
    staff: world.staff.length,
    prisoners: world.prisoners.length,
    monitored: world.authorisations.length,
    contacts: world.prisoners.reduce((s, p) => s + p.contacts.length, 0),
    privilegedNumbers: world.privilegedNumbers.length,
    callsSent: 0,
    callsAccepted: 0,
    duplicates: 0,
    rejected: 0,
    seconds: 0,
  };
  if (await staffRepo.find('listener1')) {
    log('The demo world is already there (staff listener1 exists): nothing created.');
    return { ...report, skipped: true, seconds: (Date.now() - started) / 1000 };
  }

  const establishments = app.get(EstablishmentsRepository, { strict: false });
  const staff = app.get(StaffService, { strict: false });
  const prisoners = app.get(PrisonersService, { strict: false });
  const monitoring = app.get(MonitoringService, { strict: false });
  const byUsername = new Map(world.staff.map((s) => [s.username, s]));

  for (const e of world.establishments) await establishments.upsert(e.code, e.name);
  log(`${world.establishments.length} establishments`);

  await forEachLimit(world.staff, CONCURRENCY, async (s) => {
    const body = await dto(PutStaffDto, staffPutBody(s, DEMO_PASSWORD), `staff ${s.username}`);
    await staff.put(SEED_ACTOR, s.username, body);
  });
  log(`${world.staff.length} staff`);

  for (const p of world.privilegedNumbers) {
    const body = await dto(CreatePrivilegedNumberDto, p, `privileged number ${p.phoneNumber}`);
    await prisoners.addPrivilegedNumber(SEED_ACTOR, body);
  }
  log(`${world.privilegedNumbers.length} privileged numbers`);

  let done = 0;
  await forEachLimit(world.prisoners, CONCURRENCY, async (p) => {
    const body = await dto(PutPrisonerDto, p.body, `prisoner ${p.prisonNumber}`);
    await prisoners.put(SEED_ACTOR, p.prisonNumber, body);
    for (const c of p.contacts) {
      const contact = await dto(CreateContactDto, c, `contact of ${p.prisonNumber}`);
      await prisoners.addContact(SEED_ACTOR, p.prisonNumber, contact);
    }
    if (++done % 250 === 0 || done === world.prisoners.length)
      log(`prisoners and contacts: ${done} / ${world.prisoners.length}`);
  });

  await forEachLimit(world.authorisations, CONCURRENCY, async (a) => {
    const requester = actorFor(byUsername.get(a.requestedBy)!);
    const approver = actorFor(byUsername.get(a.approvedBy)!);
    const request = await dto(RequestAuthorisationDto, a.body, `authorisation ${a.prisonNumber}`);
    const created = await monitoring.request(requester, a.prisonNumber, request);
    const approve = await dto(ApproveAuthorisationDto, { note: a.approvalNote }, 'approval');
    await monitoring.approve(approver, created.id, approve);
  });
  log(`${world.authorisations.length} monitoring authorisations requested and approved`);

  // The month of calls, and the work done on them, played through the services hour by hour.
  const history = await playHistory(app, world, log);
  report.callsSent = history.callsSent;
  report.callsAccepted = history.callsAccepted;
  report.duplicates = history.callsSent - history.callsAccepted - history.rejected;
  report.rejected = history.rejected;
  report.history = history;
  log(
    `history: ${history.days} days, ${history.claims} calls heard, ${history.acknowledged} escalations ` +
      `acknowledged and ${history.closed} closed, ${history.logsRead} logs read by POMs, ` +
      `${history.meetings} IRMM meetings, ${history.snapshots} backlog snapshots (${history.seconds.toFixed(0)} s: ` +
      Object.entries(history.secondsBy)
        .map(([what, seconds]) => `${what} ${seconds.toFixed(0)} s`)
        .join(', ') +
      ')',
  );

  report.seconds = (Date.now() - started) / 1000;
  return report;
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r: string[]) =>
    r
      .map((cell, i) => cell.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(rows[0]), rule, ...rows.slice(1).map(line)].join('\n');
}

const ROLE_ORDER = ['ADMIN', 'HEAD_OF_OMU', 'SECURITY_MANAGER', 'POM', 'LISTENER', 'INGEST'];

/** The sign-ins of the demo, as stored (so a second run shows what the database really holds). */
export async function signInTable(
  app: INestApplicationContext,
  world: DemoWorld,
  adminUsername: string,
): Promise<string> {
  const staffRepo = app.get(StaffRepository, { strict: false });
  const rows: { role: string; cells: string[] }[] = [];
  const admin = await staffRepo.find(adminUsername);
  rows.push({
    role: 'ADMIN',
    cells: [
      'ADMIN',
      adminUsername,
      '(ADMIN_PASSWORD)',
      'all',
      admin ? 'Reference data and staff accounts' : 'Not created yet: start the api once',
    ],
  });
  for (const s of world.staff) {
    const stored = await staffRepo.find(s.username);
    const role = (stored?.roles ?? s.roles)[0];
    const establishments = stored?.establishments ?? s.establishments;
    const duty = !stored
      ? `${s.duty} (missing from the database)`
      : role === 'LISTENER'
        ? describeListener({
            trainings: stored.trainingRecords.map((t) => t.code),
            languages: stored.languages,
          })
        : s.duty;
    rows.push({
      role,
      cells: [
        role,
        s.username,
        DEMO_PASSWORD,
        establishments.length ? establishments.join(',') : 'all',
        duty,
      ],
    });
  }
  rows.sort((a, b) => ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role));
  return table([
    ['ROLE', 'USERNAME', 'PASSWORD', 'PRISONS', 'WHAT THEY DO'],
    ...rows.map((r) => r.cells),
  ]);
}

/** The planted cases, as far as the database holds them (it may have been seeded differently). */
async function notableCases(app: INestApplicationContext, world: DemoWorld): Promise<string[]> {
  const planted = world.prisoners.filter((p) => p.story);
  const present = await app
    .get(PrisonersRepository, { strict: false })
    .lookup(planted.map((p) => p.prisonNumber));
  return planted
    .filter((p) => present.has(p.prisonNumber))
    .map((p) => `  ${p.prisonNumber} (${p.body.establishmentCode})  ${p.story}`);
}

function summary(world: DemoWorld, report: SeedReport, cases: string[]): string {
  const lines = [
    report.skipped
      ? 'Demo world already present: nothing was created.'
      : `Demo world created in ${report.seconds.toFixed(1)} s (seed ${world.seed}).`,
    '',
    table([
      ['WHAT', 'COUNT'],
      ['establishments', world.establishments.map((e) => `${e.code} ${e.name}`).join(', ')],
      ['staff', String(report.staff)],
      ['prisoners', String(report.prisoners)],
      ['on monitoring', String(report.monitored)],
      ['contacts', String(report.contacts)],
      ['privileged numbers', String(report.privilegedNumbers)],
      ...(report.skipped
        ? []
        : [
            ['calls sent', String(report.callsSent)],
            ['calls ingested', String(report.callsAccepted)],
            ['duplicates', String(report.duplicates)],
            ['rejected', String(report.rejected)],
          ]),
    ]),
    '',
    ...(cases.length
      ? ['Cases to look at:', ...cases]
      : [`(The database was seeded from another seed than ${world.seed}.)`]),
    '',
    report.skipped
      ? 'The calls were queued for triage when the world was created.'
      : 'The month was played through the services: calls triaged, heard and logged, escalations acted on.',
  ];
  return lines.join('\n');
}

async function main(): Promise<void> {
  const args = parseSeedArgs(process.argv.slice(2), process.env);
  loadConfig(); // fail fast, naming every bad setting, before anything connects
  const started = Date.now();
  const log: Log = (message) =>
    console.log(`[seed:demo ${((Date.now() - started) / 1000).toFixed(1)}s] ${message}`);
  const world = buildDemoWorld(demoWorldOptions(args.seed, args.now));
  log(
    `world built for seed ${args.seed}: ${world.prisoners.length} prisoners, ` +
      `${world.authorisations.length} monitored, ${world.staff.length} staff`,
  );

  const app = await NestFactory.createApplicationContext(SeedModule, {
    logger: ['error', 'warn'],
  });
  try {
    const report = await seedDemo(app, world, log);
    const signIns = await signInTable(app, world, app.get(AppConfig).ADMIN_USERNAME);
    const cases = await notableCases(app, world);
    console.log(['', summary(world, report, cases), '', 'Sign-ins:', '', signIns, ''].join('\n'));
  } finally {
    await app.close();
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err instanceof ConfigError ? err.message : err);
    process.exit(1);
  });
}
