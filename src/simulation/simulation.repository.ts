import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** The SQL of the policy simulator: what it learns from an establishment's own logs. */
@Injectable()
export class SimulationRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * Seconds listeners spent on each call logged at the establishment in [from, to) (first versions
   * only: an amendment is not a second hearing), for OBSERVED handling. Through
   * monitoring_logs_establishment_idx.
   */
  async handlingSeconds(establishment: string, from: Date, to: Date): Promise<number[]> {
    const rows = await this.db.query<{ s: number }[]>(
      `SELECT handling_seconds AS s FROM monitoring_logs
       WHERE establishment_code = $1 AND created_at >= $2 AND created_at < $3
         AND version = 1 AND handling_seconds IS NOT NULL AND handling_seconds > 0
       ORDER BY created_at LIMIT 100000`,
      [establishment, from, to],
    );
    return rows.map((r) => r.s);
  }
}
