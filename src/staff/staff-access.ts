import { Injectable } from '@nestjs/common';
import { ROLES, Role } from '../common/vocabulary';
import { StaffRepository } from './staff.repository';
import { AuthUser } from '../common/auth-user';

/**
 * How long a user's roles, establishments and active flag are trusted before they are read again.
 * A token (or a workbench session) proves who is calling, never what they may do: an account
 * demoted, moved or switched off loses access within this long on every instance, at once on the
 * instance that made the change.
 */
export const ACCESS_CACHE_MS = 5_000;

/** Users remembered at once (each entry is a few hundred bytes). */
const ACCESS_CACHE_ENTRIES = 10_000;

interface Entry {
  readAtMs: number;
  access: Promise<AuthUser | null>;
}

/**
 * The current access of each signed-in user, read from the staff table at most once every
 * {@link ACCESS_CACHE_MS} per user (concurrent requests share one read). Null: no such account, or
 * an inactive one.
 */
@Injectable()
export class StaffAccessCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly staff: StaffRepository) {}

  get(username: string): Promise<AuthUser | null> {
    const now = Date.now();
    const known = this.entries.get(username);
    if (known && now - known.readAtMs < ACCESS_CACHE_MS) return known.access;
    if (known) this.entries.delete(username);
    const access = this.read(username);
    if (this.entries.size >= ACCESS_CACHE_ENTRIES) {
      // The oldest first (a Map keeps insertion order, and a re-read entry is re-inserted).
      this.entries.delete(this.entries.keys().next().value!);
    }
    const entry = { readAtMs: now, access };
    this.entries.set(username, entry);
    // A failed read is not remembered: the next request tries the database again.
    access.catch(() => {
      if (this.entries.get(username) === entry) this.entries.delete(username);
    });
    return access;
  }

  /** Forget a user's access (their account changed): the next request reads it again. */
  invalidate(username: string): void {
    this.entries.delete(username);
  }

  private async read(username: string): Promise<AuthUser | null> {
    const row = await this.staff.findAccess(username);
    if (!row?.active) return null;
    return {
      username: row.username,
      roles: row.roles.filter((r): r is Role => (ROLES as readonly string[]).includes(r)),
      establishments: row.establishments,
    };
  }
}
