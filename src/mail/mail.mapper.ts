import { RULE_39_KINDS } from '../triage/priority-policy';
import { MailItemRow } from './mail.repository';

/** Privileged correspondence (Rule 39): by its kind, or because triage found it privileged. */
export function isPrivileged(m: Pick<MailItemRow, 'status' | 'correspondentKind'>): boolean {
  return m.status === 'EXCLUDED_PRIVILEGED' || RULE_39_KINDS.includes(m.correspondentKind);
}

/** What the response says about whether the item waits to be read. */
function notice(m: MailItemRow): string | null {
  switch (m.status) {
    case 'PENDING':
    case 'CLAIMED':
    case 'LOGGED':
      return null;
    case 'EXCLUDED_PRIVILEGED':
      return 'Privileged correspondence (Prison Rule 39): recorded, never queued and never read';
    case 'NOT_MONITORED':
      return 'Recorded as metadata only: no active monitoring authorisation covers this prisoner’s mail, so it is not queued';
    case 'AWAITING_TRANSLATION':
      return `Queued for translation: no reader here reads "${m.language}"`;
    case 'RECEIVED':
      return 'Recorded; triage has not run yet and will be retried';
    case 'PURGED':
      return 'Purged at the end of retention';
    default:
      return null;
  }
}

/**
 * A mail item as the API shows it. A privileged item never reveals its scan reference; a purged one
 * has none left.
 */
export function toMailItemResponse(m: MailItemRow) {
  const privileged = isPrivileged(m);
  const scanRef = privileged || m.status === 'PURGED' ? null : m.scanRef;
  return {
    id: m.id,
    prisonNumber: m.prisonNumber,
    establishmentCode: m.establishmentCode,
    direction: m.direction,
    correspondent: m.correspondent,
    correspondentKind: m.correspondentKind,
    privileged,
    receivedAt: m.receivedAt,
    language: m.language,
    status: m.status,
    queued: m.status === 'PENDING' || m.status === 'AWAITING_TRANSLATION',
    tier: m.tier,
    dueAt: m.dueAt,
    priorityReasons: m.priorityReasons,
    hasScan: scanRef !== null,
    scanRef,
    notice: notice(m),
    recordedBy: m.createdBy,
    recordedAt: m.createdAt,
  };
}
