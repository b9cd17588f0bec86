import { Client } from 'pg';
import { hashPassword } from '../../src/common/passwords';
import { canonicalPhoneNumber, normalisePhoneNumber } from '../../src/common/phone-numbers';
import { buildDemoWorld, DemoWorld } from '../../src/demo/demo-world';
import { deriveRiskFromAlertCodes } from '../../src/prisoners/alert-codes';
import { log } from './util';

export const BENCH_PASSWORD = 'bench-password-1';

export interface WorldScale {
  establishments: number;
  prisonersPerEstablishment: number;
  monitoredShare: number;
  /** Days of calls the generator covers (enough to yield the calls the run ingests). */
  days: number;
}

export function buildWorld(scale: WorldScale, now: Date): DemoWorld {
  return buildDemoWorld({
    seed: 20261127,
    now,
    establishments: scale.establishments,
    prisonersPerEstablishment: scale.prisonersPerEstablishment,
    monitoredShare: scale.monitoredShare,
    days: scale.days,
    callsPerPrisonerPerDay: 2.4,
    meanDurationSeconds: 414, // 6.9 minutes, the 2023 national average
    externalIdPrefix: 'BENCH',
    scenarios: true,
  });
}

/** Inserts rows given as objects through jsonb_to_recordset, in chunks. */
async function insertJson(
  db: Client,
  table: string,
  columns: Record<string, string>,
  rows: readonly Record<string, unknown>[],
  chunk = 20_000,
): Promise<void> {
  const names = Object.keys(columns);
  const defs = names.map((n) => `${n} ${columns[n]}`).join(', ');
  for (let i = 0; i < rows.length; i += chunk) {
    await db.query(
      `INSERT INTO ${table} (${names.join(', ')})
       SELECT ${names.join(', ')} FROM jsonb_to_recordset($1::jsonb) AS t(${defs})`,
      [JSON.stringify(rows.slice(i, i + chunk))],
    );
  }
}

/**
 * Reference data of the world, written set-based straight into the migrated database: the same rows
 * the HTTP API would store (numbers normalised, MAPPA and RoSH derived from alert codes,
 * authorisations requested by one person and approved by another). Only setup: every measured
 * path goes through the running product.
 */
export async function loadReferenceData(db: Client, world: DemoWorld): Promise<void> {
  const hash = await hashPassword(BENCH_PASSWORD);

  await insertJson(
    db,
    'establishments',
    { code: 'text', name: 'text' },
    world.establishments.map((e) => ({ code: e.code, name: e.name })),
  );
  await insertJson(
    db,
    'staff',
    {
      username: 'text',
      display_name: 'text',
      password_hash: 'text',
      roles: 'text[]',
      establishments: 'text[]',
      trainings: 'text[]',
      languages: 'text[]',
    },
    world.staff.map((s) => ({
      username: s.username,
      display_name: s.displayName,
      password_hash: hash,
      roles: s.roles,
      establishments: s.establishments,
      trainings: s.trainings,
      languages: s.languages,
    })),
  );
  log(`${world.establishments.length} establishments, ${world.staff.length} staff`);

  await insertJson(
    db,
    'privileged_numbers',
    {
      phone_number: 'text',
      organisation: 'text',
      kind: 'text',
      establishment_code: 'text',
      created_by: 'text',
    },
    world.privilegedNumbers.map((p) => {
      const parsed = canonicalPhoneNumber(p.phoneNumber);
      if (!parsed.ok) throw new Error(`bad privileged number ${p.phoneNumber}`);
      return {
        phone_number: parsed.e164,
        organisation: p.organisation,
        kind: p.kind,
        establishment_code: p.establishmentCode ?? null,
        created_by: 'bench',
      };
    }),
  );

  await insertJson(
    db,
    'prisoners',
    {
      prison_number: 'text',
      first_name: 'text',
      last_name: 'text',
      establishment_code: 'text',
      alert_codes: 'text[]',
      mappa_category: 'smallint',
      mappa_level: 'smallint',
      rosh_level: 'text',
      earliest_release_date: 'date',
      pom_username: 'text',
      lead_listener_username: 'text',
      languages: 'text[]',
    },
    world.prisoners.map((p) => {
      const alertCodes = [...new Set(p.body.alertCodes.map((c) => c.toUpperCase()))];
      const risk = deriveRiskFromAlertCodes(alertCodes);
      return {
        prison_number: p.prisonNumber,
        first_name: p.body.firstName,
        last_name: p.body.lastName,
        establishment_code: p.body.establishmentCode,
        alert_codes: alertCodes,
        mappa_category: risk.mappaCategory,
        mappa_level: risk.mappaLevel,
        rosh_level: risk.roshLevel,
        earliest_release_date: p.body.earliestReleaseDate,
        pom_username: p.body.pomUsername,
        lead_listener_username: p.body.leadListenerUsername,
        languages: p.body.languages.length ? p.body.languages : ['en'],
      };
    }),
  );
  log(`${world.prisoners.length} prisoners`);

  const contacts = world.prisoners.flatMap((p) =>
    p.contacts.map((c) => ({
      prison_number: p.prisonNumber,
      name: c.name,
      relationship: c.relationship,
      phone_numbers: [
        ...new Set(
          c.phoneNumbers.map((n) => {
            const parsed = normalisePhoneNumber(n);
            if (!parsed.ok) throw new Error(`bad contact number ${n}`);
            return parsed.e164;
          }),
        ),
      ],
      is_victim: c.isVictim,
      is_child: c.isChild,
      restriction: c.restriction,
      source: 'STAFF',
      source_username: 'bench',
    })),
  );
  await insertJson(
    db,
    'contacts',
    {
      prison_number: 'text',
      name: 'text',
      relationship: 'text',
      phone_numbers: 'text[]',
      is_victim: 'boolean',
      is_child: 'boolean',
      restriction: 'text',
      source: 'text',
      source_username: 'text',
    },
    contacts,
  );
  log(`${contacts.length} contacts`);

  const nowMs = new Date(world.now).getTime();
  await insertJson(
    db,
    'monitoring_authorisations',
    {
      prison_number: 'text',
      establishment_code: 'text',
      type: 'text',
      grounds: 'text[]',
      channels: 'text[]',
      justification: 'text',
      status: 'text',
      requested_by: 'text',
      requested_at: 'timestamptz',
      approved_by: 'text',
      approved_at: 'timestamptz',
      approval_note: 'text',
      starts_at: 'timestamptz',
      review_due_at: 'timestamptz',
      lookback_days: 'int',
    },
    world.authorisations.map((a) => ({
      prison_number: a.prisonNumber,
      establishment_code: a.establishmentCode,
      type: a.body.type,
      grounds: a.body.grounds,
      channels: a.body.channels,
      justification: a.body.justification,
      status: 'ACTIVE',
      requested_by: a.requestedBy,
      requested_at: a.body.startsAt,
      approved_by: a.approvedBy,
      approved_at: a.body.startsAt,
      approval_note: a.approvalNote,
      starts_at: a.body.startsAt,
      review_due_at: new Date(nowMs + 30 * 86_400_000).toISOString(),
      lookback_days: a.body.lookbackDays,
    })),
  );
  log(`${world.authorisations.length} monitoring authorisations (active)`);
  // What autovacuum (off on this machine) does after a bulk load: statistics, the visibility map, and
  // the GIN pending list of contacts' numbers, which left unflushed made each lookup by number ~9 ms.
  await db.query('VACUUM (ANALYZE)');
}
