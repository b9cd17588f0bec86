import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { AuthUser } from '../common/auth-user';
import { CaseloadRepository } from './caseload.repository';

export type { CaseloadEntry } from './caseload.repository';

/** The POM's caseload: what needs reading and acting on, prisoner by prisoner. */
@Injectable()
export class CaseloadService {
  constructor(
    private readonly caseload: CaseloadRepository,
    private readonly audit: AuditService,
  ) {}

  /**
   * The POM's prisoners, at `establishment` only when given (the workbench's chosen one). Reading the
   * caseload is one audit row naming every prisoner it showed.
   */
  async mine(actor: AuthUser, establishment?: string) {
    const rows = await this.caseload.caseloadOf(
      actor.username,
      establishment ? [establishment] : actor.establishments.length ? actor.establishments : null,
    );
    await this.audit.recordReads(
      actor,
      'PRISONER_READ',
      'prisoner',
      rows.map((r) => ({ id: r.prisonNumber, establishmentCode: r.establishmentCode })),
      'caseload',
    );
    return { items: rows, total: rows.length };
  }
}
