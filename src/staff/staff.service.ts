import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { assertEstablishment, AuthUser, establishmentScope, isNational } from '../auth/auth-user';
import { hashPassword } from '../auth/passwords';
import { StaffAccessCache } from '../auth/staff-access';
import { AuditService } from '../audit/audit.service';
import { NotFound, ValidationFailed } from '../common/errors';
import { EstablishmentsService } from '../establishments/establishments.service';
import { TriageService } from '../triage/triage.service';
import { PutStaffDto, StaffQuery } from './staff.dto';
import { StaffRepository, StaffRow } from './staff.repository';

export type { StaffRow } from './staff.repository';

export function toStaffResponse(row: StaffRow) {
  return {
    username: row.username,
    displayName: row.displayName,
    roles: row.roles,
    establishments: row.establishments,
    trainings: row.trainings,
    languages: row.languages,
    active: row.active,
  };
}

@Injectable()
export class StaffService {
  constructor(
    private readonly db: DataSource,
    private readonly staff: StaffRepository,
    private readonly triage: TriageService,
    private readonly establishments: EstablishmentsService,
    private readonly audit: AuditService,
    private readonly access: StaffAccessCache,
  ) {}

  // For other modules, which reach staff through this service, not its repository.

  /** The staff member, password hash included (sign-in checks it), or null. */
  find(username: string): Promise<StaffRow | null> {
    return this.staff.find(username);
  }

  /** Adds the account unless one of that username exists; true when it was added. */
  insertIfAbsent(row: Omit<StaffRow, 'active'>): Promise<boolean> {
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
    await this.db.transaction(async (m) => {
      await this.staff.upsert(m, {
        username,
        displayName: dto.displayName,
        passwordHash,
        roles: dto.roles,
        establishments: dto.establishments,
        trainings: dto.trainings,
        languages: dto.languages,
        active: dto.active,
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
            ...(dto.active === undefined ? {} : { active: dto.active }),
          },
        },
        m,
      );
      // A listener's languages decide which calls wait for translation where they work.
      const wasListener = existing?.roles.includes('LISTENER') ?? false;
      if (wasListener || dto.roles.includes('LISTENER')) {
        const affected = [...new Set([...(existing?.establishments ?? []), ...dto.establishments])];
        await this.triage.triageFactsChanged({ otherLanguagesAt: affected }, m, 'LISTENER_LANGUAGES');
      }
    });
    // Committed: the next request of this user reads their new roles, places and status (this
    // instance at once, others within the cache's few seconds).
    this.access.invalidate(username);
    const saved = await this.staff.find(username);
    return toStaffResponse(saved!);
  }

  /** One account, for an actor who may see it (national roles see all, others their establishments'). */
  async get(actor: AuthUser, username: string) {
    const row = await this.staff.find(username);
    const visible =
      row &&
      (isNational(actor) || row.establishments.some((e) => actor.establishments.includes(e)));
    if (!visible) throw new NotFound(`No staff account ${username}`);
    return toStaffResponse(row);
  }

  async list(actor: AuthUser, query: StaffQuery) {
    if (query.establishment) assertEstablishment(actor, query.establishment);
    const { rows, total } = await this.staff.list({
      establishments: establishmentScope(actor, query.establishment),
      role: query.role,
      limit: query.limit,
      offset: query.offset,
    });
    return { items: rows.map(toStaffResponse), total };
  }
}
