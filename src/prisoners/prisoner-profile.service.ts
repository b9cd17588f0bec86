import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { AuthUser } from '../common/auth-user';
import { Clock } from '../common/clock';
import { toKeyDatesResponse } from './prisoners.mapper';
import { PrisonersRepository } from './prisoners.repository';
import { PrisonersService, toContactResponse, toPrisonerResponse } from './prisoners.service';

/** The parts of a prisoner's profile that other modules hold, by the field they fill. */
export type ProfileSectionName = 'monitoring' | 'riskFlags';

/**
 * Reads one part of a prisoner's profile, mapped for the response: `monitoring` the active
 * authorisations (monitoring module), `riskFlags` the open flags (risk-flags module). Registered
 * with `PrisonerProfileService.addSection` by the module that owns it: those modules read
 * prisoners, so this one cannot import them without a cycle.
 */
export type ProfileSection = (prisonNumber: string) => Promise<readonly unknown[]>;

/**
 * A prisoner's profile: the record, their contacts and key dates, with what monitoring and risk
 * flags hold about them (their sections). Their repositories stay theirs.
 */
@Injectable()
export class PrisonerProfileService {
  private readonly sections = new Map<ProfileSectionName, ProfileSection>();

  constructor(
    private readonly prisoners: PrisonersService,
    private readonly records: PrisonersRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** Registers the reader of one section (at module init, by the module that owns it). */
  addSection(name: ProfileSectionName, read: ProfileSection): void {
    this.sections.set(name, read);
  }

  async get(actor: AuthUser, prisonNumber: string) {
    const prisoner = await this.prisoners.findVisible(actor, prisonNumber);
    const [contacts, monitoring, riskFlags, keyDates] = await Promise.all([
      this.records.contacts(prisonNumber),
      this.section('monitoring')(prisonNumber),
      this.section('riskFlags')(prisonNumber),
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

  /** A section's reader; a missing one is an error, not an empty section that would mislead. */
  private section(name: ProfileSectionName): ProfileSection {
    const read = this.sections.get(name);
    if (!read) throw new Error(`No module registered the ${name} section of the prisoner profile`);
    return read;
  }
}
