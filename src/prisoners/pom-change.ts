import type { EntityManager } from 'typeorm';
import type { AuthUser } from '../common/auth-user';

/** A prisoner's POM changed from one person (or nobody) to another. */
export interface PomChange {
  prisonNumber: string;
  establishmentCode: string;
  from: string | null;
  to: string | null;
}

/**
 * What must follow a change of POM, inside the transaction that made it, on its manager (the
 * escalations module moves the prisoner's open POM escalations). Registered with
 * `PrisonersService.onPomChanged`: the prisoners module cannot import the modules that react to it
 * without a cycle.
 */
export type PomChangedHook = (
  m: EntityManager,
  actor: AuthUser,
  change: PomChange,
) => Promise<void>;
