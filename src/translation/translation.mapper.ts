import { CallStatus } from '../common/vocabulary';
import { LIVE_TRANSLATION_STATUSES } from './translation.dto';
import {
  AwaitingByLanguage,
  TranslatedFigures,
  TranslationRequestRow,
} from './translation.repository';

/** Call statuses whose recording an interpreting service may be sent (never privileged or purged). */
const SENDABLE: readonly CallStatus[] = ['AWAITING_TRANSLATION', 'PENDING'];

/**
 * The recording reference goes to the interpreting service only while the request is live and the
 * call may still be heard: never for a privileged call, nor one no longer monitored, claimed,
 * logged or purged.
 */
export function sendableRecordingRef(r: TranslationRequestRow): string | null {
  if (!LIVE_TRANSLATION_STATUSES.includes(r.status)) return null;
  if (!SENDABLE.includes(r.callStatus) || r.privilegedKind !== null) return null;
  return r.recordingRef;
}

/** A translation request with what an interpreting service needs to know about its call. */
export function toTranslationRequestResponse(r: TranslationRequestRow) {
  return {
    id: r.id,
    callId: r.callId,
    establishmentCode: r.establishmentCode,
    prisonNumber: r.prisonNumber,
    language: r.language,
    channel: r.channel,
    startedAt: r.startedAt,
    durationSeconds: r.durationSeconds,
    tier: r.tier,
    dueAt: r.dueAt,
    recordingRef: sendableRecordingRef(r),
    callStatus: r.callStatus,
    status: r.status,
    requestedBy: r.requestedBy,
    requestedAt: r.requestedAt,
    sentBy: r.sentBy,
    sentAt: r.sentAt,
    translator: r.translator,
    translatedSummary: r.translatedSummary,
    translatedBy: r.translatedBy,
    translatedAt: r.translatedAt,
  };
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/** The translation backlog of one establishment at an instant, from the set-based figures. */
export function buildTranslationBacklog(input: {
  establishmentCode: string;
  at: Date;
  awaiting: AwaitingByLanguage[];
  translated: TranslatedFigures;
}) {
  const byLanguage: Record<
    string,
    {
      count: number;
      oldestStartedAt: Date | null;
      breached: number;
      requested: number;
      sent: number;
    }
  > = {};
  for (const row of input.awaiting) {
    byLanguage[row.language] = {
      count: row.count,
      oldestStartedAt: row.oldestStartedAt,
      breached: row.breached,
      requested: row.requested,
      sent: row.sent,
    };
  }
  const mean = input.translated.meanTurnaroundSeconds;
  return {
    establishmentCode: input.establishmentCode,
    generatedAt: input.at.toISOString(),
    awaiting: {
      total: input.awaiting.reduce((n, r) => n + r.count, 0),
      byLanguage,
    },
    translatedLast7Days: input.translated.translated,
    meanTurnaroundHours: mean === null ? null : round1(mean / 3600),
  };
}
