import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import {
  AuthorisationStatus,
  AuthorisationType,
  Channel,
  ConcernLevel,
  EscalationOutcome,
  EscalationStatus,
  EscalationTarget,
  Ground,
  MappaOutcome,
  Relationship,
  Restriction,
} from '../common/vocabulary';

export interface Period {
  from: Date;
  /** Exclusive. */
  to: Date;
}

export interface SummaryAuthorisationRow {
  id: string;
  type: AuthorisationType;
  grounds: Ground[];
  channels: Channel[];
  status: AuthorisationStatus;
  startsAt: Date;
  endsAt: Date | null;
  endedAt: Date | null;
  endReason: string | null;
  approvedBy: string | null;
  reviewDueAt: Date;
}

export interface SummaryReviewRow {
  authorisationId: string;
  decision: 'CONTINUE' | 'END';
  rationale: string;
  reviewedBy: string;
  reviewedAt: Date;
}

export interface CommunicationCounts {
  made: number;
  listenedTo: number;
  pending: number;
  notMonitored: number;
  privilegedExcluded: number;
  purged: number;
  awaitingTriage: number;
  byChannel: Record<Channel, number>;
}

export interface ContactOfConcernRow {
  id: string;
  name: string;
  relationship: Relationship;
  isVictim: boolean;
  isChild: boolean;
  restriction: Restriction;
  phoneNumbers: string[];
  callsInPeriod: number;
}

export interface SummaryEscalationRow {
  id: string;
  target: EscalationTarget;
  status: EscalationStatus;
  reason: string;
  concernLevel: ConcernLevel;
  createdAt: Date;
  closedAt: Date | null;
  outcome: EscalationOutcome | MappaOutcome | null;
  outcomeNote: string | null;
}

/**
 * The set-based reads behind the monitoring summary. Each takes the transaction's manager, so the
 * whole summary is read from one snapshot (the service runs them under REPEATABLE READ) and its
 * figures agree with its lists.
 */
@Injectable()
export class ReportsRepository {
  async establishmentName(m: EntityManager, code: string): Promise<string | null> {
    const rows = await m.query<{ name: string }[]>(
      `SELECT name FROM establishments WHERE code = $1`,
      [code],
    );
    return rows[0]?.name ?? null;
  }

  /**
   * Authorisations in force at any time in the period (any status: a request never approved is part
   * of the record too), oldest first. An authorisation ended early counts up to when it ended.
   */
  authorisations(
    m: EntityManager,
    prisonNumber: string,
    p: Period,
  ): Promise<SummaryAuthorisationRow[]> {
    return m.query<SummaryAuthorisationRow[]>(
      `SELECT id, type, grounds, channels, status, starts_at AS "startsAt", ends_at AS "endsAt",
              ended_at AS "endedAt", end_reason AS "endReason", approved_by AS "approvedBy",
              review_due_at AS "reviewDueAt"
       FROM monitoring_authorisations
       WHERE prison_number = $1 AND starts_at < $3
         AND coalesce(ended_at, ends_at, 'infinity'::timestamptz) > $2
       ORDER BY starts_at, id`,
      [prisonNumber, p.from, p.to],
    );
  }

  /** Every review of these authorisations, oldest first. */
  reviews(m: EntityManager, authorisationIds: string[]): Promise<SummaryReviewRow[]> {
    if (authorisationIds.length === 0) return Promise.resolve([]);
    return m.query<SummaryReviewRow[]>(
      `SELECT authorisation_id AS "authorisationId", decision, rationale, reviewed_by AS "reviewedBy",
              reviewed_at AS "reviewedAt"
       FROM authorisation_reviews WHERE authorisation_id = ANY($1::uuid[])
       ORDER BY reviewed_at, id`,
      [authorisationIds],
    );
  }

  /**
   * The prisoner's communications made in the period, by what became of them. `listenedTo` counts
   * every call with a log (also those since purged); `purged` only those purged without being heard,
   * so the statuses add up to `made`.
   */
  async communications(
    m: EntityManager,
    prisonNumber: string,
    p: Period,
  ): Promise<CommunicationCounts> {
    const rows = await m.query<
      (Omit<CommunicationCounts, 'byChannel'> & Record<Channel, number>)[]
    >(
      `SELECT count(*)::int AS made,
              count(*) FILTER (WHERE logged_at IS NOT NULL)::int AS "listenedTo",
              count(*) FILTER (WHERE status IN ('PENDING', 'CLAIMED', 'AWAITING_TRANSLATION'))::int AS pending,
              count(*) FILTER (WHERE status = 'NOT_MONITORED')::int AS "notMonitored",
              count(*) FILTER (WHERE status = 'EXCLUDED_PRIVILEGED')::int AS "privilegedExcluded",
              count(*) FILTER (WHERE status = 'PURGED' AND logged_at IS NULL)::int AS purged,
              count(*) FILTER (WHERE status = 'RECEIVED')::int AS "awaitingTriage",
              count(*) FILTER (WHERE channel = 'PHONE')::int AS "PHONE",
              count(*) FILTER (WHERE channel = 'VIDEO')::int AS "VIDEO",
              count(*) FILTER (WHERE channel = 'MAIL')::int AS "MAIL"
       FROM calls WHERE prison_number = $1 AND started_at >= $2 AND started_at < $3`,
      [prisonNumber, p.from, p.to],
    );
    const { PHONE, VIDEO, MAIL, ...counts } = rows[0];
    return { ...counts, byChannel: { PHONE, VIDEO, MAIL } };
  }

  /**
   * Ids of the current version of each log of a call made in the period (the newest version per
   * call, as `CURRENT` in logs.repository.ts), oldest call first.
   */
  async currentLogIds(m: EntityManager, prisonNumber: string, p: Period): Promise<string[]> {
    const rows = await m.query<{ id: string }[]>(
      `SELECT l.id FROM monitoring_logs l JOIN calls c ON c.id = l.call_id
       WHERE l.prison_number = $1 AND c.started_at >= $2 AND c.started_at < $3
         AND NOT EXISTS (SELECT 1 FROM monitoring_logs newer
                         WHERE newer.call_id = l.call_id AND newer.version > l.version)
       ORDER BY c.started_at, l.id`,
      [prisonNumber, p.from, p.to],
    );
    return rows.map((r) => r.id);
  }

  /**
   * Victims, children and contacts under a restriction, plus the contacts given (those named in
   * logs of concern), each with the number of calls made to them in the period (by the contact the
   * call was matched to, or by one of the contact's numbers). Victims first, then restricted
   * contacts, then children.
   */
  contactsOfConcern(
    m: EntityManager,
    prisonNumber: string,
    p: Period,
    namedContactIds: string[],
  ): Promise<ContactOfConcernRow[]> {
    return m.query<ContactOfConcernRow[]>(
      `SELECT ct.id, ct.name, ct.relationship, ct.is_victim AS "isVictim", ct.is_child AS "isChild",
              ct.restriction, ct.phone_numbers AS "phoneNumbers",
              (SELECT count(*)::int FROM calls c
               WHERE c.prison_number = ct.prison_number AND c.started_at >= $2 AND c.started_at < $3
                 AND (c.contact_id = ct.id OR c.dialled_number = ANY(ct.phone_numbers))) AS "callsInPeriod"
       FROM contacts ct
       WHERE ct.prison_number = $1
         AND (ct.is_victim OR ct.is_child OR ct.restriction <> 'NONE' OR ct.id = ANY($4::uuid[]))
       ORDER BY ct.is_victim DESC, (ct.restriction <> 'NONE') DESC, ct.is_child DESC, ct.name, ct.id`,
      [prisonNumber, p.from, p.to, namedContactIds],
    );
  }

  /** Escalations open at any time in the period: raised before its end, not closed before its start. */
  escalations(m: EntityManager, prisonNumber: string, p: Period): Promise<SummaryEscalationRow[]> {
    return m.query<SummaryEscalationRow[]>(
      `SELECT id, target, status, reason, concern_level AS "concernLevel", created_at AS "createdAt",
              closed_at AS "closedAt", outcome, outcome_note AS "outcomeNote"
       FROM escalations
       WHERE prison_number = $1 AND created_at < $3 AND (closed_at IS NULL OR closed_at >= $2)
       ORDER BY created_at, target, id`,
      [prisonNumber, p.from, p.to],
    );
  }
}
