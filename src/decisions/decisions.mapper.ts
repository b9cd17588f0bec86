import { MonitoringDecisionResponse } from './decisions.dto';
import { DecisionRow } from './decisions.repository';

export function toDecisionResponse(r: DecisionRow, now: Date): MonitoringDecisionResponse {
  return {
    id: r.id,
    prisonNumber: r.prisonNumber,
    establishmentCode: r.establishmentCode,
    reason: r.reason,
    markers: r.markers,
    openedAt: r.openedAt,
    dueAt: r.dueAt,
    overdue: r.status === 'DUE' && r.dueAt.getTime() < now.getTime(),
    status: r.status,
    decision: r.decision,
    rationale: r.rationale,
    decidedBy: r.decidedBy,
    decidedAt: r.decidedAt,
    authorisationId: r.authorisationId,
    reopens: r.reopens,
  };
}
