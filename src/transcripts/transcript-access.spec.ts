import { AuthUser } from '../common/auth-user';
import { Role } from '../common/vocabulary';
import { mayReadTranscript } from './transcript-access';

const user = (...roles: Role[]): AuthUser => ({ username: 'u1', roles, establishments: ['NHI'] });

describe('who may read a transcript', () => {
  it('never for a privileged, purged, unmonitored or untriaged call', () => {
    for (const status of ['EXCLUDED_PRIVILEGED', 'PURGED', 'NOT_MONITORED', 'RECEIVED'] as const) {
      expect(mayReadTranscript(user('SECURITY_MANAGER'), { status, claimedBy: null })).toBe(false);
    }
  });

  it('for staff who listen, as they may play the recording', () => {
    for (const role of ['POM', 'HEAD_OF_OMU', 'SECURITY_MANAGER'] as const) {
      expect(mayReadTranscript(user(role), { status: 'PENDING', claimedBy: null })).toBe(true);
    }
    expect(mayReadTranscript(user('ADMIN'), { status: 'PENDING', claimedBy: null })).toBe(false);
    expect(mayReadTranscript(user('INGEST'), { status: 'LOGGED', claimedBy: null })).toBe(false);
  });

  it('for a listener only once they hold the claim, or after the call is logged', () => {
    const listener = user('LISTENER');
    expect(mayReadTranscript(listener, { status: 'PENDING', claimedBy: null })).toBe(false);
    expect(mayReadTranscript(listener, { status: 'CLAIMED', claimedBy: 'someone' })).toBe(false);
    expect(mayReadTranscript(listener, { status: 'CLAIMED', claimedBy: 'u1' })).toBe(true);
    expect(mayReadTranscript(listener, { status: 'LOGGED', claimedBy: null })).toBe(true);
  });
});
