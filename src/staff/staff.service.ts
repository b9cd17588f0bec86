import { DomainEvents } from '../common/domain-events';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { assertEstablishment, AuthUser, establishmentScope, isNational } from '../common/auth-user';
import { hashPassword } from '../common/passwords';
import { StaffAccessCache } from './staff-access';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { NotFound, ValidationFailed } from '../common/errors';
import { WorkingCalendar } from '../common/working-days';
import { EstablishmentsService } from '../establishments/establishments.service';
import { MyNotificationSettingsDto, PutStaffDto, StaffQuery, TrainingCodeDto } from './staff.dto';
import { StaffRepository, StaffRow } from './staff.repository';
import {
  currentTrainings,
  trainingCounts,
  trainingDatesProblem,
  TrainingRecord,
} from './training-records';

export type { StaffRow } from './staff.repository';

/**
 * `trainings` stays what it always meant, the trainings that make the listener eligible: those that
 * count today. `trainingRecords` has every training held, with its dates and whether it has expired.
 */
export function toStaffResponse(row: StaffRow, today: string) {
  return {
    username: row.username,
    displayName: row.displayName,
    roles: row.roles,
    establishments: row.establishments,
    trainings: currentTrainings(row.trainingRecords, today),
    trainingRecords: row.trainingRecords.map((r) => ({
      code: r.code,
      completedOn: r.completedOn,
      expiresOn: r.expiresOn,
      expired: !trainingCounts(r, today),
    })),
    languages: row.languages,
    active: row.active,
    email: row.email,
    notifications: row.notifications,
  };
}

/**
 * The records a PUT asks for: a dated item as given; a plain code with the dates already recorded
 * for it (or none). Dates that contradict each other are a 400 naming the item's field.
 */
function trainingRecordsFrom(dto: PutStaffDto, existing: StaffRow | null): TrainingRecord[] {
  return dto.trainings.map((t, i) => {
    const kept = existing?.trainingRecords.find((r) => r.code === t.code);
    const record: TrainingRecord =
      t instanceof TrainingCodeDto
        ? {
            code: t.code,
            completedOn: kept?.completedOn ?? null,
            expiresOn: kept?.expiresOn ?? null,
          }
        : { code: t.code, completedOn: t.completedOn ?? null, expiresOn: t.expiresOn ?? null };
    const problem = trainingDatesProblem(record);
    if (problem) throw ValidationFailed.field(`trainings[${i}].${problem.field}`, problem.message);
    return record;
  });
}

@Injectable()
export class StaffService {
  constructor(
    private readonly db: DataSource,
    private readonly staff: StaffRepository,
    private readonly events: DomainEvents,
    private readonly establishments: EstablishmentsService,
    private readonly audit: AuditService,
    private readonly access: StaffAccessCache,
    private readonly clock: Clock,
  ) {}

  private today(): string {
    return WorkingCalendar.londonDate(this.clock.now());
  }

  // For other modules, which reach staff through this service, not its repository.

  /** The staff member, password hash included (sign-in checks it), or null. */
  find(username: string): Promise<StaffRow | null> {
    return this.staff.find(username);
  }

  /** Adds the account unless one of that username exists; true when it was added. */
  insertIfAbsent(row: Omit<StaffRow, 'active' | 'email' | 'notifications'>): Promise<boolean> {
    return this.staff.insertIfAbsent(row);
  }

  async put(actor: AuthUser, username: string, dto: PutStaffDto) {
    const known = await this.establishments.existing(dto.establishments);
    const unknown = dto.establishments.filter((c) => !known.has(c));
    if (unknown.length)
      throw ValidationFailed.field('establishments', `unknown establishment ${unknown.join(', ')}`);
    const passwordHash = dto.password ? await hashPassword(dto.password) : null;
    const existing = await this.staff.find(username);
    if (!existing && !passwordHash)
      throw ValidationFailed.field('password', 'is required for a new account');
    const trainingRecords = trainingRecordsFrom(dto, existing);
    await this.db.transaction(async (m) => {
      await this.staff.upsert(m, {
        username,
        displayName: dto.displayName,
        passwordHash,
        roles: dto.roles,
        establishments: dto.establishments,
        trainingRecords,
        languages: dto.languages,
        active: dto.active,
        email: dto.email === undefined ? undefined : (dto.email?.trim() ?? null),
        notifications: dto.notifications,
      });
      await this.audit.record(
        actor,
        {
          action: existing ? 'STAFF_UPDATED' : 'STAFF_CREATED',
          entityType: 'staff',
          entityId: username,
          details: {
            roles: dto.roles,
            establishments: dto.establishments,
            passwordChanged: Boolean(passwordHash),
            trainings: trainingRecords,
            ...(dto.active === undefined ? {} : { active: dto.active }),
            ...(dto.email === undefined ? {} : { email: dto.email }),
            ...(dto.notifications ? { notifications: dto.notifications } : {}),
          },
        },
        m,
      );
      // A listener's languages decide which calls wait for translation where they work.
      const wasListener = existing?.roles.includes('LISTENER') ?? false;
      if (wasListener || dto.roles.includes('LISTENER')) {
        const affected = [...new Set([...(existing?.establishments ?? []), ...dto.establishments])];
        await this.events.emit(
          'TRIAGE_FACTS_CHANGED',
          { affected: { otherLanguagesAt: affected }, facts: ['LISTENER_LANGUAGES'] },
          m,
        );
      }
    });
    // Committed: the next request of this user reads their new roles, places and status (this
    // instance at once, others within the cache's few seconds).
    this.access.invalidate(username);
    const saved = await this.staff.find(username);
    return toStaffResponse(saved!, this.today());
  }

  /** The signed-in member of staff changes where and how notifications reach them. Audited. */
  async setMyNotifications(actor: AuthUser, dto: MyNotificationSettingsDto) {
    const email = dto.email?.trim() || null;
    await this.db.transaction(async (m) => {
      await this.staff.setNotifications(m, actor.username, email, dto.notifications.escalations);
      await this.audit.record(
        actor,
        {
          action: 'STAFF_NOTIFICATIONS_CHANGED',
          entityType: 'staff',
          entityId: actor.username,
          details: { email, notifications: dto.notifications },
        },
        m,
      );
    });
    const saved = await this.staff.find(actor.username);
    if (!saved) throw new NotFound(`No staff account ${actor.username}`);
    return toStaffResponse(saved, this.today());
  }

  /**
   * Username → display name, for pages that name the staff on logs, escalations and
   * authorisations. Names only, and only of usernames the caller already shows, so no scope check.
   */
  displayNames(usernames: readonly string[]): Promise<Map<string, string>> {
    return this.staff.displayNames([...new Set(usernames)]);
  }

  /** One account, for an actor who may see it (national roles see all, others their establishments'). */
  async get(actor: AuthUser, username: string) {
    const row = await this.staff.find(username);
    const visible =
      row &&
      (isNational(actor) || row.establishments.some((e) => actor.establishments.includes(e)));
    if (!visible) throw new NotFound(`No staff account ${username}`);
    return toStaffResponse(row, this.today());
  }

  async list(actor: AuthUser, query: StaffQuery) {
    if (query.establishment) assertEstablishment(actor, query.establishment);
    const { rows, total } = await this.staff.list({
      establishments: establishmentScope(actor, query.establishment),
      role: query.role,
      limit: query.limit,
      offset: query.offset,
    });
    const today = this.today();
    return { items: rows.map((r) => toStaffResponse(r, today)), total };
  }
}
