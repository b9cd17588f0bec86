import { PatternAlertRow } from './patterns.repository';

export function toPatternAlertResponse(a: PatternAlertRow) {
  return {
    id: a.id,
    establishmentCode: a.establishmentCode,
    prisonNumber: a.prisonNumber,
    dialledNumber: a.dialledNumber,
    kind: a.kind,
    status: a.status,
    reason: a.reason,
    evidence: a.evidence,
    callCount: a.callCount,
    firstCallAt: a.firstCallAt,
    lastCallAt: a.lastCallAt,
    monitored: a.monitored,
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
    acknowledgedAt: a.acknowledgedAt,
    acknowledgedBy: a.acknowledgedBy,
    dismissedAt: a.dismissedAt,
    dismissedBy: a.dismissedBy,
    dismissReason: a.dismissReason,
  };
}
