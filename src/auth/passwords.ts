import { passwordChecksWaiting, verifyPasswordHash } from '../common/passwords';
import { SignInBusy } from './auth-errors';

/**
 * Checks waiting beyond this are refused at once (503, `Retry-After`): at about 50 ms a check, the
 * last in the queue waits under half a second, and a flood costs memory for nothing.
 */
const VERIFICATIONS_WAITING_MAX = 16;

/**
 * A sign-in's password check: false for a wrong password or a malformed hash; throws SignInBusy
 * when the queue is full.
 */
export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  if (passwordChecksWaiting() >= VERIFICATIONS_WAITING_MAX) throw new SignInBusy();
  return verifyPasswordHash(hash, password);
}
