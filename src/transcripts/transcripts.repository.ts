import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Transcript } from './transcript-format';
import { CallStatus } from '../common/vocabulary';
import { resolveSettings } from '../establishments/settings';
import { NamedContact } from './lexicon';

/** The facts of a call a transcript write needs. */
export interface TranscriptTarget {
  id: string;
  prisonNumber: string;
  establishmentCode: string;
  status: CallStatus;
  hadTranscript: boolean;
}

/** A stored transcript with what its highlights are computed from. */
export interface TranscriptForReading {
  transcript: Transcript | null;
  keywordLexicon: string[];
  protectedContacts: NamedContact[];
}

/** Contacts whose names are listened for (as `isProtectedContact` in lexicon.ts). */
const PROTECTED = `(k.is_victim OR k.restriction IN ('NO_CONTACT', 'HARASSMENT_ORDER'))`;

@Injectable()
export class TranscriptsRepository {
  constructor(private readonly db: DataSource) {}

  /** The call's facts without a lock (to know which prisoner to serialise on). */
  async find(id: string): Promise<TranscriptTarget | null> {
    const rows: TranscriptTarget[] = await this.db.query(
      `SELECT id, prison_number AS "prisonNumber", trim(establishment_code) AS "establishmentCode", status,
              transcript IS NOT NULL AS "hadTranscript"
         FROM calls WHERE id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  /**
   * Serialises transcript writes for one prisoner: each write re-scores all the prisoner's waiting
   * calls, and two writes locking them in different orders would deadlock.
   */
  async lockPrisoner(m: EntityManager, prisonNumber: string): Promise<void> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtextextended('transcript:' || $1, 0))`, [
      prisonNumber,
    ]);
  }

  async lockCall(m: EntityManager, id: string): Promise<TranscriptTarget | null> {
    const rows: TranscriptTarget[] = await m.query(
      `SELECT id, prison_number AS "prisonNumber", trim(establishment_code) AS "establishmentCode", status,
              transcript IS NOT NULL AS "hadTranscript"
         FROM calls WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return rows[0] ?? null;
  }

  async store(m: EntityManager, id: string, transcript: Transcript): Promise<void> {
    await m.query(`UPDATE calls SET transcript = $2::jsonb, updated_at = now() WHERE id = $1`, [
      id,
      JSON.stringify(transcript),
    ]);
  }

  /** The transcript, the establishment's extra phrases and the prisoner's protected contacts. */
  async forReading(callId: string): Promise<TranscriptForReading | null> {
    const rows: { transcript: Transcript | null; settings: unknown; contacts: NamedContact[] }[] =
      await this.db.query(
        `SELECT c.transcript, e.settings,
                coalesce((SELECT json_agg(json_build_object('name', k.name, 'isVictim', k.is_victim,
                                                            'restriction', k.restriction)
                                          ORDER BY k.created_at, k.id)
                            FROM contacts k WHERE k.prison_number = c.prison_number AND ${PROTECTED}),
                         '[]'::json) AS contacts
           FROM calls c JOIN establishments e ON e.code = c.establishment_code
          WHERE c.id = $1`,
        [callId],
      );
    const row = rows[0];
    if (!row) return null;
    return {
      transcript: row.transcript,
      keywordLexicon: resolveSettings(row.settings).keywordLexicon,
      protectedContacts: row.contacts,
    };
  }
}
