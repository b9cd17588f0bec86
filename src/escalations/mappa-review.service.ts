import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { AuthUser } from '../common/auth-user';
import { Clock } from '../common/clock';
import { ValidationFailed } from '../common/errors';
import { WorkingCalendar } from '../common/working-days';
import { PrisonersService } from '../prisoners/prisoners.service';
import { CloseEscalationDto } from './escalations.dto';
import { EscalationRow, EscalationsRepository } from './escalations.repository';

/**
 * A MAPPA escalation closed with what its level review decided (API.md "Policy v2"): the outcome
 * and rationale kept on the escalation, and the prisoner's profile following in the same
 * transaction. LEVEL_CHANGED sets the new level; every outcome but NO_ACTION records that the level
 * was reviewed today (LEVEL_CONFIRMED keeps the level; CATEGORY_3_REFERRED awaits MAPPA's answer,
 * so the level stays as it is until then).
 */
@Injectable()
export class MappaReviewService {
  constructor(
    private readonly escalations: EscalationsRepository,
    private readonly prisoners: PrisonersService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /**
   * Closes the locked escalation `row` (inside the caller's transaction) and updates the profile;
   * the caller audits the close and re-scores the prisoner's calls when `profileChanged`.
   */
  async close(
    m: EntityManager,
    actor: AuthUser,
    row: EscalationRow,
    dto: CloseEscalationDto,
    note: string | null,
  ) {
    if (row.target !== 'MAPPA') {
      throw ValidationFailed.field('outcome', `${dto.outcome} closes only a MAPPA escalation`);
    }
    const rationale = dto.rationale?.trim();
    if (!rationale) {
      throw ValidationFailed.field('rationale', 'is required for a MAPPA outcome: say why');
    }
    const prisoner = (await this.prisoners.find(row.prisonNumber, m))!;
    const changedTo = dto.outcome === 'LEVEL_CHANGED' ? (dto.mappaLevel ?? null) : null;
    if (dto.outcome === 'LEVEL_CHANGED') {
      if (changedTo === null)
        throw ValidationFailed.field('mappaLevel', 'is required when the outcome is LEVEL_CHANGED');
      if (changedTo === prisoner.mappaLevel) {
        throw ValidationFailed.field(
          'mappaLevel',
          `is already the prisoner’s level (${changedTo}): close with LEVEL_CONFIRMED`,
        );
      }
    } else if (dto.mappaLevel !== undefined) {
      throw ValidationFailed.field('mappaLevel', 'is given only when the outcome is LEVEL_CHANGED');
    }
    await this.escalations.close(m, row.id, actor.username, dto.outcome, note, {
      rationale,
      mappaLevel: changedTo,
    });
    const profileChanged = dto.outcome !== 'NO_ACTION';
    if (profileChanged) {
      const review = {
        mappaLevel: changedTo ?? prisoner.mappaLevel,
        reviewedOn: WorkingCalendar.londonDate(this.clock.now()),
      };
      await this.prisoners.recordMappaReview(
        m,
        row.prisonNumber,
        review.mappaLevel,
        review.reviewedOn,
      );
      await this.audit.record(
        actor,
        {
          action: 'PRISONER_MAPPA_REVIEWED',
          entityType: 'prisoner',
          entityId: row.prisonNumber,
          establishmentCode: prisoner.establishmentCode,
          details: {
            ...review,
            previousMappaLevel: prisoner.mappaLevel,
            outcome: dto.outcome,
            escalationId: row.id,
          },
        },
        m,
      );
    }
    return { mappaLevel: changedTo, previousMappaLevel: prisoner.mappaLevel, profileChanged };
  }
}
