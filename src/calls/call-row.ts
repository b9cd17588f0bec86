import { CallStatus, Channel, Tier } from '../common/vocabulary';

/**
 * A call as the calls and queue repositories read it, and the columns that give it (from `calls c`).
 * Its own file so that another module's repository can read calls in this shape without importing
 * this module's repository (module boundaries, .dependency-cruiser.cjs).
 */
export interface CallRow {
  id: string;
  externalId: string;
  batchId: string;
  prisonNumber: string;
  establishmentCode: string;
  dialledNumber: string;
  startedAt: Date;
  durationSeconds: number;
  channel: Channel;
  recordingRef: string | null;
  language: string;
  status: CallStatus;
  contactId: string | null;
  tier: Tier | null;
  dueAt: Date | null;
  effectiveDueAt: Date | null;
  priorityReasons: string[];
  requiredTrainings: string[];
  privilegedKind: string | null;
  claimedBy: string | null;
  claimExpiresAt: Date | null;
  claimedAt: Date | null;
  receivedAt: Date;
  triagedAt: Date | null;
}

export const CALL_COLUMNS = `c.id, c.external_id AS "externalId", c.batch_id AS "batchId", c.prison_number AS "prisonNumber",
  trim(c.establishment_code) AS "establishmentCode", c.dialled_number AS "dialledNumber", c.started_at AS "startedAt",
  c.duration_seconds AS "durationSeconds", c.channel, c.recording_ref AS "recordingRef", c.language, c.status,
  c.contact_id AS "contactId", c.tier, c.due_at AS "dueAt", c.effective_due_at AS "effectiveDueAt",
  c.priority_reasons AS "priorityReasons", c.required_trainings AS "requiredTrainings",
  c.privileged_kind AS "privilegedKind", c.claimed_by AS "claimedBy", c.claim_expires_at AS "claimExpiresAt",
  c.claimed_at AS "claimedAt", c.received_at AS "receivedAt", c.triaged_at AS "triagedAt"`;
