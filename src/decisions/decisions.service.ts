import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService, SYSTEM_ACTOR } from '../audit/audit.service';
import { assertEstablishment, AuthUser, establishmentScope, hasRole } from '../common/auth-user';
import { Clock } from '../common/clock';
import { DomainEventPayloads, DomainEvents } from '../common/domain-events';
import { Conflict, Forbidden, NotFound, ValidationFailed } from '../common/errors';
import { AUTHORISER_ROLES } from '../common/vocabulary';
import { englandAndWalesCalendar, WorkingCalendar } from '../common/working-days';
import { EstablishmentsService } from '../establishments/establishments.service';
import { DEFAULT_SETTINGS } from '../establishments/settings';
import { MonitoringService } from '../monitoring/monitoring.service';
import { PrisonersService } from '../prisoners/prisoners.service';
import { markersInWords } from '../prisoners/protection-markers';
import { DecideMonitoringDto, MonitoringDecisionQuery } from './decisions.dto';
import { toDecisionResponse } from './decisions.mapper';
import { DecisionRow, DecisionsRepository } from './decisions.repository';

/**
 * Monitoring decisions on arrival (issue 14). When a prisoner with a public-protection marker first
 * appears at an establishment (created there, or transferred in), a security manager or head of OMU
 * must decide within `arrivalDecisionWorkingDays` working days whether to monitor: MONITOR opens a
 * monitoring request (approved by a second person, as any request), DO_NOT_MONITOR records why not.
 *
 * Rules, in one place:
 * - Opened in the transaction of the prisoner's change (PRISONER_CHANGED), by the system, unless an
 *   authorisation is ACTIVE now for the prisoner at that establishment (a REQUESTED one does not
 *   count: nobody has yet decided it), and never twice: at most one DUE decision per prisoner and
 *   establishment, and a re-sent prisoner who has not moved is not an arrival.
 * - A new marker on a prisoner already there (an alert code, MAPPA level 2/3, RoSH high, a victim
 *   contact) opens one too, under the same conditions.
 * - A decision not to monitor is reopened by a new pattern alert that may support monitoring, or a
 *   new marker: a new DUE decision that names the old one in `reopens`; the old one stays as decided.
 * - Overdue (DUE past due) is the risk flag MONITORING_DECISION_OVERDUE (src/risk-flags).
 */
@Injectable()
export class DecisionsService implements OnModuleInit {
  private readonly logger = new Logger(DecisionsService.name);
  private readonly calendar: WorkingCalendar = englandAndWalesCalendar();

  constructor(
    private readonly db: DataSource,
    private readonly decisions: DecisionsRepository,
    private readonly prisoners: PrisonersService,
    private readonly monitoring: MonitoringService,
    private readonly establishments: EstablishmentsService,
    private readonly audit: AuditService,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.events.on('PRISONER_CHANGED', (p, m) => this.prisonerChanged(p, m));
    this.events.on('PATTERN_ALERTS_RAISED', (p, m) => this.patternAlertsRaised(p, m));
  }

  async list(actor: AuthUser, q: MonitoringDecisionQuery) {
    this.assertDecider(actor);
    if (q.establishment) assertEstablishment(actor, q.establishment);
    const { rows, total } = await this.decisions.list({
      establishments: establishmentScope(actor, q.establishment),
      status: q.status,
      limit: q.limit,
      offset: q.offset,
    });
    await this.audit.recordReads(
      actor,
      'MONITORING_DECISION_READ',
      'monitoring_decision',
      rows,
      'list',
    );
    const now = this.clock.now();
    return { items: rows.map((r) => toDecisionResponse(r, now)), total };
  }

  /** How many decisions wait for the actor (0 unless they decide) at this establishment (or all). */
  async countDue(actor: AuthUser, establishment?: string): Promise<number> {
    if (!hasRole(actor, ...AUTHORISER_ROLES)) return 0;
    if (establishment) assertEstablishment(actor, establishment);
    return this.decisions.countDue(establishmentScope(actor, establishment));
  }

  async get(actor: AuthUser, id: string) {
    this.assertDecider(actor);
    const row = await this.decisions.find(id);
    if (!row) throw new NotFound(`No monitoring decision ${id}`);
    assertEstablishment(actor, row.establishmentCode);
    await this.audit.record(actor, {
      action: 'MONITORING_DECISION_READ',
      entityType: 'monitoring_decision',
      entityId: id,
      establishmentCode: row.establishmentCode,
      details: { prisonNumber: row.prisonNumber },
    });
    return toDecisionResponse(row, this.clock.now());
  }

  /**
   * Decides a DUE decision. MONITOR requires `authorisation` and opens that request in the same
   * transaction (MonitoringService.request: its validation, its audit); DO_NOT_MONITOR takes none.
   */
  async decide(actor: AuthUser, id: string, dto: DecideMonitoringDto) {
    this.assertDecider(actor);
    if (dto.decision === 'MONITOR' && !dto.authorisation) {
      throw ValidationFailed.field(
        'authorisation',
        'MONITOR needs the monitoring request to open (type, grounds, channels, justification)',
      );
    }
    if (dto.decision === 'DO_NOT_MONITOR' && dto.authorisation) {
      throw ValidationFailed.field('authorisation', 'only with MONITOR');
    }
    return this.db.transaction(async (m) => {
      const row = await this.decisions.lock(m, id);
      if (!row) throw new NotFound(`No monitoring decision ${id}`);
      assertEstablishment(actor, row.establishmentCode);
      if (row.status !== 'DUE')
        throw new Conflict(`This decision was already made (${row.decision})`);
      const prisoner = await this.prisoners.find(row.prisonNumber, m);
      if (prisoner?.establishmentCode !== row.establishmentCode) {
        throw new Conflict(`${row.prisonNumber} is no longer at ${row.establishmentCode}`);
      }
      const authorisation = dto.authorisation
        ? await this.monitoring.request(actor, row.prisonNumber, dto.authorisation, m)
        : null;
      const decided = await this.decisions.decide(m, id, {
        decision: dto.decision,
        rationale: dto.rationale,
        decidedBy: actor.username,
        decidedAt: this.clock.now(),
        authorisationId: authorisation?.id ?? null,
      });
      await this.audit.record(
        actor,
        {
          action: 'MONITORING_DECISION_MADE',
          entityType: 'monitoring_decision',
          entityId: id,
          establishmentCode: row.establishmentCode,
          details: {
            prisonNumber: row.prisonNumber,
            decision: dto.decision,
            authorisationId: authorisation?.id ?? null,
          },
        },
        m,
      );
      return { ...toDecisionResponse(decided, this.clock.now()), authorisation };
    });
  }

  private assertDecider(actor: AuthUser) {
    if (!hasRole(actor, ...AUTHORISER_ROLES)) {
      throw new Forbidden(
        'Only a security manager or head of offender management decides on monitoring',
      );
    }
  }

  private async prisonerChanged(
    p: DomainEventPayloads['PRISONER_CHANGED'],
    m: EntityManager,
  ): Promise<void> {
    if (p.markers.length === 0) return;
    const arrived = p.arrivedFrom !== undefined;
    if (!arrived && p.newMarkers.length === 0) return;
    const latest = await this.decisions.latest(m, p.prisonNumber, p.establishmentCode);
    if (latest?.status === 'DUE') return;
    const reason = arrived
      ? p.arrivedFrom
        ? `Transferred in from ${p.arrivedFrom} with: ${markersInWords(p.markers)}`
        : `Arrived with: ${markersInWords(p.markers)}`
      : `New marker: ${markersInWords(p.newMarkers)}`;
    // An arrival starts afresh; a new marker reopens a decision not to monitor made here.
    const reopens = !arrived && latest?.decision === 'DO_NOT_MONITOR' ? latest : null;
    await this.open(m, p.prisonNumber, p.establishmentCode, p.markers, reason, reopens, {
      cause: arrived ? 'ARRIVAL' : 'NEW_MARKER',
      arrivedFrom: p.arrivedFrom ?? null,
      newMarkers: p.newMarkers,
    });
  }

  private async patternAlertsRaised(
    p: DomainEventPayloads['PATTERN_ALERTS_RAISED'],
    m: EntityManager,
  ): Promise<void> {
    const latest = await this.decisions.latest(m, p.prisonNumber, p.establishmentCode);
    if (latest?.decision !== 'DO_NOT_MONITOR') return;
    const more = p.reasons.length > 1 ? ` (and ${p.reasons.length - 1} more)` : '';
    await this.open(
      m,
      p.prisonNumber,
      p.establishmentCode,
      latest.markers,
      `Pattern alert: ${p.reasons[0]}${more}`,
      latest,
      { cause: 'PATTERN_ALERT', alertIds: p.alertIds },
    );
  }

  /** Opens a DUE decision unless monitoring is active there already; audited as the system's. */
  private async open(
    m: EntityManager,
    prisonNumber: string,
    establishmentCode: string,
    markers: string[],
    reason: string,
    reopens: DecisionRow | null,
    details: Record<string, unknown>,
  ): Promise<void> {
    if (await this.monitoring.isActiveAt(prisonNumber, establishmentCode, m)) return;
    const now = this.clock.now();
    const settings =
      (await this.establishments.find(establishmentCode, m))?.settings ?? DEFAULT_SETTINGS;
    const fullReason = reopens
      ? `${reason}; reopens the decision of ${WorkingCalendar.londonDate(reopens.decidedAt!)} not to monitor`
      : reason;
    const row = await this.decisions.open(m, {
      prisonNumber,
      establishmentCode,
      reason: fullReason,
      markers,
      openedAt: now,
      dueAt: this.calendar.addWorkingDays(now, settings.arrivalDecisionWorkingDays),
      reopens: reopens?.id ?? null,
    });
    if (!row) return;
    await this.audit.record(
      SYSTEM_ACTOR,
      {
        action: reopens ? 'MONITORING_DECISION_REOPENED' : 'MONITORING_DECISION_OPENED',
        entityType: 'monitoring_decision',
        entityId: row.id,
        establishmentCode,
        details: { prisonNumber, markers, reopens: reopens?.id ?? null, ...details },
        subjectIds: [prisonNumber],
      },
      m,
    );
    this.logger.log(
      { prisonNumber, establishmentCode, reopens: reopens?.id },
      'Monitoring decision opened',
    );
  }
}
