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
