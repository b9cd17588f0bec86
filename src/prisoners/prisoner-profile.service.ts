import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { AuthUser } from '../common/auth-user';
import { Clock } from '../common/clock';
import { toKeyDatesResponse } from './prisoners.mapper';
import { PrisonersRepository } from './prisoners.repository';
import { PrisonersService, toContactResponse, toPrisonerResponse } from './prisoners.service';

/**
 * The parts of a prisoner's profile that other modules hold, by the field they fill: `monitoring`
 * the active authorisations (monitoring module), `riskFlags` the open flags (risk-flags module).
 * Each owner declares its field here by module augmentation, beside the reader it registers with
 * `PrisonerProfileService.addSection`: those modules read prisoners, so this one cannot import
 * them (or their response types) without a cycle, and the profile's type (and its OpenAPI schema)
 * still says what each section holds.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by augmentation
export interface ProfileSections {}

/** The sections a profile must have: one missing is an error, not an empty part that misleads. */
const REQUIRED_SECTIONS: readonly string[] = ['monitoring', 'riskFlags'];

/**
 * A prisoner's profile: the record, their contacts and key dates, with what monitoring and risk
 * flags hold about them (their sections). Their repositories stay theirs.
 */
@Injectable()
export class PrisonerProfileService {
  private readonly sections = new Map<string, (prisonNumber: string) => Promise<unknown>>();

  constructor(
    private readonly prisoners: PrisonersService,
    private readonly records: PrisonersRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** Registers the reader of one section (at module init, by the module that owns it). */
  addSection<K extends keyof ProfileSections>(
    name: K,
    read: (prisonNumber: string) => Promise<ProfileSections[K]>,
  ): void {
    this.sections.set(name, read);
  }

  async get(actor: AuthUser, prisonNumber: string) {
    const prisoner = await this.prisoners.findVisible(actor, prisonNumber);
    const [contacts, sections, keyDates] = await Promise.all([
      this.records.contacts(prisonNumber),
      this.sectionsOf(prisonNumber),
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
      contacts: contacts.map(toContactResponse),
      ...sections,
    };
  }

  /** Every section of the prisoner's profile, read by its owner's reader. */
  private async sectionsOf(prisonNumber: string): Promise<ProfileSections> {
    const missing = REQUIRED_SECTIONS.filter((name) => !this.sections.has(name));
    if (missing.length > 0) {
      throw new Error(`No module registered the ${missing.join(', ')} section of the profile`);
    }
    const read = [...this.sections].map(async ([name, reader]) => [
      name,
      await reader(prisonNumber),
    ]);
    return Object.fromEntries(await Promise.all(read)) as ProfileSections;
  }
}
