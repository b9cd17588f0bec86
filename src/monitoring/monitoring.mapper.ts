import { AuthorisationRow, ReviewRow } from './monitoring.repository';

export function toAuthorisationResponse(a: AuthorisationRow, reviews?: ReviewRow[]) {
  return {
    id: a.id,
    prisonNumber: a.prisonNumber,
    establishmentCode: a.establishmentCode,
    type: a.type,
    grounds: a.grounds,
    channels: a.channels,
    justification: a.justification,
    status: a.status,
    requestedBy: a.requestedBy,
    requestedAt: a.requestedAt,
    approvedBy: a.approvedBy,
    approvedAt: a.approvedAt,
    approvalNote: a.approvalNote,
    startsAt: a.startsAt,
    endsAt: a.endsAt,
    reviewDueAt: a.reviewDueAt,
    reviewOverdue: a.status === 'ACTIVE' && a.reviewDueAt.getTime() < Date.now(),
    lookbackDays: a.lookbackDays,
    endedAt: a.endedAt,
    endedBy: a.endedBy,
    endReason: a.endReason,
    ...(reviews
      ? {
          reviews: reviews.map((r) => ({
            id: r.id,
            decision: r.decision,
            rationale: r.rationale,
            reviewedBy: r.reviewedBy,
            reviewedAt: r.reviewedAt,
            nextReviewDueAt: r.nextReviewDueAt,
          })),
        }
      : {}),
  };
}
