import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AppConfig } from '../config/app-config';
import { Unauthorised } from '../common/errors';
import { ROLES, Role } from '../common/vocabulary';
import { StaffRepository } from '../staff/staff.repository';
import { AuthUser } from './auth-user';
import { hashPassword, verifyPassword } from './passwords';

interface TokenClaims {
  sub: string;
  roles: Role[];
  est: string[];
}

/** How many verified tokens `verify` remembers (a few per signed-in user is plenty). */
const VERIFIED_TOKENS_KEPT = 10_000;

// A fixed argon2id hash to verify against when the user does not exist, so that a wrong username
// costs as much time as a wrong password (no username probing by timing).
let dummyHash: Promise<string> | null = null;

@Injectable()
export class AuthService implements OnApplicationBootstrap {
  private readonly logger = new Logger(AuthService.name);
  /**
   * Tokens already verified, with the user each proves and when it expires. The same string always
   * verifies to the same claims under the same key, so only an exact repeat is taken from here; the
   * signature check (an HMAC made for each request) was the costliest part of every API request.
   */
  private readonly verified = new Map<string, { user: AuthUser; expiresAtMs: number }>();

  constructor(
    private readonly staff: StaffRepository,
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
  ) {}

  /** Creates the ADMIN account named in the environment if it does not exist yet. */
  async onApplicationBootstrap(): Promise<void> {
    const created = await this.staff.insertIfAbsent({
      username: this.config.ADMIN_USERNAME,
      displayName: 'Administrator',
      passwordHash: await hashPassword(this.config.ADMIN_PASSWORD),
      roles: ['ADMIN'],
      establishments: [],
      trainings: [],
      languages: [],
    });
    if (created) this.logger.log(`Created the ${this.config.ADMIN_USERNAME} admin account`);
  }

  /**
   * The staff member a username and password prove (the one password rule, shared by the API's
   * token and the web sign-in); 401 otherwise.
   */
  async authenticate(
    username: string,
    password: string,
  ): Promise<AuthUser & { displayName: string }> {
    const staff = await this.staff.find(username);
    if (!staff?.passwordHash) {
      dummyHash ??= hashPassword('not-a-real-password');
      await verifyPassword(await dummyHash, password);
      throw new Unauthorised('Username or password is wrong');
    }
    if (!(await verifyPassword(staff.passwordHash, password))) {
      throw new Unauthorised('Username or password is wrong');
    }
    return {
      username: staff.username,
      displayName: staff.displayName,
      roles: staff.roles,
      establishments: staff.establishments,
    };
  }

  async issueToken(username: string, password: string) {
    const staff = await this.authenticate(username, password);
    const claims: TokenClaims = {
      sub: staff.username,
      roles: staff.roles,
      est: staff.establishments,
    };
    const accessToken = await this.jwt.signAsync(claims, {
      expiresIn: this.config.JWT_TTL_SECONDS,
    });
    return {
      accessToken,
      tokenType: 'Bearer' as const,
      expiresIn: this.config.JWT_TTL_SECONDS,
      user: { username: staff.username, roles: staff.roles, establishments: staff.establishments },
    };
  }

  /** The user a bearer token proves, or null when it is missing, forged or expired. */
  async verify(token: string): Promise<AuthUser | null> {
    const known = this.verified.get(token);
    if (known) {
      if (Date.now() < known.expiresAtMs) return known.user;
      this.verified.delete(token);
    }
    let claims: TokenClaims & { exp?: unknown };
    try {
      claims = await this.jwt.verifyAsync<TokenClaims & { exp?: unknown }>(token);
    } catch {
      return null;
    }
    if (
      typeof claims.sub !== 'string' ||
      !Array.isArray(claims.roles) ||
      !Array.isArray(claims.est)
    )
      return null;
    const user: AuthUser = {
      username: claims.sub,
      roles: claims.roles.filter((r): r is Role => (ROLES as readonly string[]).includes(r)),
      establishments: claims.est,
    };
    // Every token we issue expires; one that does not is checked every time.
    if (typeof claims.exp === 'number') {
      if (this.verified.size >= VERIFIED_TOKENS_KEPT) {
        // The oldest first (a Map keeps insertion order).
        this.verified.delete(this.verified.keys().next().value!);
      }
      this.verified.set(token, { user, expiresAtMs: claims.exp * 1000 });
    }
    return user;
  }
}
