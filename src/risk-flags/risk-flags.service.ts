// Why this file is long: refresh, list and decide share the flag computation over every rule (one
// place that says what each flag reads); splitting them would scatter that one reading.
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { assertEstablishment, AuthUser, establishmentScope } from '../common/auth-user';
import { addDays, Clock } from '../common/clock';
import { Forbidden, NotFound, ValidationFailed } from '../common/errors';
import { EstablishmentsService, EstablishmentRow } from '../establishments/establishments.service';
import { MonitoringService } from '../monitoring/monitoring.service';
import { PatternsService } from '../patterns/patterns.service';
import { PrisonerProfileService } from '../prisoners/prisoner-profile.service';
import {
  addMonthsToDate,
  comNotAllocated,
  considerMonitoring,
  FlagText,
  FlagWindows,
  flagWindows,
  highRiskNotMonitored,
  logUnacknowledged,
  mappaL1ReviewOverdue,
  mappaLevelNotSet,
  londonDate,
  monitoringDecisionOverdue,
  monitoringExpired,
  monitoringReviewOverdue,
  noEligibleListener,
  noListenerForLanguage,
  pomCaseloadHigh,
  randomOnlyHighRisk,
  RiskFlagType,
  UNHEARD_PURGE_WARNING_DAYS,
  unheardPurgeDue,
} from './risk-flag-rules';
import { effectiveRetentionDays } from '../establishments/settings';
import { decisionCovers, flagFingerprint } from './flag-decisions';
import { FlagDecisionRow, FlagDecisionsRepository } from './flag-decisions.repository';
import { DecideRiskFlagDto, RiskFlagQuery } from './risk-flags.dto';
import { RiskFlagItem, toFlagDecisionResponse, toRiskFlagResponse } from './risk-flags.mapper';
import { ComputedFlag, RiskFlagsRepository, SyncResult } from './risk-flags.repository';
import { ListeningCoverRepository } from './listening-cover.repository';

export interface RefreshResult extends SyncResult {
  /** The establishments whose flags were refreshed. */
  establishments: string[];
  /** True when a refresh that began after this one was asked for had already done the work. */
  coalesced: boolean;
}

declare module '../prisoners/prisoner-profile.service' {
  interface ProfileSections {
    /** The prisoner's open risk flags (read by RiskFlagsService.openForPrisoner). */
    riskFlags: RiskFlagItem[];
  }
}

/**
 * Risk flags (DESIGN.md "Oversight figures"; wording and thresholds in risk-flag-rules.ts), stored in
 * risk_flags so that each has a history: first seen, last seen, resolved.
 *
 * Time comes from Clock and goes into SQL as a parameter, never SQL now(), so a fixed clock fixes
 * every figure. One open flag per (establishment, type, subject); the subject is what the flag is
 * about:
 * - MAPPA_LEVEL_NOT_SET_PRE_RELEASE (subject: prison number): MAPPA category set, level not set,
 *   earliest release date within the next 183 days, today inclusive. Since: release date − 183 days.
 * - MAPPA_L1_REVIEW_OVERDUE (prison number): MAPPA level 1 and the level never reviewed, or last
 *   reviewed more than 183 days ago. Since: the first day it was overdue (first seen, if never reviewed).
 * - COM_NOT_ALLOCATED (prison number): no community offender manager recorded, and the next release
 *   (earliestReleaseDate or a RELEASE key date, today on) within the establishment's
 *   comAllocationMonths (default 8.5). Since: release − those months.
 * - MONITORING_REVIEW_OVERDUE (authorisation id): an ACTIVE authorisation, not past its end date,
 *   whose review_due_at has passed. Since: review_due_at.
 * - MONITORING_EXPIRED (prison number): the prisoner's latest authorisation that reached its end date,
 *   still ACTIVE (about to be expired) or EXPIRED in the last 30 days, and no authorisation active now.
 *   Refreshing first runs MonitoringService.expireDue(), so listening stops at once and the
 *   prisoner's waiting calls leave the queue (it re-scores them). Since: ends_at.
 * - HIGH_RISK_NOT_MONITORED (prison number): alert code RDV or RSP, RoSH HIGH or VERY_HIGH, and no
 *   ACTIVE authorisation covering the phone now. Since: first seen.
 * - CONSIDER_MONITORING (prison number): a live (not dismissed) call-pattern alert, other than
 *   privileged social use, and no ACTIVE authorisation covering the phone now. Since: the first call
 *   behind the alerts. An alert never starts monitoring by itself; this flag asks someone to consider it.
 * - LOG_UNACKNOWLEDGED (escalation id): an escalation to the POM, or for the COM (the POM shares it),
 *   still OPEN after its due time.
 *   Since: due_at.
 * - POM_CASELOAD_HIGH (username; no prison number): a POM of the establishment with more of its
 *   prisoners than the establishment's pomCaseloadThreshold. Since: first seen.
 * - NO_LISTENER_FOR_LANGUAGE (language code; no prison number): calls AWAITING_TRANSLATION, by
 *   language. Since: the oldest waiting call's startedAt.
 * - UNHEARD_PURGE_DUE (prison number): calls not yet heard and not held that retention purges
 *   within 7 days (made more than retentionDays − 7 days ago). Since: 7 days before the oldest goes.
 * - MONITORING_DECISION_OVERDUE (decision id): a monitoring decision on arrival (src/decisions) still
 *   DUE after its due time, the prisoner still there. Since: the due time.
 * - NO_ELIGIBLE_LISTENER (prison number): waiting calls that no current listener of the call's
 *   establishment may take (active, trainings unexpired today, language, no conflict of interest);
 *   with their count and what they need. Since: the oldest call's startedAt.
 * - RANDOM_ONLY_HIGH_RISK (prison number): MAPPA level 2/3 or RoSH very high, and a channel that only
 *   RANDOM authorisations active now cover. Since: the start of that monitoring.
 * Prisoner-linked flags belong to the prisoner's current establishment.
 *
 * A decision on a flag (ACTIONED, ACCEPTED_RISK; `decide`) takes it off the open list until its
 * review date, or until its facts change (flag-decisions.ts); `include=decided` lists them with it.
 */
@Injectable()
export class RiskFlagsService implements OnModuleInit {
  private readonly logger = new Logger(RiskFlagsService.name);

  constructor(
    private readonly db: DataSource,
    private readonly riskFlags: RiskFlagsRepository,
    private readonly flagDecisions: FlagDecisionsRepository,
    private readonly cover: ListeningCoverRepository,
    private readonly monitoring: MonitoringService,
    private readonly establishments: EstablishmentsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly patterns: PatternsService,
    private readonly profiles: PrisonerProfileService,
  ) {}

  onModuleInit(): void {
    this.profiles.addSection('riskFlags', (prisonNumber) => this.openForPrisoner(prisonNumber));
    // New or dismissed pattern alerts change CONSIDER_MONITORING: recompute their establishments'.
    this.patterns.onAlertsChanged((establishments) => this.refresh(establishments));
  }

  /**
   * Recomputes every flag of these establishments (null: all) and stores the result: flags still
   * present are updated (detail, last seen), new ones raised, ones no longer present resolved.
   * Idempotent: a second run at the same instant changes nothing but last_seen_at. The daily worker
   * job calls `refresh(null)`; reads call it for the establishments they show.
   *
   * Refreshes run one at a time. Twenty people opening the flags at once would otherwise compute
   * them twenty times in a row, the last waiting seconds for the lock (the benchmark's wide reads
   * answered 503 at the lock timeout): a caller who gets the lock after a refresh of its
   * establishments that began after it asked uses that refresh's result (`coalesced`).
   */
  async refresh(establishments: string[] | null): Promise<RefreshResult> {
    // An expired authorisation stops listening at once: expire (and re-score) before reporting.
    await this.monitoring.expireDue();
    const known = await this.establishments.list(establishments);
    const codes = known.map((e) => e.code);
    const nothing = { raised: 0, updated: 0, resolved: 0 };
    if (codes.length === 0) return { establishments: [], ...nothing, coalesced: false };
    const now = this.clock.now();
    const result = await this.db.transaction(async (m) => {
      const arrivedAt = await this.riskFlags.databaseNow(m);
      if (await this.riskFlags.lockRefresh(m, codes, arrivedAt)) {
        return { ...nothing, coalesced: true };
      }
      const beganAt = await this.riskFlags.databaseNow(m);
      const flags = await this.compute(m, known, now);
      const synced = await this.riskFlags.sync(m, codes, flags, now);
      await this.riskFlags.markRefreshed(m, codes, beganAt);
      return { ...synced, coalesced: false };
    });
    if (result.raised || result.resolved) {
      this.logger.log({ establishments: codes.length, ...result }, 'Refreshed risk flags');
    }
    return { establishments: codes, ...result };
  }

  /**
   * Open flags for the establishments the actor may see (or the one asked for), refreshed first.
   * Reading flags names prisoners: one audit event per establishment shown.
   */
  async list(actor: AuthUser, q: Pick<RiskFlagQuery, 'establishment' | 'type' | 'include'>) {
    if (q.establishment) assertEstablishment(actor, q.establishment);
    const scope = establishmentScope(actor, q.establishment);
    const { establishments } = await this.refresh(scope);
    const open = await this.riskFlags.listOpen(establishments, q.type);
    const inForce = await this.flagDecisions.inForce(establishments, londonDate(this.clock.now()));
    const decisionOf = (r: (typeof open)[number]): FlagDecisionRow | null =>
      inForce.find(
        (d) =>
          d.establishmentCode === r.establishmentCode &&
          d.type === r.type &&
          d.prisonNumber === r.prisonNumber &&
          decisionCovers(d.flags, r),
      ) ?? null;
    const withDecisions = open.map((r) => ({ row: r, decision: decisionOf(r) }));
    const shownRows =
      q.include === 'decided' ? withDecisions : withDecisions.filter((r) => !r.decision);
    const rows = shownRows.map((r) => r.row);
    if (establishments.length) {
      await this.audit.recordMany(
        actor,
        establishments.map((code) => {
          const shown = rows.filter((r) => r.establishmentCode === code);
          const prisonNumbers = [
            ...new Set(shown.flatMap((r) => (r.prisonNumber ? [r.prisonNumber] : []))),
          ];
          return {
            action: 'RISK_FLAGS_READ',
            entityType: 'establishment',
            entityId: code,
            establishmentCode: code,
            details: { type: q.type ?? null, flags: shown.length, prisonNumbers },
            // The audit search by prisoner finds the read too.
            subjectIds: prisonNumbers,
          };
        }),
      );
    }
    return {
      // `decision` only when asked for: the open list's items keep their shape.
      items: shownRows.map((r) =>
        q.include === 'decided'
          ? {
              ...toRiskFlagResponse(r.row),
              decision: r.decision ? toFlagDecisionResponse(r.decision) : null,
            }
          : toRiskFlagResponse(r.row),
      ),
      total: rows.length,
    };
  }

  /**
   * A decision on the open flags of one type about one prisoner (every subject: each authorisation
   * or escalation flagged). Flags are refreshed first, so the facts decided on are today's.
   * 404 when no such flag is open; 403 when it is at an establishment the actor does not have.
   */
  async decide(actor: AuthUser, dto: DecideRiskFlagDto) {
    const today = londonDate(this.clock.now());
    const asDate = new Date(`${dto.reviewBy}T00:00:00Z`);
    if (Number.isNaN(asDate.getTime()) || asDate.toISOString().slice(0, 10) !== dto.reviewBy)
      throw ValidationFailed.field('reviewBy', 'must be a real date');
    if (dto.reviewBy <= today) throw ValidationFailed.field('reviewBy', `must be after ${today}`);
    await this.refresh(establishmentScope(actor));
    // Decided ones too: a flag may be decided again (a new rationale or review date).
    const flags = (await this.riskFlags.openForPrisoner(dto.prisonNumber, null)).filter(
      (f) => f.type === dto.type,
    );
    if (flags.length === 0) {
      throw new NotFound(`No open ${dto.type} flag about ${dto.prisonNumber}`);
    }
    const establishmentCode = flags[0].establishmentCode;
    assertEstablishment(actor, establishmentCode);
    if (!actor.roles.includes('HEAD_OF_OMU') && !actor.roles.includes('SECURITY_MANAGER')) {
      throw new Forbidden(
        'Only a head of offender management or security manager decides on flags',
      );
    }
    return this.db.transaction(async (m) => {
      const row = await this.flagDecisions.insert(m, {
        establishmentCode,
        type: dto.type,
        prisonNumber: dto.prisonNumber,
        decision: dto.decision,
        rationale: dto.rationale,
        reviewBy: dto.reviewBy,
        flags: flags.map((f) => ({ subject: f.subject, fingerprint: f.fingerprint })),
        decidedBy: actor.username,
        decidedAt: this.clock.now(),
      });
      await this.audit.record(
        actor,
        {
          action: 'RISK_FLAG_DECIDED',
          entityType: 'risk_flag_decision',
          entityId: row.id,
          establishmentCode,
          details: {
            type: dto.type,
            prisonNumber: dto.prisonNumber,
            decision: dto.decision,
            reviewBy: dto.reviewBy,
            subjects: flags.map((f) => f.subject),
          },
          subjectIds: [dto.prisonNumber],
        },
        m,
      );
      return toFlagDecisionResponse(row);
    });
  }

  /**
   * Open flags naming this prisoner that no decision in force hides, as of the last refresh (no
   * refresh and no audit here: the caller shows them as part of a read it audits).
   */
  async openForPrisoner(prisonNumber: string): Promise<RiskFlagItem[]> {
    return (await this.riskFlags.openForPrisoner(prisonNumber, londonDate(this.clock.now()))).map(
      toRiskFlagResponse,
    );
  }

  /** One query per flag type across the establishments; wording from risk-flag-rules.ts. */
  private async compute(
    m: EntityManager,
    establishments: EstablishmentRow[],
    now: Date,
  ): Promise<ComputedFlag[]> {
    const codes = establishments.map((e) => e.code);
    const w: FlagWindows = flagWindows(now);
    // `facts`: what a decision on the flag holds on to, when not its detail (flag-decisions.ts).
    const flag = (
      type: RiskFlagType,
      at: { establishmentCode: string; prisonNumber: string | null; subject: string },
      text: FlagText,
      facts?: unknown,
    ): ComputedFlag => ({
      type,
      ...at,
      ...text,
      fingerprint: flagFingerprint(type, at.subject, facts ?? text.detail),
    });

    const notSet = await this.riskFlags.mappaLevelNotSet(m, codes, w);
    const l1 = await this.riskFlags.mappaL1ReviewOverdue(m, codes, w);
    const comMonths = new Map(establishments.map((e) => [e.code, e.settings.comAllocationMonths]));
    const noCom = await this.riskFlags.comNotAllocated(
      m,
      codes,
      w.today,
      codes.map((c) => addMonthsToDate(w.today, comMonths.get(c)!)),
    );
    const reviews = await this.riskFlags.monitoringReviewOverdue(m, codes, now);
    const expired = await this.riskFlags.monitoringExpired(m, codes, now, w);
    const overdueDecisions = await this.riskFlags.monitoringDecisionsOverdue(m, codes, now);
    const highRisk = await this.riskFlags.highRiskNotMonitored(m, codes, now);
    const patterns = await this.riskFlags.patternAlertsNotMonitored(m, codes, now);
    const escalations = await this.riskFlags.unacknowledgedPomEscalations(m, codes, now);
    const caseloads = await this.riskFlags.pomCaseloadsAbove(
      m,
      codes,
      establishments.map((e) => e.settings.pomCaseloadThreshold),
    );
    const languages = await this.riskFlags.callsAwaitingTranslation(m, codes);
    const retentionDays = new Map(
      establishments.map((e) => [e.code, effectiveRetentionDays(e.settings.retentionDays)]),
    );
    const purges = await this.riskFlags.unheardMadeBefore(
      m,
      codes,
      codes.map((c) => addDays(now, UNHEARD_PURGE_WARNING_DAYS - retentionDays.get(c)!)),
    );

    const stuck = await this.cover.noEligibleListener(m, codes, w.today);
    const randomOnly = await this.cover.randomOnlyHighRisk(m, codes, now);

    const ofPrisoner = (f: { establishmentCode: string; prisonNumber: string }) => ({
      establishmentCode: f.establishmentCode,
      prisonNumber: f.prisonNumber,
      subject: f.prisonNumber,
    });
    return [
      ...notSet.map((f) =>
        flag('MAPPA_LEVEL_NOT_SET_PRE_RELEASE', ofPrisoner(f), mappaLevelNotSet(f, w.today), [
          f.mappaCategory,
          f.releaseDate,
        ]),
      ),
      ...l1.map((f) =>
        flag('MAPPA_L1_REVIEW_OVERDUE', ofPrisoner(f), mappaL1ReviewOverdue(f, w.today), [
          f.reviewedOn,
        ]),
      ),
      ...noCom.map((f) =>
        flag(
          'COM_NOT_ALLOCATED',
          ofPrisoner(f),
          comNotAllocated(
            { releaseDate: f.releaseDate, months: comMonths.get(f.establishmentCode)! },
            w.today,
          ),
          [f.releaseDate],
        ),
      ),
      ...reviews.map((f) =>
        flag(
          'MONITORING_REVIEW_OVERDUE',
          { ...ofPrisoner(f), subject: f.authorisationId },
          monitoringReviewOverdue(f, w.today),
          [f.reviewDueAt, [...f.channels].sort()],
        ),
      ),
      ...expired.map((f) =>
        flag('MONITORING_EXPIRED', ofPrisoner(f), monitoringExpired(f), [
          f.authorisationId,
          f.endsAt,
        ]),
      ),
      ...overdueDecisions.map((f) =>
        flag(
          'MONITORING_DECISION_OVERDUE',
          { ...ofPrisoner(f), subject: f.decisionId },
          monitoringDecisionOverdue(f),
          [f.dueAt],
        ),
      ),
      ...highRisk.map((f) =>
        flag('HIGH_RISK_NOT_MONITORED', ofPrisoner(f), highRiskNotMonitored(f)),
      ),
      ...patterns.map((f) => flag('CONSIDER_MONITORING', ofPrisoner(f), considerMonitoring(f))),
      ...escalations.map((f) =>
        flag(
          'LOG_UNACKNOWLEDGED',
          { ...ofPrisoner(f), subject: f.escalationId },
          logUnacknowledged(f),
        ),
      ),
      ...caseloads.map((f) =>
        flag(
          'POM_CASELOAD_HIGH',
          { establishmentCode: f.establishmentCode, prisonNumber: null, subject: f.username },
          pomCaseloadHigh(f),
        ),
      ),
      ...languages.map((f) =>
        flag(
          'NO_LISTENER_FOR_LANGUAGE',
          { establishmentCode: f.establishmentCode, prisonNumber: null, subject: f.language },
          noListenerForLanguage(f),
        ),
      ),
      ...purges.map((f) =>
        flag(
          'UNHEARD_PURGE_DUE',
          ofPrisoner(f),
          unheardPurgeDue({
            ...f,
            purgeFrom: addDays(f.oldestStartedAt, retentionDays.get(f.establishmentCode)!),
          }),
        ),
      ),
      ...stuck.map((f) => flag('NO_ELIGIBLE_LISTENER', ofPrisoner(f), noEligibleListener(f))),
      ...randomOnly.map((f) => flag('RANDOM_ONLY_HIGH_RISK', ofPrisoner(f), randomOnlyHighRisk(f))),
    ];
  }
}
