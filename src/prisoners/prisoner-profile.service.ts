import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { AuthUser } from '../common/auth-user';
import { Clock } from '../common/clock';
import { MonitoringService } from '../monitoring/monitoring.service';
import { RiskFlagsService } from '../risk-flags/risk-flags.service';
import { toKeyDatesResponse } from './prisoners.mapper';
import { PrisonersRepository } from './prisoners.repository';
import { PrisonersService, toContactResponse, toPrisonerResponse } from './prisoners.service';

/**
 * A prisoner's profile: the record, their contacts and key dates, with what monitoring and risk
 * flags hold about them. Apart from PrisonersService because MonitoringService (and RiskFlagsService
 * through it) use PrisonersService: reading through those services here makes no DI cycle, and
 * their repositories stay theirs.
 */
@Injectable()
export class PrisonerProfileService {
  constructor(
    private readonly prisoners: PrisonersService,
    private readonly records: PrisonersRepository,
    private readonly monitoring: MonitoringService,
    private readonly riskFlags: RiskFlagsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async get(actor: AuthUser, prisonNumber: string) {
    const prisoner = await this.prisoners.findVisible(actor, prisonNumber);
    const [contacts, monitoring, riskFlags, keyDates] = await Promise.all([
      this.records.contacts(prisonNumber),
      this.monitoring.activeForPrisoner(prisonNumber),
      this.riskFlags.openForPrisoner(prisonNumber),
      this.records.keyDates(prisonNumber),
    ]);
    await this.audit.record(actor, {
      action: 'PRISONER_READ',
      entityType: 'prisoner',
      entityId: prisonNumber,
      establishmentCode: prisoner.establishmentCode,
    });
    return {
      ...toPrisonerResponse(prisoner),
      ...toKeyDatesResponse(keyDates, prisoner.earliestReleaseDate, this.clock.now()),
      monitoring,
      riskFlags,
      contacts: contacts.map(toContactResponse),
    };
  }
}
