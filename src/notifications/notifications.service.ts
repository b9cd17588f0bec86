import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { assertEstablishment, AuthUser, establishmentScope } from '../common/auth-user';
import { Clock } from '../common/clock';
import { DomainEventPayloads, DomainEvents } from '../common/domain-events';
import { NotFound, ValidationFailed } from '../common/errors';
import { POM_ASSIGNED_TARGETS } from '../common/vocabulary';
import { WorkingCalendar } from '../common/working-days';
import { AppConfig } from '../config/app-config';
import { EstablishmentsService } from '../establishments/establishments.service';
import { DEFAULT_SETTINGS } from '../establishments/settings';
import {
  DIGEST_HOUR_LONDON,
  DUTY_TARGETS,
  escalationPersonalisation,
  londonHour,
} from './notification-rules';
import { DutyRotaQuery, NotificationQuery, PutDutyRotaDto } from './notifications.dto';
import {
  NewNotification,
  NotificationRow,
  NotificationsRepository,
  Recipient,
} from './notifications.repository';

/** An escalation raised or reopened, as the outbox needs it (no content of the log). */
export type EscalationNotice = DomainEventPayloads['ESCALATION_RAISED'];

export function toNotificationResponse(row: NotificationRow) {
  return {
    id: row.id,
    kind: row.kind,
    to: row.recipientEmail,
    recipient: row.recipientUsername,
    establishmentCode: row.establishmentCode,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.status === 'QUEUED' ? row.nextAttemptAt : null,
    lastError: row.lastError,
    sentAt: row.sentAt,
    notifyId: row.notifyId,
    createdAt: row.createdAt,
  };
}

/**
 * The outbox's writing side and its reads: who an escalation's email goes to (written in the
 * escalation's own transaction), the daily digest, the duty rota, and the list for oversight.
 */
@Injectable()
export class NotificationsService implements OnModuleInit {
  private readonly logger = new Logger(NotificationsService.name);

  constructor(
    private readonly db: DataSource,
    private readonly notifications: NotificationsRepository,
    private readonly establishments: EstablishmentsService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly events: DomainEvents,
  ) {}

  onModuleInit(): void {
    this.events.on('ESCALATION_RAISED', (notice, m) => this.escalationRaised(m, notice));
  }

  /**
   * Queues the emails an escalation raised or reopened owes, inside its transaction (`m`): the
   * POM it is assigned to for a POM or COM escalation (unless they take escalations in the daily
   * digest), the duty security contact for a security or safer-custody one (always at once; with
   * nobody on the rota, the establishment's security managers). A recipient with no email address
   * gets a FAILED row, so that the gap shows on the notifications list.
   */
  async escalationRaised(m: EntityManager, e: EscalationNotice): Promise<void> {
    const now = this.clock.now();
    let recipients: Recipient[] = [];
    if (POM_ASSIGNED_TARGETS.includes(e.target) && e.assignee) {
      const pom = await this.notifications.recipient(m, e.assignee);
      if (pom && pom.mode === 'IMMEDIATE') recipients = [pom];
    } else if (DUTY_TARGETS.includes(e.target)) {
      recipients = await this.notifications.onDuty(m, e.establishmentCode, now);
      if (!recipients.length) {
        recipients = await this.notifications.withRole(m, e.establishmentCode, 'SECURITY_MANAGER');
        this.logger.warn(
          { establishmentCode: e.establishmentCode, escalationId: e.escalationId },
          'Nobody on the duty rota: the security managers are told',
        );
      }
    }
    if (!recipients.length) return;
    const settings =
      (await this.establishments.find(e.establishmentCode, m))?.settings ?? DEFAULT_SETTINGS;
    const personalisation = escalationPersonalisation({
      ...e,
      workbenchUrl: this.config.WORKBENCH_URL,
    });
    const rows: NewNotification[] = recipients.map((recipient) => ({
      kind: e.reopened ? 'ESCALATION_REOPENED' : 'ESCALATION_RAISED',
      establishmentCode: e.establishmentCode,
      recipient,
      templateId: settings.notifyEscalationTemplateId,
      personalisation,
      escalationId: e.escalationId,
      failedBecause: recipient.email ? null : `no email address recorded for ${recipient.username}`,
      createdAt: now,
    }));
    await this.notifications.insert(m, rows);
  }

  /**
   * The daily digest (the worker's `notification-digest` job, hourly): from 07:00 London time,
   * one email a day to each head of OMU with escalations overdue at their establishments and to
   * each person who takes escalations in the digest and has open ones. Writing it twice in a day
   * writes nothing the second time.
   */
  async writeDailyDigests(): Promise<{ written: number }> {
    const now = this.clock.now();
    if (londonHour(now) < DIGEST_HOUR_LONDON) return { written: 0 };
    const day = WorkingCalendar.londonDate(now);
    const written = await this.notifications.insertDailyDigests(
      now,
      day,
      this.config.WORKBENCH_URL,
    );
    return { written };
  }

  async list(actor: AuthUser, q: NotificationQuery) {
    if (q.establishment) assertEstablishment(actor, q.establishment);
    const { rows, total } = await this.notifications.list({
      establishments: establishmentScope(actor, q.establishment),
      status: q.status,
      limit: q.limit,
      offset: q.offset,
    });
    return { items: rows.map(toNotificationResponse), total };
  }

  async dutyRota(actor: AuthUser, code: string, q: DutyRotaQuery) {
    assertEstablishment(actor, code);
    if (!(await this.establishments.find(code))) throw new NotFound(`No establishment ${code}`);
    const at = q.at ?? this.clock.now();
    const [entries, onDuty] = await Promise.all([
      this.notifications.rota(code),
      this.notifications.onDuty(this.db, code, at),
    ]);
    const onDutyNames = new Set(onDuty.map((r) => r.username));
    return {
      establishmentCode: code,
      at,
      onDuty: entries
        .filter((r) => onDutyNames.has(r.username) && r.from <= at && r.to > at)
        .map((r) => ({ username: r.username, displayName: r.displayName, from: r.from, to: r.to })),
      entries: entries.map((r) => ({
        username: r.username,
        displayName: r.displayName,
        from: r.from,
        to: r.to,
      })),
    };
  }

  /**
   * Replaces the establishment's duty rota. Each entry names an active member of staff of the
   * establishment and ends after it starts (400 naming the entry's field otherwise). Audited.
   */
  async putDutyRota(actor: AuthUser, code: string, dto: PutDutyRotaDto) {
    assertEstablishment(actor, code);
    dto.entries.forEach((e, i) => {
      if (e.to.getTime() <= e.from.getTime())
        throw ValidationFailed.field(`entries[${i}].to`, 'must be after from');
    });
    await this.db.transaction(async (m) => {
      if (!(await this.establishments.find(code, m)))
        throw new NotFound(`No establishment ${code}`);
      const known = await this.notifications.staffOf(
        m,
        code,
        dto.entries.map((e) => e.username),
      );
      const unknown = dto.entries.findIndex((e) => !known.has(e.username));
      if (unknown >= 0)
        throw ValidationFailed.field(
          `entries[${unknown}].username`,
          `is not an active member of staff at ${code}`,
        );
      await this.notifications.replaceRota(m, code, dto.entries, actor.username);
      await this.audit.record(
        actor,
        {
          action: 'DUTY_ROTA_CHANGED',
          entityType: 'establishment',
          entityId: code,
          establishmentCode: code,
          details: {
            entries: dto.entries.map((e) => ({
              username: e.username,
              from: e.from.toISOString(),
              to: e.to.toISOString(),
            })),
          },
        },
        m,
      );
    });
    return this.dutyRota(actor, code, {});
  }
}
