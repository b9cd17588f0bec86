import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService, SYSTEM_ACTOR } from '../audit/audit.service';
import { assertEstablishment, AuthUser, establishmentScope } from '../common/auth-user';
import { Clock } from '../common/clock';
import { DomainEvents } from '../common/domain-events';
import { Conflict, NotFound } from '../common/errors';
import { EstablishmentsService } from '../establishments/establishments.service';
import { DEFAULT_SETTINGS } from '../establishments/settings';
import {
  authorisationDraft,
  AuthorisationDraft,
  detectPatterns,
  MONITORING_KINDS,
  PairFacts,
} from './pattern-rules';
import { DismissPatternAlertDto, PatternAlertQuery } from './patterns.dto';
import { toPatternAlertResponse } from './patterns.mapper';
import { PatternAlertRow, PatternsRepository, WrittenAlert } from './patterns.repository';

/**
 * What must follow once alerts were raised, updated or dismissed and committed, given their
 * establishments (risk flags recompute CONSIDER_MONITORING). Registered with
 * `PatternsService.onAlertsChanged`: risk flags read the alerts, so this module cannot import them.
 */
export type AlertsChangedHook = (establishments: string[]) => Promise<unknown>;

const pairKey = (prisonNumber: string, dialledNumber: string) => `${prisonNumber}|${dialledNumber}`;

/**
 * Call-pattern alerts (rules and wording in pattern-rules.ts). The worker runs detectAfterBatch right
 * after triaging a batch; an alert that is not dismissed lifts that prisoner's waiting calls to that
 * number to P1 (the triage policy reads live alerts), and for a prisoner not on monitoring raises the
 * CONSIDER_MONITORING risk flag. Nothing here ever starts monitoring: the authorisation draft is a body
 * staff may submit themselves, and a privileged call stays EXCLUDED_PRIVILEGED whatever alert it carries.
 */
@Injectable()
export class PatternsService {
  private readonly logger = new Logger(PatternsService.name);
  private readonly alertsChangedHooks: AlertsChangedHook[] = [];

  constructor(
    private readonly db: DataSource,
    private readonly patterns: PatternsRepository,
    private readonly establishments: EstablishmentsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly events: DomainEvents,
  ) {}

  /** Registers what follows committed alert changes (at module init; see AlertsChangedHook). */
  onAlertsChanged(hook: AlertsChangedHook): void {
    this.alertsChangedHooks.push(hook);
  }

  /**
   * Looks for patterns in the call metadata of every (prisoner, number) pair of the batch, monitored
   * or not and whatever the calls' status, against the history before each call. New alerts are
   * raised, live ones updated when their evidence grew; then the prisoners concerned are re-scored,
   * all in one transaction. Idempotent: a second run over the same calls writes nothing.
   */
  async detectAfterBatch(batchId: string): Promise<{ raised: number; updated: number }> {
    const written = await this.db.transaction(async (m) => {
      const facts = await this.patterns.batchFacts(m, batchId);
      if (facts.length === 0) return [];
      await this.attachPrivilegedCalls(m, facts);
      const settings = await this.establishments.settingsFor(
        [...new Set(facts.map((f) => f.establishmentCode))],
        m,
      );
      const candidates = facts
        .flatMap((f) =>
          detectPatterns(f, (settings.get(f.establishmentCode) ?? DEFAULT_SETTINGS).patterns),
        )
        .sort(
          (a, b) =>
            a.prisonNumber.localeCompare(b.prisonNumber) ||
            a.dialledNumber.localeCompare(b.dialledNumber) ||
            a.kind.localeCompare(b.kind),
        );
      const rows = await this.patterns.upsert(m, candidates);
      if (rows.length === 0) return rows;
      await this.audit.recordMany(
        SYSTEM_ACTOR,
        rows.map((r) => ({
          action: r.inserted ? 'PATTERN_ALERT_RAISED' : 'PATTERN_ALERT_UPDATED',
          entityType: 'pattern_alert',
          entityId: r.id,
          establishmentCode: r.establishmentCode,
          details: {
            prisonNumber: r.prisonNumber,
            dialledNumber: r.dialledNumber,
            kind: r.kind,
            reason: r.reason,
            callCount: r.callCount,
            batchId,
          },
        })),
        m,
      );
      // An alert lifts tiers; it never makes a call unhearable, so held calls are left alone.
      await this.events.emit(
        'TRIAGE_FACTS_CHANGED',
        { affected: { prisonNumbers: rows.map((r) => r.prisonNumber) }, facts: ['PATTERN_ALERTS'] },
        m,
      );
      await this.announceNewAlerts(m, rows);
      return rows;
    });
    const raised = written.filter((r) => r.inserted).length;
    const updated = written.length - raised;
    if (written.length) {
      this.logger.log({ batchId, raised, updated }, 'Pattern alerts');
      await this.refreshFlags(written);
    }
    return { raised, updated };
  }

  async list(actor: AuthUser, q: PatternAlertQuery) {
    if (q.establishment) assertEstablishment(actor, q.establishment);
    const { rows, total } = await this.patterns.list(
      {
        establishments: establishmentScope(actor, q.establishment),
        status: q.status,
        kind: q.kind,
        prisonNumber: q.prisonNumber,
        limit: q.limit,
        offset: q.offset,
      },
      this.clock.now(),
    );
    await this.audit.recordReads(actor, 'PATTERN_ALERTS_READ', 'pattern_alert', rows, 'list');
    return { items: rows.map(toPatternAlertResponse), total };
  }

  async get(actor: AuthUser, id: string) {
    const row = await this.visible(actor, id);
    await this.audit.record(actor, {
      action: 'PATTERN_ALERTS_READ',
      entityType: 'pattern_alert',
      entityId: id,
      establishmentCode: row.establishmentCode,
      details: { prisonNumber: row.prisonNumber, kind: row.kind },
    });
    return toPatternAlertResponse(row);
  }

  /** Seen and being dealt with: still live, so the P1 lift and the flag stay. */
  async acknowledge(actor: AuthUser, id: string) {
    return this.change(actor, id, async (row, m) => {
      if (row.status === 'DISMISSED') throw new Conflict('This pattern alert was dismissed');
      if (row.status === 'OPEN') await this.patterns.acknowledge(m, id, actor.username);
      return { action: 'PATTERN_ALERT_ACKNOWLEDGED', details: {} };
    });
  }

  /** Not a concern: the P1 lift falls away at once (re-score in the same transaction). */
  async dismiss(actor: AuthUser, id: string, dto: DismissPatternAlertDto) {
    const reason = dto.reason.trim();
    const result = await this.change(actor, id, async (row, m) => {
      if (row.status === 'DISMISSED') throw new Conflict('This pattern alert is already dismissed');
      await this.patterns.dismiss(m, id, actor.username, reason);
      await this.events.emit(
        'TRIAGE_FACTS_CHANGED',
        { affected: { prisonNumbers: [row.prisonNumber] }, facts: ['PATTERN_ALERTS'] },
        m,
      );
      return { action: 'PATTERN_ALERT_DISMISSED', details: { reason } };
    });
    await this.refreshFlags([result]);
    return result;
  }

  /**
   * The authorisation request these alerts would support, for staff to read, change and submit
   * themselves (POST /api/prisoners/{prisonNumber}/monitoring-authorisations). Creates nothing.
   */
  async authorisationDraft(actor: AuthUser, id: string): Promise<AuthorisationDraft> {
    const row = await this.visible(actor, id);
    if (row.status === 'DISMISSED') throw new Conflict('This pattern alert was dismissed');
    if (row.kind === 'PRIVILEGED_SOCIAL_USE') {
      throw new Conflict(
        'Privileged calls are never monitored: this alert is for a security review of the number',
      );
    }
    const now = this.clock.now();
    const live = await this.patterns.liveForMonitoring(row.prisonNumber, now);
    const alerts = [row, ...live.filter((a) => a.id !== row.id)];
    const draft = authorisationDraft(
      {
        prisonNumber: row.prisonNumber,
        alertCodes: await this.patterns.prisonerAlertCodes(row.prisonNumber),
      },
      alerts,
      now,
    );
    await this.audit.record(actor, {
      action: 'PATTERN_ALERT_AUTHORISATION_DRAFTED',
      entityType: 'pattern_alert',
      entityId: id,
      establishmentCode: row.establishmentCode,
      details: { prisonNumber: row.prisonNumber, alertIds: alerts.map((a) => a.id) },
    });
    return draft;
  }

  /** New alerts that may support monitoring, per prisoner (a decision not to monitor reopens). */
  private async announceNewAlerts(m: EntityManager, rows: WrittenAlert[]): Promise<void> {
    const byPrisoner = new Map<string, WrittenAlert[]>();
    for (const r of rows) {
      if (!r.inserted || !MONITORING_KINDS.includes(r.kind)) continue;
      byPrisoner.set(r.prisonNumber, [...(byPrisoner.get(r.prisonNumber) ?? []), r]);
    }
    for (const [prisonNumber, alerts] of byPrisoner) {
      await this.events.emit(
        'PATTERN_ALERTS_RAISED',
        {
          prisonNumber,
          establishmentCode: alerts[0].establishmentCode,
          alertIds: alerts.map((a) => a.id),
          reasons: alerts.map((a) => a.reason),
        },
        m,
      );
    }
  }

  private async attachPrivilegedCalls(m: EntityManager, facts: PairFacts[]): Promise<void> {
    const privileged = facts.filter((f) => f.privilegedKind);
    const calls = await this.patterns.privilegedCalls(m, privileged);
    const byPair = new Map(privileged.map((f) => [pairKey(f.prisonNumber, f.dialledNumber), f]));
    for (const c of calls) {
      byPair.get(pairKey(c.prisonNumber, c.dialledNumber))?.privilegedCalls.push({
        startedAt: c.startedAt,
        durationSeconds: c.durationSeconds,
      });
    }
  }

  private async visible(actor: AuthUser, id: string): Promise<PatternAlertRow> {
    const row = await this.patterns.find(id, this.clock.now());
    if (!row) throw new NotFound(`No pattern alert ${id}`);
    assertEstablishment(actor, row.establishmentCode);
    return row;
  }

  /** Locks the alert, checks the actor's establishment, applies the change and audits it. */
  private async change(
    actor: AuthUser,
    id: string,
    apply: (
      row: PatternAlertRow,
      m: EntityManager,
    ) => Promise<{ action: string; details: Record<string, unknown> }>,
  ) {
    return this.db.transaction(async (m) => {
      const now = this.clock.now();
      const row = await this.patterns.lock(m, id, now);
      if (!row) throw new NotFound(`No pattern alert ${id}`);
      assertEstablishment(actor, row.establishmentCode);
      const { action, details } = await apply(row, m);
      await this.audit.record(
        actor,
        {
          action,
          entityType: 'pattern_alert',
          entityId: id,
          establishmentCode: row.establishmentCode,
          details: { prisonNumber: row.prisonNumber, kind: row.kind, ...details },
        },
        m,
      );
      return toPatternAlertResponse((await this.patterns.find(id, now, m))!);
    });
  }

  /**
   * Brings the CONSIDER_MONITORING flags of these alerts' establishments up to date at once (they are
   * also refreshed daily and on every read of the flags), so the prisoner's profile shows it within
   * the triage cycle: the risk-flags module's hook does it. A failure here loses nothing: the next
   * refresh finds the same facts.
   */
  private async refreshFlags(alerts: Pick<WrittenAlert, 'establishmentCode'>[]): Promise<void> {
    const establishments = [...new Set(alerts.map((a) => a.establishmentCode))];
    try {
      for (const hook of this.alertsChangedHooks) await hook(establishments);
    } catch (err) {
      this.logger.warn(
        { establishments, err: (err as Error).message },
        'Risk flags not refreshed after pattern alerts; the next refresh will catch up',
      );
    }
  }
}
