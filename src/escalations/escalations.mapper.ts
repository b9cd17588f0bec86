import { EscalationRow, EscalationShareRow } from './escalations.repository';

export function toEscalationResponse(e: EscalationRow) {
  return {
    id: e.id,
    prisonNumber: e.prisonNumber,
    establishmentCode: e.establishmentCode,
    target: e.target,
    status: e.status,
    reason: e.reason,
    concernLevel: e.concernLevel,
    dueAt: e.dueAt,
    overdue: e.overdue,
    logIds: e.logIds,
    assignee: e.assignee,
    createdBy: e.createdBy,
    createdAt: e.createdAt,
    acknowledgedAt: e.acknowledgedAt,
    acknowledgedBy: e.acknowledgedBy,
    closedAt: e.closedAt,
    closedBy: e.closedBy,
    outcome: e.outcome,
    outcomeNote: e.outcomeNote,
    rationale: e.rationale,
    mappaLevel: e.mappaLevel,
  };
}

export function toShareResponse(s: EscalationShareRow) {
  return {
    id: s.id,
    escalationId: s.escalationId,
    channel: s.channel,
    sharedAt: s.sharedAt,
    summary: s.summary,
    response: s.response,
    sharedBy: s.sharedBy,
    recordedAt: s.recordedAt,
  };
}
