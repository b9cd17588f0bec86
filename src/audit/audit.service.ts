import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuthUser } from '../common/auth-user';
import { requestContext } from '../common/request-context';
import { AuditFilter, AuditRepository } from './audit.repository';

export interface AuditEvent {
  /** What happened, e.g. CALL_READ, RECORDING_PLAYED, AUTHORISATION_APPROVED. */
  action: string;
  entityType: string;
  entityId?: string | null;
  establishmentCode?: string | null;
  details?: Record<string, unknown>;
  /** For a read of many records: what it showed (see `recordReads`). */
  subjectIds?: string[];
}

/** One record a list or page showed, for `recordReads`. */
export interface ShownRecord {
  id: string;
  establishmentCode: string;
  /** The prisoner the record is about, when it is about one. */
  prisonNumber?: string | null;
  /** Other records shown with it, such as a listed call's log. */
  alsoShown?: readonly string[];
}

/**
 * Who did it and from where, for an audit row written by the statement that makes the change (the
 * claim and release of a call), so that it commits with it in one transaction and one round trip.
 */
export interface AuditIdentity {
  username: string;
  /** Comma-joined, as the audit insert stores them (string_to_array). */
  roles: string;
  clientAddress: string | null;
  correlationId: string | null;
}

/** The system itself (worker jobs) when it changes something on nobody's request. */
export const SYSTEM_ACTOR: AuthUser = { username: 'system', roles: [], establishments: [] };

/**
 * Every read or change of a call, recording, log, authorisation or prisoner profile goes through
 * here. Pass the transaction's manager for changes, so the audit row commits or rolls back with them.
 */
@Injectable()
export class AuditService {
  constructor(private readonly audit: AuditRepository) {}

  record(actor: AuthUser, event: AuditEvent, manager?: EntityManager): Promise<void> {
    return this.recordMany(actor, [event], manager);
  }

  /** The identity columns of an audit row by this actor in the current request. */
  identity(actor: AuthUser): AuditIdentity {
    const ctx = requestContext.current();
    return {
      username: actor.username,
      roles: actor.roles.join(','),
      clientAddress: ctx?.clientAddress ?? null,
      correlationId: ctx?.correlationId ?? null,
    };
  }

  /**
   * The read of the records a list or page showed (`via` says which): one audit row per request, or
   * one per establishment when the records are of several (each establishment's security manager
   * sees theirs, and no other's ids). The row's entityId is null; its subjectIds name every record
   * shown, what was shown with each and the prisoners they belong to, so that the audit search by
   * any of them finds it; `details.count` says how many records of `entityType` it showed.
   */
  async recordReads(
    actor: AuthUser,
    action: string,
    entityType: string,
    records: readonly ShownRecord[],
    via: string,
    details: Record<string, unknown> = {},
  ): Promise<void> {
    if (records.length === 0) return;
    const byEstablishment = new Map<string, ShownRecord[]>();
    for (const r of records) {
      const code = r.establishmentCode.trim();
      const group = byEstablishment.get(code);
      if (group) group.push(r);
      else byEstablishment.set(code, [r]);
    }
    await this.recordMany(
      actor,
      [...byEstablishment].map(([code, shown]) => ({
        action,
        entityType,
        entityId: null,
        establishmentCode: code,
        details: { via, count: shown.length, ...details },
        subjectIds: [
          ...new Set(
            shown.flatMap((r) => [
              r.id,
              ...(r.alsoShown ?? []),
              ...(r.prisonNumber ? [r.prisonNumber] : []),
            ]),
          ),
        ],
      })),
    );
  }

  /**
   * Searches the trail and audits the search (AUDIT_SEARCHED, one row per search: what was asked,
   * over which establishments, how many rows matched). The row belongs to the establishment searched
   * when there is one, else to none, with `details.establishments` saying which (null: national).
   */
  async search(
    actor: AuthUser,
    filter: AuditFilter,
    via: 'api' | 'web',
  ): Promise<{ rows: Record<string, unknown>[]; total: number }> {
    const result = await this.audit.search(filter);
    const scope = filter.establishments;
    await this.record(actor, {
      action: 'AUDIT_SEARCHED',
      entityType: 'audit',
      entityId: null,
      establishmentCode: scope?.length === 1 ? scope[0] : null,
      details: {
        via,
        entityType: filter.entityType ?? null,
        entityId: filter.entityId ?? null,
        username: filter.username ?? null,
        from: filter.from?.toISOString() ?? null,
        to: filter.to?.toISOString() ?? null,
        limit: filter.limit,
        offset: filter.offset,
        establishments: scope,
        total: result.total,
      },
    });
    return result;
  }

  recordMany(actor: AuthUser, events: AuditEvent[], manager?: EntityManager): Promise<void> {
    const ctx = requestContext.current();
    return this.audit.insert(
      events.map((e) => ({
        username: actor.username,
        roles: actor.roles,
        action: e.action,
        entityType: e.entityType,
        entityId: e.entityId ?? null,
        establishmentCode: e.establishmentCode ?? null,
        clientAddress: ctx?.clientAddress ?? null,
        correlationId: ctx?.correlationId ?? null,
        details: e.details ?? {},
        subjectIds: e.subjectIds ?? [],
      })),
      manager,
    );
  }
}
