import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { assertEstablishment, AuthUser } from '../common/auth-user';
import { Clock } from '../common/clock';
import { NotFound, ValidationFailed } from '../common/errors';
import { LogsService } from '../logs/logs.service';
import { PrisonerRow, PrisonersService } from '../prisoners/prisoners.service';
import { StaffService } from '../staff/staff.service';
import {
  buildMonitoringSummary,
  MonitoringSummary,
  namedContactIds,
  resolvePeriod,
  SummaryFacts,
  SummaryFormat,
} from './monitoring-summary';
import { Period, ReportsRepository } from './reports.repository';

/**
 * The monitoring summary for MAPPA (the prison's communications contribution to a MAPPA F report):
 * read from one snapshot, built by pure code, audited as a read of the prisoner and of every log it
 * draws on.
 */
@Injectable()
export class ReportsService {
  constructor(
    private readonly db: DataSource,
    private readonly reports: ReportsRepository,
    private readonly prisoners: PrisonersService,
    private readonly logs: LogsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly staff: StaffService,
  ) {}

  /** The display names of the staff a document names (`documentStaff`), by username. */
  staffNames(usernames: readonly string[]): Promise<Map<string, string>> {
    return this.staff.displayNames(usernames);
  }

  async monitoringSummary(
    actor: AuthUser,
    prisonNumber: string,
    q: { from?: Date; to?: Date; format: SummaryFormat },
  ): Promise<MonitoringSummary> {
    const generatedAt = this.clock.now();
    const checked = resolvePeriod(generatedAt, q.from, q.to);
    if (!checked.ok) throw ValidationFailed.field(checked.field, checked.message);
    const period = checked.period;

    // One snapshot, so that the counts agree with the lists.
    const facts = await this.db.transaction('REPEATABLE READ', async (m) => {
      const prisoner = await this.prisoners.find(prisonNumber, m);
      if (!prisoner) throw new NotFound(`No prisoner ${prisonNumber}`);
      assertEstablishment(actor, prisoner.establishmentCode);
      return this.summaryFacts(m, prisoner, period);
    });

    await this.logs.auditReads(actor, facts.logs, facts.prisoner, 'monitoring-summary');
    await this.audit.record(actor, {
      action: 'MONITORING_SUMMARY_READ',
      entityType: 'prisoner',
      entityId: prisonNumber,
      establishmentCode: facts.prisoner.establishmentCode,
      details: {
        from: period.from.toISOString(),
        to: period.to.toISOString(),
        format: q.format,
        logs: facts.logs.length,
      },
    });

    return buildMonitoringSummary({
      ...facts,
      period,
      generatedAt,
      generatedBy: actor.username,
    });
  }

  /**
   * The facts of the summary of one prisoner over a period, read with the caller's manager (so from
   * the caller's snapshot): the MAPPA summary's, and the pre-release digest's, which adds its own.
   * Not audited: the caller audits what it shows.
   */
  async summaryFacts(
    m: EntityManager,
    prisoner: PrisonerRow,
    period: Period,
  ): Promise<Omit<SummaryFacts, 'period' | 'generatedAt' | 'generatedBy'>> {
    const prisonNumber = prisoner.prisonNumber;
    const establishmentName = await this.reports.establishmentName(m, prisoner.establishmentCode);
    const authorisations = await this.reports.authorisations(m, prisonNumber, period);
    const reviews = await this.reports.reviews(
      m,
      authorisations.map((a) => a.id),
    );
    const communications = await this.reports.communications(m, prisonNumber, period);
    const logs = await this.logs.byIds(
      await this.reports.currentLogIds(m, prisonNumber, period),
      m,
    );
    const contacts = await this.reports.contactsOfConcern(
      m,
      prisonNumber,
      period,
      namedContactIds(logs),
    );
    const escalations = await this.reports.escalations(m, prisonNumber, period);
    return {
      prisoner,
      establishmentName,
      authorisations,
      reviews,
      communications,
      logs,
      contacts,
      escalations,
    };
  }
}
