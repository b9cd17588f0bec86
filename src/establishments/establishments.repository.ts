import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Queryable } from '../db/sql';
import { EstablishmentSettings, resolveSettings } from './settings';

export interface EstablishmentRow {
  code: string;
  name: string;
  settings: EstablishmentSettings;
}

@Injectable()
export class EstablishmentsRepository {
  constructor(private readonly db: DataSource) {}

  async upsert(code: string, name: string): Promise<{ created: boolean }> {
    const rows: { created: boolean }[] = await this.db.query(
      `INSERT INTO establishments (code, name) VALUES ($1, $2)
       ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, updated_at = now()
       RETURNING (xmax = 0) AS created`,
      [code, name],
    );
    return rows[0];
  }

  /** Pass the transaction's manager when reading inside one. */
  async find(code: string, db: Queryable = this.db): Promise<EstablishmentRow | null> {
    const rows: { code: string; name: string; settings: unknown }[] = await db.query(
      `SELECT code, name, settings FROM establishments WHERE code = $1`,
      [code],
    );
    return rows[0] ? { ...rows[0], settings: resolveSettings(rows[0].settings) } : null;
  }

  async list(codes: string[] | null, db: Queryable = this.db): Promise<EstablishmentRow[]> {
    const rows: { code: string; name: string; settings: unknown }[] = await db.query(
      `SELECT code, name, settings FROM establishments
       WHERE $1::char(3)[] IS NULL OR code = ANY($1) ORDER BY code`,
      [codes],
    );
    return rows.map((r) => ({ ...r, settings: resolveSettings(r.settings) }));
  }

  async existing(codes: string[]): Promise<Set<string>> {
    const rows: { code: string }[] = await this.db.query(
      `SELECT code FROM establishments WHERE code = ANY($1)`,
      [codes],
    );
    return new Set(rows.map((r) => r.code));
  }

  async settingsFor(
    codes: string[],
    db: Queryable = this.db,
  ): Promise<Map<string, EstablishmentSettings>> {
    const rows = await this.list(codes, db);
    return new Map(rows.map((r) => [r.code, r.settings]));
  }

  /** The stored (partial) settings, locked for change; null when there is no such establishment. */
  async lockSettings(m: EntityManager, code: string): Promise<Record<string, unknown> | null> {
    const rows = await m.query<{ settings: Record<string, unknown> }[]>(
      `SELECT settings FROM establishments WHERE code = $1 FOR UPDATE`,
      [code],
    );
    return rows[0]?.settings ?? null;
  }

  async saveSettings(m: EntityManager, code: string, settings: object): Promise<void> {
    await m.query(
      `UPDATE establishments SET settings = $2::jsonb, updated_at = now() WHERE code = $1`,
      [code, JSON.stringify(settings)],
    );
  }
}
