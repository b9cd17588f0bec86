import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { EscalationNoticeMode, Role } from '../common/vocabulary';
import { TrainingRecord } from './training-records';

export interface StaffRow {
  username: string;
  displayName: string;
  passwordHash: string | null;
  roles: Role[];
  establishments: string[];
  /** Every training held, with its dates (expired ones too: the page shows them as expired). */
  trainingRecords: TrainingRecord[];
  languages: string[];
  /** An inactive account cannot sign in, and its tokens and sessions stop working. */
  active: boolean;
  /** Where notifications are emailed (none: they cannot be). */
  email: string | null;
  notifications: { escalations: EscalationNoticeMode };
}

/** What a request may do, read again at every request (through the auth layer's short cache). */
export interface StaffAccessRow {
  username: string;
  roles: Role[];
  establishments: string[];
  active: boolean;
}

/** The trainings as records: codes with the dates at the same place in the parallel arrays. */
const COLUMNS = `username, display_name AS "displayName", password_hash AS "passwordHash", roles,
  establishments, languages, active, email,
  jsonb_build_object('escalations', notify_escalations) AS notifications,
  coalesce((SELECT jsonb_agg(jsonb_build_object('code', u.code, 'completedOn', u.completed_on,
      'expiresOn', u.expires_on) ORDER BY u.n)
    FROM unnest(trainings, training_completed_on, training_expires_on) WITH ORDINALITY
      AS u(code, completed_on, expires_on, n)
    WHERE u.code IS NOT NULL), '[]'::jsonb) AS "trainingRecords"`;

/** The records as the staff row's parallel arrays ($-parameters text[], date[], date[]). */
const trainingArrays = (records: readonly TrainingRecord[]) => [
  records.map((r) => r.code),
  records.map((r) => r.completedOn),
  records.map((r) => r.expiresOn),
];

@Injectable()
export class StaffRepository {
  constructor(private readonly db: DataSource) {}

  async find(username: string): Promise<StaffRow | null> {
    const rows: StaffRow[] = await this.db.query(
      `SELECT ${COLUMNS} FROM staff WHERE username = $1`,
      [username],
    );
    return rows[0] ?? null;
  }

  /** Username → display name for those that exist, in one query. */
  async displayNames(usernames: readonly string[]): Promise<Map<string, string>> {
    if (usernames.length === 0) return new Map();
    const rows: { username: string; displayName: string }[] = await this.db.query(
      `SELECT username, display_name AS "displayName" FROM staff WHERE username = ANY($1)`,
      [usernames],
    );
    return new Map(rows.map((r) => [r.username, r.displayName]));
  }

  async findAccess(username: string): Promise<StaffAccessRow | null> {
    const rows: StaffAccessRow[] = await this.db.query(
      `SELECT username, roles, establishments, active FROM staff WHERE username = $1`,
      [username],
    );
    return rows[0] ?? null;
  }

  /**
   * Creates or replaces the profile; the password hash is kept when none is given, and so is the
   * active flag (a client that does not know of it never reactivates an account by accident).
   */
  async upsert(
    m: EntityManager,
    row: Omit<StaffRow, 'passwordHash' | 'active' | 'email' | 'notifications'> & {
      passwordHash?: string | null;
      active?: boolean;
      /** Omitted: kept; null: removed. */
      email?: string | null;
      /** Omitted: kept (IMMEDIATE for a new account). */
      notifications?: { escalations: EscalationNoticeMode };
    },
  ): Promise<void> {
    const [codes, completedOn, expiresOn] = trainingArrays(row.trainingRecords);
    await m.query(
      `INSERT INTO staff (username, display_name, password_hash, roles, establishments, trainings,
                          languages, active, training_completed_on, training_expires_on, email,
                          notify_escalations)
       VALUES ($1, $2, $3, $4, $5, $6, $7, COALESCE($8, true), $9::date[], $10::date[], $12,
               COALESCE($13, 'IMMEDIATE'))
       ON CONFLICT (username) DO UPDATE SET
         display_name = EXCLUDED.display_name,
         password_hash = COALESCE(EXCLUDED.password_hash, staff.password_hash),
         roles = EXCLUDED.roles, establishments = EXCLUDED.establishments,
         trainings = EXCLUDED.trainings, training_completed_on = EXCLUDED.training_completed_on,
         training_expires_on = EXCLUDED.training_expires_on, languages = EXCLUDED.languages,
         active = COALESCE($8, staff.active),
         email = CASE WHEN $11::boolean THEN EXCLUDED.email ELSE staff.email END,
         notify_escalations = COALESCE($13, staff.notify_escalations), updated_at = now()`,
      [
        row.username,
        row.displayName,
        row.passwordHash ?? null,
        row.roles,
        row.establishments,
        codes,
        row.languages,
        row.active ?? null,
        completedOn,
        expiresOn,
        row.email !== undefined,
        row.email ?? null,
        row.notifications?.escalations ?? null,
      ],
    );
  }

  /** Changes only how notifications reach the member of staff (their own settings page). */
  async setNotifications(
    m: EntityManager,
    username: string,
    email: string | null,
    mode: EscalationNoticeMode,
  ): Promise<void> {
    await m.query(
      `UPDATE staff SET email = $2, notify_escalations = $3, updated_at = now() WHERE username = $1`,
      [username, email, mode],
    );
  }

  /** Inserts only when absent (bootstrap of the admin account must not reset a changed password). */
  async insertIfAbsent(
    row: Omit<StaffRow, 'active' | 'email' | 'notifications'>,
  ): Promise<boolean> {
    const [codes, completedOn, expiresOn] = trainingArrays(row.trainingRecords);
    const rows: unknown[] = await this.db.query(
      `INSERT INTO staff (username, display_name, password_hash, roles, establishments, trainings, languages,
                          training_completed_on, training_expires_on)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::date[], $9::date[])
       ON CONFLICT (username) DO NOTHING RETURNING username`,
      [
        row.username,
        row.displayName,
        row.passwordHash,
        row.roles,
        row.establishments,
        codes,
        row.languages,
        completedOn,
        expiresOn,
      ],
    );
    return rows.length > 0;
  }

  async list(filter: {
    establishments: string[] | null;
    role?: Role;
    limit: number;
    offset: number;
  }) {
    const where = `($1::text[] IS NULL OR establishments && $1) AND ($2::text IS NULL OR $2 = ANY(roles))`;
    const params = [filter.establishments, filter.role ?? null];
    const [rows, count] = await Promise.all([
      this.db.query<StaffRow[]>(
        `SELECT ${COLUMNS} FROM staff WHERE ${where} ORDER BY username LIMIT $3 OFFSET $4`,
        [...params, filter.limit, filter.offset],
      ),
      this.db.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM staff WHERE ${where}`, params),
    ]);
    return { rows, total: count[0].n };
  }
}
