import { HoldRow } from './retention.repository';

/** A hold as placed: what it keeps, why, until when it is reviewed, and by whom. */
export function toHoldResponse(h: HoldRow) {
  return {
    id: h.id,
    callId: h.callId,
    justification: h.justification,
    reviewAt: h.reviewAt,
    createdBy: h.createdBy,
    createdAt: h.createdAt,
  };
}

/** An active hold in the review list, with the facts of the call it keeps. */
export function toHoldListItem(h: HoldRow, reviewOverdue: boolean) {
  return {
    ...toHoldResponse(h),
    establishmentCode: h.establishmentCode,
    prisonNumber: h.prisonNumber,
    startedAt: h.startedAt,
    reviewOverdue,
  };
}

/** A released hold: it no longer keeps the call. */
export function toReleasedHoldResponse(h: HoldRow) {
  return {
    ...toHoldResponse(h),
    releasedAt: h.releasedAt,
    releasedBy: h.releasedBy,
    releaseReason: h.releaseReason,
  };
}
