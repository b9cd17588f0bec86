import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { assertEstablishment, AuthUser } from '../common/auth-user';
import { Clock } from '../common/clock';
import { FieldError, NotFound, ValidationFailed } from '../common/errors';
import { englandAndWalesCalendar } from '../common/working-days';
import { EstablishmentsService } from '../establishments/establishments.service';
import { DEFAULT_SETTINGS } from '../establishments/settings';
import { toLogResponse } from '../logs/logs.mapper';
import { LogsService } from '../logs/logs.service';
import { RecordMeetingDto } from './escalations.dto';
import { toEscalationResponse } from './escalations.mapper';
import { EscalationsRepository } from './escalations.repository';
import { EscalationsService } from './escalations.service';
import { IrmmRepository } from './irmm.repository';

/** The interdepartmental risk management meeting: its agenda and the record of each meeting. */
@Injectable()
export class IrmmService {
  constructor(
    private readonly db: DataSource,
    private readonly escalationsRepo: EscalationsRepository,
    private readonly escalations: EscalationsService,
    private readonly irmm: IrmmRepository,
    private readonly logs: LogsService,
    private readonly establishments: EstablishmentsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** Open IRMM escalations grouped by prisoner, with the logs and themes since the prisoner's last meeting. */
  async agenda(actor: AuthUser, establishment: string) {
    assertEstablishment(actor, establishment);
    const settings = (await this.establishments.find(establishment))?.settings ?? DEFAULT_SETTINGS;
    const open = await this.escalationsRepo.openForTarget(establishment, 'IRMM');
    const people = await this.irmm.agendaPeople([...new Set(open.map((e) => e.prisonNumber))]);
    const logsOf = await this.logs.currentSince(
      people.map((p) => ({ prisonNumber: p.prisonNumber, since: p.lastMeetingAt })),
    );
    // The agenda is one read: one LOG_READ row naming every log it shows.
    await this.logs.auditReads(
      actor,
      [...logsOf.values()].flat(),
      { establishmentCode: establishment },
      'irmm-agenda',
    );
    const items = [];
    for (const person of people.sort((a, b) => a.lastName.localeCompare(b.lastName))) {
      const logs = logsOf.get(person.prisonNumber) ?? [];
      const themes: Record<string, number> = {};
      for (const log of logs)
        for (const code of log.themeCodes) themes[code] = (themes[code] ?? 0) + 1;
      items.push({
        ...person,
        escalations: open
          .filter((e) => e.prisonNumber === person.prisonNumber)
          .map(toEscalationResponse),
        themesSinceLastMeeting: themes,
        threatsSinceLastMeeting: logs.reduce((n, l) => n + l.threats.length, 0),
        logsSinceLastMeeting: logs.map((l) => toLogResponse(l)),
      });
    }
    return {
      establishmentCode: establishment,
      nextMeetingOn: englandAndWalesCalendar().nextWorkingWeekday(
        new Date(this.clock.now().getTime() - 86_400_000),
        settings.irmmMeetingWeekday,
      ),
      items,
      total: items.length,
    };
  }

  /** Records a meeting: each item closes (with an outcome) or is carried forward to the next meeting. */
  async recordMeeting(actor: AuthUser, dto: RecordMeetingDto) {
    assertEstablishment(actor, dto.establishmentCode);
    const errors: FieldError[] = [];
    dto.items.forEach((item, i) => {
      if (item.decision === 'CLOSE' && item.outcome === 'OTHER' && !item.note?.trim()) {
        errors.push({
          field: `items[${i}].note`,
          message: 'is required when the outcome is OTHER',
        });
      }
    });
    if (errors.length)
      throw new ValidationFailed(`${errors[0].field}: ${errors[0].message}`, errors);
    const settings =
      (await this.establishments.find(dto.establishmentCode))?.settings ?? DEFAULT_SETTINGS;
    return this.db.transaction(async (m) => {
      const meetingId = await this.irmm.insertMeeting(m, {
        establishmentCode: dto.establishmentCode,
        heldAt: dto.heldAt,
        attendees: dto.attendees,
        recordedBy: actor.username,
      });
      const nextMeeting = new Date(
        `${englandAndWalesCalendar().nextWorkingWeekday(dto.heldAt, settings.irmmMeetingWeekday)}T10:00:00Z`,
      );
      for (const [i, item] of dto.items.entries()) {
        const row = await this.escalationsRepo.lock(m, item.escalationId);
        if (
          !row ||
          row.target !== 'IRMM' ||
          row.establishmentCode !== dto.establishmentCode ||
          row.status === 'CLOSED'
        ) {
          throw ValidationFailed.field(
            `items[${i}].escalationId`,
            'is not an open IRMM item of this establishment',
          );
        }
        if (item.decision === 'CLOSE') {
          await this.escalations.closeInTransaction(m, actor, row, {
            outcome: item.outcome!,
            note: item.note,
          });
        } else {
          await this.escalationsRepo.updateOpen(m, row.id, {
            dueAt: nextMeeting,
            concernLevel: row.concernLevel,
            reason: row.reason,
          });
        }
        await this.irmm.insertMeetingItem(m, {
          meetingId,
          escalationId: row.id,
          prisonNumber: row.prisonNumber,
          decision: item.decision,
          outcome: item.outcome ?? null,
          note: item.note ?? null,
        });
      }
      await this.audit.record(
        actor,
        {
          action: 'IRMM_MEETING_RECORDED',
          entityType: 'irmm_meeting',
          entityId: meetingId,
          establishmentCode: dto.establishmentCode,
          details: { items: dto.items.length, attendees: dto.attendees },
        },
        m,
      );
      return {
        id: meetingId,
        establishmentCode: dto.establishmentCode,
        heldAt: dto.heldAt,
        attendees: dto.attendees,
        closed: dto.items.filter((i) => i.decision === 'CLOSE').length,
        carriedForward: dto.items.filter((i) => i.decision === 'CARRY_FORWARD').length,
        nextMeetingAt: nextMeeting,
      };
    });
  }

  /**
   * The establishment's past meetings, newest first: when, who attended, who recorded it and how
   * many items it closed and carried forward. Audited as one read naming every meeting shown.
   */
  async meetings(actor: AuthUser, establishment: string, page: { limit: number; offset: number }) {
    assertEstablishment(actor, establishment);
    const result = await this.irmm.meetings(establishment, page);
    await this.audit.recordReads(
      actor,
      'IRMM_MEETINGS_READ',
      'irmm_meeting',
      result.items.map((m) => ({ id: m.id, establishmentCode: m.establishmentCode })),
      'list',
    );
    return result;
  }

  /**
   * One meeting with its items (the prisoner, the escalation, the decision, outcome and note).
   * Audited as a read of the meeting naming its escalations and prisoners.
   */
  async meeting(actor: AuthUser, id: string) {
    const meeting = await this.irmm.meeting(id);
    if (!meeting) throw new NotFound(`No IRMM meeting ${id}`);
    assertEstablishment(actor, meeting.establishmentCode);
    const items = await this.irmm.meetingItems(id);
    await this.audit.recordReads(
      actor,
      'IRMM_MEETING_READ',
      'irmm_meeting',
      [
        { id, establishmentCode: meeting.establishmentCode },
        ...items.map((i) => ({
          id: i.escalationId,
          establishmentCode: meeting.establishmentCode,
          prisonNumber: i.prisonNumber,
        })),
      ],
      'meeting',
      { meetingId: id },
    );
    return { ...meeting, items };
  }
}
