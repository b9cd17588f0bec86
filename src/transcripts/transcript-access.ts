import { AuthUser, hasRole } from '../common/auth-user';
import { CallStatus } from '../common/vocabulary';

/** Statuses whose content a monitoring team may hear (as for recordings: never privileged, unmonitored or purged). */
const HEARABLE: readonly CallStatus[] = ['PENDING', 'CLAIMED', 'LOGGED', 'AWAITING_TRANSLATION'];

/**
 * Whether this user may read the call's transcript: exactly when they may play its recording
 * (CallsService.recording). A transcript is the call's content; it is never shown for a privileged
 * or purged call, to a role that does not listen, or to a listener before they claim the call.
 */
export function mayReadTranscript(
  actor: AuthUser,
  call: { status: CallStatus; claimedBy: string | null },
): boolean {
  if (!HEARABLE.includes(call.status)) return false;
  if (!hasRole(actor, 'LISTENER', 'HEAD_OF_OMU', 'SECURITY_MANAGER', 'POM')) return false;
  const listenerOnly =
    hasRole(actor, 'LISTENER') && !hasRole(actor, 'HEAD_OF_OMU', 'SECURITY_MANAGER', 'POM');
  if (listenerOnly) {
    return (
      call.status === 'LOGGED' || (call.status === 'CLAIMED' && call.claimedBy === actor.username)
    );
  }
  return true;
}
