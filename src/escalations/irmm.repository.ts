import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

/** A prisoner on the IRMM agenda, with when their case was last at a meeting. */
export interface AgendaPerson {
  prisonNumber: string;
  firstName: string;
  lastName: string;
  mappaCategory: number | null;
  mappaLevel: number | null;
  roshLevel: string | null;
  pomUsername: string | null;
  lastMeetingAt: Date | null;
}

@Injectable()
export class IrmmRepository {
  constructor(private readonly db: DataSource) {}

  agendaPeople(prisonNumbers: string[]): Promise<AgendaPerson[]> {
    return this.db.query<AgendaPerson[]>(
      `SELECT p.prison_number AS "prisonNumber", p.first_name AS "firstName", p.last_name AS "lastName",
              p.mappa_category AS "mappaCategory", p.mappa_level AS "mappaLevel", p.rosh_level AS "roshLevel",
              p.pom_username AS "pomUsername",
              (SELECT max(m.held_at) FROM irmm_meeting_items i JOIN irmm_meetings m ON m.id = i.meeting_id
               WHERE i.prison_number = p.prison_number) AS "lastMeetingAt"
       FROM prisoners p WHERE p.prison_number = ANY($1)`,
      [prisonNumbers],
    );
  }

  async insertMeeting(
    m: EntityManager,
    meeting: { establishmentCode: string; heldAt: Date; attendees: string[]; recordedBy: string },
  ): Promise<string> {
    const rows = await m.query<{ id: string }[]>(
      `INSERT INTO irmm_meetings (establishment_code, held_at, attendees, recorded_by) VALUES ($1, $2, $3, $4) RETURNING id`,
      [meeting.establishmentCode, meeting.heldAt, meeting.attendees, meeting.recordedBy],
    );
    return rows[0].id;
  }

  async insertMeetingItem(
    m: EntityManager,
    item: {
      meetingId: string;
      escalationId: string;
      prisonNumber: string;
      decision: string;
      outcome: string | null;
      note: string | null;
    },
  ): Promise<void> {
    await m.query(
      `INSERT INTO irmm_meeting_items (meeting_id, escalation_id, prison_number, decision, outcome, note)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [
        item.meetingId,
        item.escalationId,
        item.prisonNumber,
        item.decision,
        item.outcome,
        item.note,
      ],
    );
  }
}
