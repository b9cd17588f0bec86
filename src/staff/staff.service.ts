import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { assertEstablishment, AuthUser, establishmentScope } from '../auth/auth-user';
import { hashPassword } from '../auth/passwords';
import { AuditService } from '../audit/audit.service';
import { ValidationFailed } from '../common/errors';
import { EstablishmentsRepository } from '../establishments/establishments.repository';
import { TriageService } from '../triage/triage.service';
import { PutStaffDto, StaffQuery } from './staff.dto';
import { StaffRepository, StaffRow } from './staff.repository';

export function toStaffResponse(row: StaffRow) {
  return {
    username: row.username,
    displayName: row.displayName,
    roles: row.roles,
    establishments: row.establishments,
    trainings: row.trainings,
    languages: row.languages,
  };
}

@Injectable()
export class StaffService {
  constructor(
    private readonly db: DataSource,
    private readonly staff: StaffRepository,
    private readonly triage: TriageService,
    private readonly establishments: EstablishmentsRepository,
    private readonly audit: AuditService,
  ) {}

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
          },
        },
        m,
      );
      // A listener's languages decide which calls wait for translation where they work.
      const wasListener = existing?.roles.includes('LISTENER') ?? false;
      if (wasListener || dto.roles.includes('LISTENER')) {
        const affected = [...new Set([...(existing?.establishments ?? []), ...dto.establishments])];
        await this.triage.rescoreOtherLanguageCalls(affected, m);
      }
    });
    const saved = await this.staff.find(username);
    return toStaffResponse(saved!);
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
