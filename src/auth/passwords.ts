import * as argon2 from 'argon2';

/**
 * argon2id with the first of OWASP's equivalent configurations (46 MiB, one pass, one lane) rather
 * than the library's 64 MiB and three passes: a sign-in holds its memory while it hashes (four at
 * once on the libuv pool), and sign-ins made the api's peak memory. Not OWASP's 19 MiB and two
 * passes: a block that size is taken from the C heap of the pool's threads and kept there after the
 * hash (about 19 MB a thread, 77 MB measured), where anything over 32 MiB is mapped for the hash and
 * returned to the system after it. The parameters are stored in each hash, so hashes made with
 * other parameters still verify.
 */
const ARGON2_OPTIONS = {
  type: argon2.argon2id,
  memoryCost: 47_104,
  timeCost: 1,
  parallelism: 1,
} as const;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, ARGON2_OPTIONS);
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}
