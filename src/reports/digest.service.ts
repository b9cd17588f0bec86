import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService, SYSTEM_ACTOR } from '../audit/audit.service';
import { assertEstablishment, AuthUser, establishmentScope, hasRole } from '../common/auth-user';
import { Clock } from '../common/clock';
import { Forbidden, NotFound, ValidationFailed } from '../common/errors';
import { Page } from '../common/pagination';
import { WorkingCalendar } from '../common/working-days';
import { LogsService, type LogRow } from '../logs/logs.service';
import { PrisonerRow, PrisonersService } from '../prisoners/prisoners.service';
import { DigestSentDto, DisclosureQuery } from './digest.dto';
import { DisclosureRow, DisclosuresRepository } from './disclosures.repository';
import { buildMonitoringSummary, SummaryFormat } from './monitoring-summary';
import {
  buildPreReleaseDigest,
  digestHash,
  digestPeriod,
  DisclosureKind,
  PreReleaseDigest,
} from './pre-release-digest';
import { ReportsService } from './reports.service';

/** A send recorded a few minutes "in the future" is a clock difference, not a mistake. */
const SENT_CLOCK_SKEW_MS = 5 * 60_000;

/** A disclosure in the register: what was sent, to whom, when, by whom, over which period. */
export interface DisclosureResponse {
  id: string;
  kind: DisclosureKind;
  establishmentCode: string;
  prisonNumber: string;
  prisonerName: string;
  to: string;
  analysis: string;
  sentAt: string;
  sentBy: string;
  /** The sender's display name, beside their username (null if no longer on the staff list). */
  sentByName: string | null;
  period: { from: string; to: string };
  /** SHA-256 of the canonical JSON of the digest as sent (see `digestHash`). */
  contentSha256: string;
  recordedAt: string;
}

/** One disclosure with the digest exactly as it was sent. */
export interface DisclosureWithDigest extends DisclosureResponse {
  digest: PreReleaseDigest;
}

export function toDisclosureResponse(r: DisclosureRow): DisclosureResponse {
  return {
    id: r.id,
    kind: r.kind,
    establishmentCode: r.establishmentCode,
    prisonNumber: r.prisonNumber,
    prisonerName: r.prisonerName,
    to: r.to,
    analysis: r.analysis,
    sentAt: r.sentAt.toISOString(),
    sentBy: r.sentBy,
    sentByName: r.sentByName,
    period: { from: r.periodFrom.toISOString(), to: r.periodTo.toISOString() },
    contentSha256: r.contentSha256,
    recordedAt: r.recordedAt.toISOString(),
  };
}

/** What the digest discloses, for every audit row about it. */
const DISCLOSURE = 'INTERCEPTED_MATERIAL';

/**
 * The pre-release monitoring digest for the community offender manager: the draft (read by the
 * prisoner's own POM or a head of OMU, every read audited as a disclosure of intercepted material),
 * its sending (registered in `disclosures` with a snapshot of what went), the register, and the
 * daily mark that a digest is due at the handover date.
 */
@Injectable()
export class PreReleaseDigestService {
  constructor(
    private readonly db: DataSource,
    private readonly reports: ReportsService,
    private readonly disclosures: DisclosuresRepository,
    private readonly prisoners: PrisonersService,
    private readonly logs: LogsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** The display names of the staff a digest names (`documentStaff`), by username. */
  staffNames(usernames: readonly string[]): Promise<Map<string, string>> {
    return this.reports.staffNames(usernames);
  }

  /** The prisoner's own POM or a head of OMU (of the prisoner's establishment) handles the digest. */
  mayHandle(actor: AuthUser, prisoner: Pick<PrisonerRow, 'pomUsername'>): boolean {
    if (hasRole(actor, 'HEAD_OF_OMU')) return true;
    return hasRole(actor, 'POM') && prisoner.pomUsername === actor.username;
  }

  /** The draft as it stands now (the last six months), audited as a disclosure read. */
  async draft(
    actor: AuthUser,
    prisonNumber: string,
    format: SummaryFormat,
  ): Promise<PreReleaseDigest> {
    const now = this.clock.now();
    const built = await this.db.transaction('REPEATABLE READ', (m) =>
      this.build(m, actor, prisonNumber, now),
    );
    await this.logs.auditReads(actor, built.logs, built.prisoner, 'pre-release-digest');
    await this.audit.record(actor, {
      action: 'PRE_RELEASE_DIGEST_READ',
      entityType: 'prisoner',
      entityId: prisonNumber,
      establishmentCode: built.prisoner.establishmentCode,
      details: {
        disclosure: DISCLOSURE,
        format,
        from: built.digest.period.from,
        to: built.digest.period.to,
        logs: built.logs.length,
        contentSha256: digestHash(built.digest),
      },
    });
    return built.digest;
  }

  /**
   * Records that the digest was sent: the digest as it stands now, with the POM's analysis, goes
   * into the register (its snapshot and hash), closes any "digest due" mark, and is audited as a
   * disclosure of intercepted material, all in one transaction.
   */
  async markSent(
    actor: AuthUser,
    prisonNumber: string,
    dto: DigestSentDto,
  ): Promise<DisclosureResponse> {
    const now = this.clock.now();
    const to = dto.to.trim();
    const analysis = dto.analysis.trim();
    if (!to) throw ValidationFailed.field('to', 'must not be blank');
    if (!analysis) throw ValidationFailed.field('analysis', 'must not be blank');
    if (dto.sentAt.getTime() > now.getTime() + SENT_CLOCK_SKEW_MS)
      throw ValidationFailed.field('sentAt', 'must not be in the future');

    const id = await this.db.transaction('REPEATABLE READ', async (m) => {
      const built = await this.build(m, actor, prisonNumber, now);
      const contentSha256 = digestHash(built.digest);
      const disclosureId = await this.disclosures.insert(m, {
        establishmentCode: built.prisoner.establishmentCode,
        prisonNumber,
        kind: 'PRE_RELEASE_DIGEST',
        to,
        analysis,
        sentAt: dto.sentAt,
        sentBy: actor.username,
        periodFrom: new Date(built.digest.period.from),
        periodTo: new Date(built.digest.period.to),
        contentSha256,
        snapshot: built.digest,
      });
      const closed = await this.disclosures.closeDue(m, prisonNumber, disclosureId);
      await this.audit.record(
        actor,
        {
          action: 'PRE_RELEASE_DIGEST_SENT',
          entityType: 'disclosure',
          entityId: disclosureId,
          establishmentCode: built.prisoner.establishmentCode,
          details: {
            disclosure: DISCLOSURE,
            prisonNumber,
            to,
            sentAt: dto.sentAt.toISOString(),
            from: built.digest.period.from,
            until: built.digest.period.to,
            contentSha256,
            logIds: built.logs.map((l) => l.id),
            dueClosed: closed,
          },
          subjectIds: [prisonNumber, ...built.logs.map((l) => l.id)],
        },
        m,
      );
      return disclosureId;
    });
    return toDisclosureResponse((await this.disclosures.find(id))!);
  }

  /** The register of disclosures of the user's establishments (or the one asked for). */
  async register(actor: AuthUser, q: DisclosureQuery): Promise<Page<DisclosureResponse>> {
    if (q.establishment) assertEstablishment(actor, q.establishment);
    const { rows, total } = await this.disclosures.list({
      establishments: establishmentScope(actor, q.establishment),
      prisonNumber: q.prisonNumber,
      limit: q.limit,
      offset: q.offset,
    });
    await this.audit.recordReads(
      actor,
      'DISCLOSURES_READ',
      'disclosure',
      rows.map((r) => ({
        id: r.id,
        establishmentCode: r.establishmentCode,
        prisonNumber: r.prisonNumber,
      })),
      'disclosures-register',
      { disclosure: DISCLOSURE },
    );
    return { items: rows.map(toDisclosureResponse), total };
  }

  /** One disclosure with the digest as sent: reading it again is a disclosure read too. */
  async disclosure(actor: AuthUser, id: string): Promise<DisclosureWithDigest> {
    const row = await this.disclosures.find(id);
    if (!row) throw new NotFound(`No disclosure ${id}`);
    assertEstablishment(actor, row.establishmentCode);
    await this.audit.record(actor, {
      action: 'DISCLOSURE_READ',
      entityType: 'disclosure',
      entityId: id,
      establishmentCode: row.establishmentCode,
      details: { disclosure: DISCLOSURE, prisonNumber: row.prisonNumber },
      subjectIds: [row.prisonNumber],
    });
    return { ...toDisclosureResponse(row), digest: row.snapshot };
  }

  /**
   * The daily job: a digest is due for every prisoner whose handover date is today (London) or has
   * passed, once per handover date. Each mark is audited by `system`; a second run adds nothing.
   */
  async markDigestsDue(): Promise<{ marked: number }> {
    const today = WorkingCalendar.londonDate(this.clock.now());
    const marked = await this.disclosures.markDue(today);
    if (marked.length)
      await this.audit.recordMany(
        SYSTEM_ACTOR,
        marked.map((d) => ({
          action: 'PRE_RELEASE_DIGEST_DUE',
          entityType: 'prisoner',
          entityId: d.prisonNumber,
          establishmentCode: d.establishmentCode,
          details: { today },
        })),
      );
    return { marked: marked.length };
  }

  /** Of these prisoners, those whose digest is due and not yet sent (prison number → handover date). */
  due(prisonNumbers: string[]): Promise<Map<string, string>> {
    return this.disclosures.due(prisonNumbers);
  }

  private async build(
    m: EntityManager,
    actor: AuthUser,
    prisonNumber: string,
    now: Date,
  ): Promise<{ digest: PreReleaseDigest; logs: LogRow[]; prisoner: PrisonerRow }> {
    const prisoner = await this.prisoners.find(prisonNumber, m);
    if (!prisoner) throw new NotFound(`No prisoner ${prisonNumber}`);
    assertEstablishment(actor, prisoner.establishmentCode);
    if (!this.mayHandle(actor, prisoner))
      throw new Forbidden(
        'Only the prisoner’s POM or a head of offender management may read or send their pre-release digest',
      );
    const period = digestPeriod(now);
    const facts = await this.reports.summaryFacts(m, prisoner, period);
    const summary = buildMonitoringSummary({
      ...facts,
      period,
      generatedAt: now,
      generatedBy: actor.username,
    });
    const contactsHeard = await this.disclosures.contactsHeard(m, prisonNumber, period);
    const identifiedContacts = await this.disclosures.identifiedContacts(m, prisonNumber, period);
    const identificationTasks = await this.disclosures.identificationTasks(m, prisonNumber, period);
    const digest = buildPreReleaseDigest({
      summary,
      com: prisoner.com,
      handoverDate: prisoner.handoverDate,
      contactsHeard,
      logs: facts.logs,
      identifiedContacts,
      identificationTasks,
    });
    return { digest, logs: facts.logs, prisoner };
  }
}
