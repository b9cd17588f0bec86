import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface CaseloadEntry {
  prisonNumber: string;
  firstName: string;
  lastName: string;
  establishmentCode: string;
  mappaCategory: number | null;
  mappaLevel: number | null;
  roshLevel: string | null;
  earliestReleaseDate: string | null;
  unreadLogs: number;
  openEscalations: number;
  overdueEscalations: number;
  lastLogAt: Date | null;
  lastLogConcern: string | null;
  monitoringStatus: 'ACTIVE' | 'REQUESTED' | 'NONE';
  monitoringReviewDueAt: Date | null;
}

@Injectable()
export class CaseloadRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * The prisoners whose POM `username` is, at `establishments` (every one for null), most urgent
   * first: overdue escalations, then open ones, then logs this POM has not read.
   */
  caseloadOf(username: string, establishments: string[] | null): Promise<CaseloadEntry[]> {
    return this.db.query<CaseloadEntry[]>(
      `SELECT p.prison_number AS "prisonNumber", p.first_name AS "firstName", p.last_name AS "lastName",
              trim(p.establishment_code) AS "establishmentCode", p.mappa_category AS "mappaCategory",
              p.mappa_level AS "mappaLevel", p.rosh_level AS "roshLevel",
              p.earliest_release_date::text AS "earliestReleaseDate",
              (SELECT count(*)::int FROM monitoring_logs l
                WHERE l.prison_number = p.prison_number
                  AND NOT EXISTS (SELECT 1 FROM monitoring_logs n WHERE n.call_id = l.call_id AND n.version > l.version)
                  AND NOT EXISTS (SELECT 1 FROM log_reads r WHERE r.log_id = l.id AND r.username = $1)) AS "unreadLogs",
              (SELECT count(*)::int FROM escalations e WHERE e.prison_number = p.prison_number AND e.status <> 'CLOSED')
                AS "openEscalations",
              (SELECT count(*)::int FROM escalations e WHERE e.prison_number = p.prison_number AND e.status <> 'CLOSED'
                 AND e.due_at < now()) AS "overdueEscalations",
              last_log.created_at AS "lastLogAt", last_log.concern_level AS "lastLogConcern",
              CASE WHEN EXISTS (SELECT 1 FROM monitoring_authorisations a WHERE a.prison_number = p.prison_number
                                  AND a.status = 'ACTIVE') THEN 'ACTIVE'
                   WHEN EXISTS (SELECT 1 FROM monitoring_authorisations a WHERE a.prison_number = p.prison_number
                                  AND a.status = 'REQUESTED') THEN 'REQUESTED'
                   ELSE 'NONE' END AS "monitoringStatus",
              (SELECT min(a.review_due_at) FROM monitoring_authorisations a
                WHERE a.prison_number = p.prison_number AND a.status = 'ACTIVE') AS "monitoringReviewDueAt"
       FROM prisoners p
       LEFT JOIN LATERAL (SELECT l.created_at, l.concern_level FROM monitoring_logs l
                          WHERE l.prison_number = p.prison_number ORDER BY l.created_at DESC LIMIT 1) last_log ON true
       WHERE p.pom_username = $1 AND ($2::char(3)[] IS NULL OR p.establishment_code = ANY($2))
       ORDER BY "overdueEscalations" DESC, "openEscalations" DESC, "unreadLogs" DESC, p.last_name,
                p.first_name, p.prison_number`,
      [username, establishments],
    );
  }
}
