import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';

/** Fewest milliseconds between two analyses by one process (each samples 30,000 rows, about a second). */
const MIN_INTERVAL_MS = 15_000;

/**
 * Keeps the calls table's statistics up with bulk loads. The claim's plan (an ordered walk of the
 * queue index) is chosen on them; planned on the statistics of a much smaller table, or of one whose
 * calls were still RECEIVED, a claim sorted 147,000 pending rows and took 658 ms. Autovacuum would
 * catch up in time, but it may be off or minutes behind a load of a million calls, so triage asks
 * after each batch (refresh_call_statistics decides, by autovacuum's rule; see its migration), at
 * most once per interval, and once more at the end of the interval when it had to wait, so that the
 * state after the last batch of a load is analysed too.
 */
@Injectable()
export class CallStatistics implements OnApplicationShutdown {
  private readonly logger = new Logger(CallStatistics.name);
  private lastAnalysedAt = 0;
  private deferred: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: DataSource,
    private readonly config: AppConfig,
  ) {}

  /** Called outside any transaction (it runs on the pool). Never throws: the statistics can wait. */
  async refreshIfStale(): Promise<boolean> {
    const wait = this.lastAnalysedAt + MIN_INTERVAL_MS - Date.now();
    if (wait > 0) {
      this.deferred ??= setTimeout(() => {
        this.deferred = null;
        void this.refreshIfStale();
      }, wait).unref();
      return false;
    }
    try {
      const rows = await this.db.query<{ analysed: boolean }[]>(
        `SELECT refresh_call_statistics($1) AS analysed`,
        [this.config.ANALYZE_AFTER_CHANGES],
      );
      const analysed = rows[0]?.analysed === true;
      if (analysed) {
        this.lastAnalysedAt = Date.now();
        this.logger.log('Analysed calls after a bulk change');
      }
      return analysed;
    } catch (err) {
      this.logger.warn(`Could not refresh the statistics of calls: ${(err as Error).message}`);
      return false;
    }
  }

  onApplicationShutdown(): void {
    if (this.deferred) clearTimeout(this.deferred);
    this.deferred = null;
  }
}
