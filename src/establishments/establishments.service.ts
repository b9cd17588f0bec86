import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { assertEstablishment, AuthUser } from '../auth/auth-user';
import { NotFound } from '../common/errors';
import { TriageService } from '../triage/triage.service';
import { EstablishmentsRepository } from './establishments.repository';
import { PutSettingsDto } from './settings.dto';
import { EstablishmentSettings, resolveSettings } from './settings';

@Injectable()
export class EstablishmentsService {
  constructor(
    private readonly db: DataSource,
    private readonly establishments: EstablishmentsRepository,
    private readonly triage: TriageService,
    private readonly audit: AuditService,
  ) {}

  async settings(actor: AuthUser, code: string): Promise<EstablishmentSettings> {
    assertEstablishment(actor, code);
    const row = await this.establishments.find(code);
    if (!row) throw new NotFound(`No establishment ${code}`);
    return row.settings;
  }

  /**
   * Merges the given settings into the establishment's. A change of SLA re-scores every waiting call
   * there in the same transaction, so due times and order follow at once.
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
      const before = resolveSettings(stored);
      const after = resolveSettings(next);
      // SLAs and the lexicon change due times and tiers of waiting calls.
      const slaChanged =
        JSON.stringify([before.slaHours, before.mailSlaHours, before.keywordLexicon]) !==
        JSON.stringify([after.slaHours, after.mailSlaHours, after.keywordLexicon]);
      const rescored = slaChanged ? await this.triage.rescoreEstablishment(code, m) : 0;
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
      return after;
    });
  }
}

function withoutUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
