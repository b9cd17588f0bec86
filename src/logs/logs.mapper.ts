import { LogRow } from './logs.repository';

export function toLogResponse(l: LogRow, extra: { read?: boolean } = {}) {
  return {
    id: l.id,
    callId: l.callId,
    version: l.version,
    supersedesId: l.supersedesId,
    amendmentReason: l.amendmentReason,
    prisonNumber: l.prisonNumber,
    establishmentCode: l.establishmentCode,
    author: l.authorUsername,
    callStartedAt: l.callStartedAt,
    dialledNumber: l.dialledNumber,
    contact: {
      contactId: l.contactId,
      relationship: l.relationship,
      confidence: l.confidence,
      isChild: l.contactIsChild,
    },
    themes: l.themes,
    threats: l.threats,
    concernLevel: l.concernLevel,
    summary: l.summary,
    recordingQuality: l.recordingQuality,
    language: l.language,
    handlingSeconds: l.handlingSeconds,
    createdAt: l.createdAt,
    ...(extra.read === undefined ? {} : { read: extra.read }),
  };
}
