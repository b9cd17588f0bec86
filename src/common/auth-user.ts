import { OutOfScope } from './errors';
import { NATIONAL_ROLES, Role } from './vocabulary';

/** Who is calling, as proved by their token. */
export interface AuthUser {
  username: string;
  roles: Role[];
  establishments: string[];
}

export function isNational(user: AuthUser): boolean {
  return user.roles.some((r) => NATIONAL_ROLES.includes(r));
}

export function hasRole(user: AuthUser, ...roles: Role[]): boolean {
  return user.roles.some((r) => roles.includes(r));
}

export function canSeeEstablishment(user: AuthUser, code: string): boolean {
  return isNational(user) || user.establishments.includes(code);
}

/**
 * The establishments a request may touch: the one asked for (if the user has it), else all of the
 * user's. Null means "every establishment" (national roles with no filter).
 */
export function establishmentScope(user: AuthUser, requested?: string): string[] | null {
  if (requested) return [requested];
  return isNational(user) ? null : user.establishments;
}

/** Throws 403 unless the user works at (or nationally over) the establishment. */
export function assertEstablishment(user: AuthUser, code: string): void {
  if (!canSeeEstablishment(user, code)) {
    throw new OutOfScope(code.trim());
  }
}
