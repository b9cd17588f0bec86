/*
 * Password hashing, shared: staff accounts hash the passwords an admin sets, sign-in (auth)
 * verifies them, and both take their turn on the same few argon2 slots.
 */
import * as argon2 from 'argon2';
import { Sema } from 'async-sema';

/**
 * argon2id with the first of OWASP's equivalent configurations (46 MiB, one pass, one lane) rather
 * than the library's 64 MiB and three passes: a sign-in holds its memory while it hashes, and
 * sign-ins made the api's peak memory. Not OWASP's 19 MiB and two passes: a block that size is
 * taken from the C heap of the pool's threads and kept there after the hash (about 19 MB a thread,
 * 77 MB measured), where anything over 32 MiB is mapped for the hash and returned to the system
 * after it. The parameters are stored in each hash, so hashes made with other parameters still
 * verify.
 */
const ARGON2_OPTIONS = {
  type: argon2.argon2id,
  memoryCost: 47_104,
  timeCost: 1,
  parallelism: 1,
} as const;

/**
 * argon2 runs on libuv's thread pool (four threads), which file reads (recordings), DNS and zlib
 * share: 50 concurrent sign-ins took every thread and slowed playback from 5 ms to 2.9 s. At most
 * two hashes run at once, so two threads stay free for everything else (and peak memory is two
 * blocks, not four).
 */
const ARGON2_AT_ONCE = 2;
const argon2Slots = new Sema(ARGON2_AT_ONCE);

async function withSlot<T>(work: () => Promise<T>): Promise<T> {
  await argon2Slots.acquire();
  try {
    return await work();
  } finally {
    argon2Slots.release();
  }
}

/** Waits for a slot however long the queue (an admin setting a password is not a flood). */
export function hashPassword(password: string): Promise<string> {
  return withSlot(() => argon2.hash(password, ARGON2_OPTIONS));
}

/** Checks now waiting for a slot (sign-in refuses a check rather than queue it behind too many). */
export function passwordChecksWaiting(): number {
  return argon2Slots.nrWaiting();
}

/** False for a wrong password or a malformed hash; waits for a slot however long the queue. */
export async function verifyPasswordHash(hash: string, password: string): Promise<boolean> {
  return withSlot(async () => {
    try {
      return await argon2.verify(hash, password);
    } catch {
      return false;
    }
  });
}
