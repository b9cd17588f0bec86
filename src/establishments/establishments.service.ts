import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { assertEstablishment, AuthUser } from '../common/auth-user';
import { NotFound } from '../common/errors';
import { DomainEvents } from '../common/domain-events';
import { Queryable } from '../db/sql';
import { EstablishmentRow, EstablishmentsRepository } from './establishments.repository';
import { PutSettingsDto } from './settings.dto';
import { EstablishmentSettings, resolveSettings } from './settings';

export type { EstablishmentRow } from './establishments.repository';

@Injectable()
export class EstablishmentsService {
  constructor(
    private readonly db: DataSource,
    private readonly establishments: EstablishmentsRepository,
    private readonly events: DomainEvents,
    private readonly audit: AuditService,
  ) {}

  // Reads for other modules, which reach establishments through this service, not its repository.
  // Inside a transaction, pass its manager.

  find(code: string, db?: Queryable): Promise<EstablishmentRow | null> {
    return this.establishments.find(code, db);
  }

  /** The establishments with these codes (every one for null), in code order. */
  list(codes: string[] | null, db?: Queryable): Promise<EstablishmentRow[]> {
    return this.establishments.list(codes, db);
  }

  /** Which of these codes are establishments. */
  existing(codes: string[]): Promise<Set<string>> {
    return this.establishments.existing(codes);
  }

  settingsFor(codes: string[], db?: Queryable): Promise<Map<string, EstablishmentSettings>> {
    return this.establishments.settingsFor(codes, db);
  }

  async settings(actor: AuthUser, code: string): Promise<EstablishmentSettings> {
    assertEstablishment(actor, code);
    const row = await this.establishments.find(code);
    if (!row) throw new NotFound(`No establishment ${code}`);
    return row.settings;
  }

  /**
   * Merges the given settings into the establishment's. A change of what the priority policy reads
   * (SLAs and the like) re-scores every waiting call there in the same transaction, so due times and
   * order follow at once: triage decides, on ESTABLISHMENT_SETTINGS_CHANGED, and answers how many.
   */
  async putSettings(
    actor: AuthUser,
    code: string,
    dto: PutSettingsDto,
  ): Promise<EstablishmentSettings> {
    assertEstablishment(actor, code);
    return this.db.transaction(async (m) => {
      const current = await this.establishments.lockSettings(m, code);
      if (current === null) throw new NotFound(`No establishment ${code}`);
      const stored = current as Partial<EstablishmentSettings>;
      const next = {
        ...stored,
        ...withoutUndefined(dto),
        slaHours: { ...(stored.slaHours ?? {}), ...withoutUndefined(dto.slaHours ?? {}) },
        reviewIntervalDays: {
          ...(stored.reviewIntervalDays ?? {}),
          ...withoutUndefined(dto.reviewIntervalDays ?? {}),
        },
        mailSlaHours: {
          ...(stored.mailSlaHours ?? {}),
          ...withoutUndefined(dto.mailSlaHours ?? {}),
        },
        patterns: { ...(stored.patterns ?? {}), ...withoutUndefined(dto.patterns ?? {}) },
      };
      await this.establishments.saveSettings(m, code, next);
      const rescored = await this.events.emit(
        'ESTABLISHMENT_SETTINGS_CHANGED',
        { establishmentCode: code, before: stored, after: next },
        m,
      );
      await this.audit.record(
        actor,
        {
          action: 'SETTINGS_CHANGED',
          entityType: 'establishment',
          entityId: code,
          establishmentCode: code,
          details: { changed: dto, callsRescored: rescored },
        },
        m,
      );
      return resolveSettings(next);
    });
  }
}

function withoutUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
