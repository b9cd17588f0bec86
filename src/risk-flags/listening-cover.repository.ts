import { Injectable } from '@nestjs/common';
import { Queryable } from '../db/sql';
import { Channel, RoshLevel, Training } from '../common/vocabulary';
import { currentTrainingsSql } from '../staff/training-records';
import { RANDOM_ONLY_MAPPA_LEVELS, RANDOM_ONLY_ROSH_LEVELS } from './risk-flag-rules';

export interface NoEligibleListenerFact {
  establishmentCode: string;
  prisonNumber: string;
  calls: number;
  oldestStartedAt: Date;
  /** What the stuck calls need: trainings, and languages other than English. */
  trainings: Training[];
  languages: string[];
}

export interface RandomOnlyFact {
  establishmentCode: string;
  prisonNumber: string;
  mappaLevel: number | null;
  roshLevel: RoshLevel | null;
  channels: Channel[];
  since: Date;
}

/**
 * The facts behind the two flags about whether calls can be heard at all (NO_ELIGIBLE_LISTENER,
 * RANDOM_ONLY_HIGH_RISK), set-based like the others in RiskFlagsRepository; kept apart so that each
 * file stays readable. "Now" and "today" are parameters, never the database clock.
 */
@Injectable()
export class ListeningCoverRepository {
  /**
   * Per prisoner, waiting (PENDING) calls that no listener of the call's establishment may take, by
   * the claim's own test (queue.repository.ts ELIGIBLE): an active LISTENER account there whose
   * trainings that count on `today` cover the call's, who hears its language and has no conflict of
   * interest on the prisoner. The calls are grouped by what they need first, so each group is one
   * look through the (few) listeners, not one per call.
   */
  noEligibleListener(
    m: Queryable,
    establishments: string[],
    today: string,
  ): Promise<NoEligibleListenerFact[]> {
    return m.query(
      `WITH waiting AS (
         SELECT c.establishment_code, c.prison_number, c.required_trainings, c.language,
                count(*)::int AS calls, min(c.started_at) AS oldest
         FROM calls c
         WHERE c.establishment_code = ANY($1::char(3)[]) AND c.status = 'PENDING'
         GROUP BY c.establishment_code, c.prison_number, c.required_trainings, c.language
       ),
       stuck AS (
         SELECT w.* FROM waiting w
         WHERE NOT EXISTS (
           SELECT 1 FROM staff s
           WHERE s.active AND 'LISTENER' = ANY(s.roles) AND trim(w.establishment_code) = ANY(s.establishments)
             AND w.required_trainings <@ ${currentTrainingsSql('s', '$2::date')}
             AND (w.language = 'en' OR w.language = ANY(s.languages))
             AND NOT EXISTS (SELECT 1 FROM listener_conflicts x
                              WHERE x.username = s.username AND x.prison_number = w.prison_number))
       )
       SELECT trim(st.establishment_code) AS "establishmentCode", st.prison_number AS "prisonNumber",
              sum(st.calls)::int AS calls, min(st.oldest) AS "oldestStartedAt",
              coalesce((SELECT array_agg(DISTINCT t ORDER BY t) FROM stuck x, unnest(x.required_trainings) t
                 WHERE x.establishment_code = st.establishment_code AND x.prison_number = st.prison_number),
                 '{}') AS trainings,
              coalesce(array_agg(DISTINCT st.language ORDER BY st.language)
                 FILTER (WHERE st.language <> 'en'), '{}') AS languages
       FROM stuck st
       GROUP BY st.establishment_code, st.prison_number`,
      [establishments, today],
    );
  }

  /**
   * MAPPA level 2/3 or RoSH very high prisoners with a channel that only RANDOM authorisations
   * active now cover (no other type active now covers it).
   */
  randomOnlyHighRisk(m: Queryable, establishments: string[], now: Date): Promise<RandomOnlyFact[]> {
    const active = (a: string) =>
      `${a}.status = 'ACTIVE' AND ${a}.starts_at <= $2 AND (${a}.ends_at IS NULL OR ${a}.ends_at > $2)`;
    return m.query(
      `SELECT trim(p.establishment_code) AS "establishmentCode", p.prison_number AS "prisonNumber",
              p.mappa_level AS "mappaLevel", p.rosh_level AS "roshLevel",
              array_agg(DISTINCT ch ORDER BY ch) AS channels, min(a.starts_at) AS since
       FROM prisoners p
       JOIN monitoring_authorisations a ON a.prison_number = p.prison_number AND a.type = 'RANDOM'
         AND ${active('a')}
       CROSS JOIN LATERAL unnest(a.channels) AS ch
       WHERE p.establishment_code = ANY($1::char(3)[])
         AND (p.mappa_level = ANY($3::smallint[]) OR p.rosh_level = ANY($4::text[]))
         AND NOT EXISTS (SELECT 1 FROM monitoring_authorisations o
                          WHERE o.prison_number = p.prison_number AND o.type <> 'RANDOM' AND ${active('o')}
                            AND ch = ANY(o.channels))
       GROUP BY p.establishment_code, p.prison_number, p.mappa_level, p.rosh_level`,
      [establishments, now, RANDOM_ONLY_MAPPA_LEVELS, RANDOM_ONLY_ROSH_LEVELS],
    );
  }
}
