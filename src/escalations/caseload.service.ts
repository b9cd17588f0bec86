import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { AuthUser } from '../common/auth-user';
import { ValidationFailed } from '../common/errors';
import { CaseloadEntry, CaseloadRepository } from './caseload.repository';
import {
  CASELOAD_SEARCH_MAX_LENGTH,
  type CaseloadCounts,
  type CaseloadFilter,
  type CaseloadSort,
  caseloadCounts,
  matchesCaseloadFilter,
  sortCaseload,
} from './caseload-view';

export type { CaseloadEntry } from './caseload.repository';

/** One page of the caseload: a filter, an order (most urgent first without one), a window. */
export interface CaseloadPageQuery extends CaseloadFilter {
  sort?: CaseloadSort;
  order?: 'asc' | 'desc';
  limit: number;
  offset: number;
}

export interface CaseloadPage {
  items: CaseloadEntry[];
  /** How many match the filter. */
  total: number;
  /** The whole caseload's counts, whatever the filter. */
  caseload: CaseloadCounts;
}

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
    const rows = await this.caseloadOf(actor, establishment);
    await this.recordShown(actor, rows);
    return { items: rows, total: rows.length };
  }

  /**
   * One page of the POM's prisoners that match `query`, with the whole caseload's counts. A caseload
   * is at most a hundred or so: it is read whole and narrowed here. Only the page's prisoners are
   * shown, so only they are audited.
   */
  async page(
    actor: AuthUser,
    establishment: string | undefined,
    query: CaseloadPageQuery,
  ): Promise<CaseloadPage> {
    if ((query.search ?? '').length > CASELOAD_SEARCH_MAX_LENGTH) {
      throw ValidationFailed.field(
        'search',
        `must be ${CASELOAD_SEARCH_MAX_LENGTH} characters or fewer`,
      );
    }
    const rows = await this.caseloadOf(actor, establishment);
    const matching = sortCaseload(
      rows.filter((e) => matchesCaseloadFilter(e, query)),
      query.sort,
      query.order ?? 'asc',
    );
    const items = matching.slice(query.offset, query.offset + query.limit);
    await this.recordShown(actor, items);
    return { items, total: matching.length, caseload: caseloadCounts(rows) };
  }

  private caseloadOf(actor: AuthUser, establishment: string | undefined) {
    return this.caseload.caseloadOf(
      actor.username,
      establishment ? [establishment] : actor.establishments.length ? actor.establishments : null,
    );
  }

  private recordShown(actor: AuthUser, rows: readonly CaseloadEntry[]) {
    return this.audit.recordReads(
      actor,
      'PRISONER_READ',
      'prisoner',
      rows.map((r) => ({ id: r.prisonNumber, establishmentCode: r.establishmentCode })),
      'caseload',
    );
  }
}
