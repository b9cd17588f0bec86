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

/** A meeting held, with how many of its items it closed and carried forward. */
export interface MeetingRow {
  id: string;
  establishmentCode: string;
  heldAt: Date;
  attendees: string[];
  recordedBy: string;
  closed: number;
  carriedForward: number;
}

/** One item a meeting decided, with its prisoner and escalation. */
export interface MeetingItemRow {
  escalationId: string;
  prisonNumber: string;
  firstName: string | null;
  lastName: string | null;
  concernLevel: string;
  reason: string;
  decision: string;
  outcome: string | null;
  note: string | null;
}

const MEETING_COLUMNS = `m.id, m.establishment_code AS "establishmentCode", m.held_at AS "heldAt",
       m.attendees, m.recorded_by AS "recordedBy",
       (SELECT count(*)::int FROM irmm_meeting_items i WHERE i.meeting_id = m.id AND i.decision = 'CLOSE') AS "closed",
       (SELECT count(*)::int FROM irmm_meeting_items i WHERE i.meeting_id = m.id AND i.decision = 'CARRY_FORWARD') AS "carriedForward"`;

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

  /** The establishment's meetings, newest first, a page of them and how many there are. */
  async meetings(
    establishmentCode: string,
    page: { limit: number; offset: number },
  ): Promise<{ items: MeetingRow[]; total: number }> {
    const [items, count] = await Promise.all([
      this.db.query<MeetingRow[]>(
        `SELECT ${MEETING_COLUMNS} FROM irmm_meetings m WHERE m.establishment_code = $1
         ORDER BY m.held_at DESC, m.created_at DESC, m.id LIMIT $2 OFFSET $3`,
        [establishmentCode, page.limit, page.offset],
      ),
      this.db.query<{ total: number }[]>(
        `SELECT count(*)::int AS total FROM irmm_meetings WHERE establishment_code = $1`,
        [establishmentCode],
      ),
    ]);
    return { items, total: count[0].total };
  }

  async meeting(id: string): Promise<MeetingRow | null> {
    const rows = await this.db.query<MeetingRow[]>(
      `SELECT ${MEETING_COLUMNS} FROM irmm_meetings m WHERE m.id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** A meeting's items by prisoner's name, with the escalation each decided. */
  meetingItems(meetingId: string): Promise<MeetingItemRow[]> {
    return this.db.query<MeetingItemRow[]>(
      `SELECT i.escalation_id AS "escalationId", i.prison_number AS "prisonNumber",
              p.first_name AS "firstName", p.last_name AS "lastName",
              e.concern_level AS "concernLevel", e.reason, i.decision, i.outcome, i.note
       FROM irmm_meeting_items i
       JOIN escalations e ON e.id = i.escalation_id
       LEFT JOIN prisoners p ON p.prison_number = i.prison_number
       WHERE i.meeting_id = $1
       ORDER BY p.last_name, p.first_name, i.prison_number, i.escalation_id`,
      [meetingId],
    );
  }
}
