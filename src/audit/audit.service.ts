import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuthUser } from '../auth/auth-user';
import { requestContext } from '../common/request-context';
import { AuditRepository } from './audit.repository';

export interface AuditEvent {
  /** What happened, e.g. CALL_READ, RECORDING_PLAYED, AUTHORISATION_APPROVED. */
  action: string;
  entityType: string;
  entityId?: string | null;
  establishmentCode?: string | null;
  details?: Record<string, unknown>;
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

  /** One audit row per record a list or page showed (`via` says which). */
  async recordReads(
    actor: AuthUser,
    action: string,
    entityType: string,
    records: readonly { id: string; establishmentCode: string }[],
    via: string,
  ): Promise<void> {
    if (records.length === 0) return;
    await this.recordMany(
      actor,
      records.map((r) => ({
        action,
        entityType,
        entityId: r.id,
        establishmentCode: r.establishmentCode,
        details: { via },
      })),
    );
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
      })),
      manager,
    );
  }
}
