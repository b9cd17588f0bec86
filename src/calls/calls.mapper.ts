import { toLogResponse } from '../logs/logs.mapper';
import type { LogRow } from '../logs/logs.service';
import { TranscriptView } from '../transcripts/transcripts.service';
import { CallRow } from './calls.repository';

export interface ContactSummary {
  id: string;
  name: string;
  relationship: string;
  isVictim: boolean;
  isChild: boolean;
  restriction: string;
}

/**
 * The call as API.md describes it. A privileged call never reveals its recording. `transcript` is
 * given only for a single call read (GET /api/calls/{id}): null when there is none or the user may
 * not hear the call (never for a privileged or purged call); lists and claims leave it out.
 */
export function toCallResponse(
  c: CallRow,
  contact: ContactSummary | null,
  log: LogRow | null = null,
  transcript?: TranscriptView | null,
) {
  const privileged = c.status === 'EXCLUDED_PRIVILEGED';
  return {
    id: c.id,
    externalId: c.externalId,
    prisonNumber: c.prisonNumber,
    establishmentCode: c.establishmentCode,
    dialledNumber: c.dialledNumber,
    contact,
    startedAt: c.startedAt,
    durationSeconds: c.durationSeconds,
    channel: c.channel,
    language: c.language,
    status: c.status,
    tier: c.tier,
    dueAt: c.dueAt,
    effectiveDueAt: c.effectiveDueAt,
    priorityReasons: c.priorityReasons,
    requiredTrainings: c.requiredTrainings,
    hasRecording: !privileged && c.status !== 'PURGED' && c.recordingRef !== null,
    claim:
      c.status === 'CLAIMED' && c.claimedBy
        ? { username: c.claimedBy, expiresAt: c.claimExpiresAt }
        : null,
    log: log ? toLogResponse(log) : null,
    ...(transcript === undefined
      ? {}
      : { transcript: privileged || c.status === 'PURGED' ? null : transcript }),
  };
}
