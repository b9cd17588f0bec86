import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AppConfig } from '../config/app-config';
import { AuditService } from '../audit/audit.service';
import { Forbidden, Unauthorised } from '../common/errors';
import { requestContext } from '../common/request-context';
import { Role } from '../common/vocabulary';
import { StaffRow, StaffService } from '../staff/staff.service';
import { SignInBusy, TooManyAttempts } from './auth-errors';
import { AuthUser } from '../common/auth-user';
import { hashPassword } from '../common/passwords';
import { verifyPassword } from './passwords';
import { SignInThrottle } from './sign-in-throttle';
import { StaffAccessCache } from '../staff/staff-access';

/** Where a sign-in came from, in its audit row. */
export type SignInVia = 'api' | 'web';

/** One message for a wrong password and an unknown user, so neither is told apart. */
const WRONG_CREDENTIALS = 'Username or password is wrong';

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
   * Tokens already verified, with the username each proves and when it expires. The same string
   * always verifies to the same claims under the same key, so only an exact repeat is taken from
   * here; the signature check (an HMAC made for each request) was the costliest part of every API
   * request. What the user may do is not kept here (see StaffAccessCache).
   */
  private readonly verified = new Map<string, { username: string; expiresAtMs: number }>();

  constructor(
    private readonly staff: StaffService,
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
    private readonly access: StaffAccessCache,
    private readonly throttle: SignInThrottle,
    private readonly audit: AuditService,
  ) {}

  /** Creates the ADMIN account named in the environment if it does not exist yet. */
  async onApplicationBootstrap(): Promise<void> {
    const created = await this.staff.insertIfAbsent({
      username: this.config.ADMIN_USERNAME,
      displayName: 'Administrator',
      passwordHash: await hashPassword(this.config.ADMIN_PASSWORD),
      roles: ['ADMIN'],
      establishments: [],
      trainingRecords: [],
      languages: [],
    });
    if (created) this.logger.log(`Created the ${this.config.ADMIN_USERNAME} admin account`);
  }

  /**
   * The staff member a username and password prove (the one password rule, shared by the API's
   * token and the web sign-in); 401 otherwise, 429 when the username or the address has failed too
   * often (see SignInThrottle), 503 when too many passwords are being checked at once. Every
   * outcome is audited: SIGN_IN, SIGN_IN_FAILED, SIGN_IN_LOCKED (once a minute per lock).
   * `via: 'web'` also refuses machine accounts: the workbench is for people.
   */
  async authenticate(
    username: string,
    password: string,
    via: SignInVia,
  ): Promise<AuthUser & { displayName: string }> {
    const address = requestContext.current()?.clientAddress ?? 'unknown';
    // Never a key, a lookup or an audit row for a name no account can have (the API's body rules
    // are the same; the web form's are not).
    if (!/^[^\0]{1,64}$/.test(username) || password.length > 200) {
      throw new Unauthorised(WRONG_CREDENTIALS);
    }
    const lock = await this.throttle.begin(username, address);
    if (lock) {
      if (lock.audit) await this.auditSignIn('SIGN_IN_LOCKED', username, null, via, lock.by);
      throw new TooManyAttempts(lock.retryAfterSeconds);
    }
    const staff = await this.staff.find(username);
    let verified: boolean;
    try {
      if (staff?.passwordHash && staff.active) {
        verified = await verifyPassword(staff.passwordHash, password);
      } else {
        dummyHash ??= hashPassword('not-a-real-password');
        await verifyPassword(await dummyHash, password);
        verified = false;
      }
    } catch (err) {
      if (err instanceof SignInBusy) await this.throttle.abandoned(username, address);
      throw err;
    }
    if (!verified) {
      const reason = !staff ? 'UNKNOWN_USER' : !staff.active ? 'INACTIVE' : 'WRONG_PASSWORD';
      await this.auditSignIn('SIGN_IN_FAILED', username, staff, via, reason);
      throw new Unauthorised(WRONG_CREDENTIALS);
    }
    await this.throttle.succeeded(username, address);
    if (via === 'web' && staff!.roles.includes('INGEST')) {
      await this.auditSignIn('SIGN_IN_FAILED', username, staff, via, 'MACHINE_ACCOUNT');
      throw new Forbidden('This is a machine account: it cannot sign in to the workbench');
    }
    await this.auditSignIn('SIGN_IN', username, staff, via);
    return {
      username: staff!.username,
      displayName: staff!.displayName,
      roles: staff!.roles,
      establishments: staff!.establishments,
    };
  }

  /**
   * Staff rows of no establishment carry the account's establishments in their details, which is
   * how a security manager's audit search finds their own staff's sign-ins.
   */
  private auditSignIn(
    action: 'SIGN_IN' | 'SIGN_IN_FAILED' | 'SIGN_IN_LOCKED',
    username: string,
    staff: StaffRow | null,
    via: SignInVia,
    reason?: string,
  ): Promise<void> {
    return this.audit.record(
      { username, roles: staff?.roles ?? [], establishments: [] },
      {
        action,
        entityType: 'staff',
        entityId: username,
        details: {
          via,
          ...(reason ? { reason } : {}),
          establishments: staff?.establishments ?? [],
        },
      },
    );
  }

  async issueToken(username: string, password: string) {
    const staff = await this.authenticate(username, password, 'api');
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

  /**
   * The user a bearer token proves, or null when it is missing, forged, expired, has no expiry, or
   * its account no longer exists or is inactive. The token says who is calling; what they may do
   * (roles, establishments) is read from the staff table (cached for seconds), never taken from it.
   */
  async verify(token: string): Promise<AuthUser | null> {
    const username = await this.verifiedSubject(token);
    return username === null ? null : this.access.get(username);
  }

  /** The current access of a signed-in user (workbench sessions use this too). */
  currentAccess(username: string): Promise<AuthUser | null> {
    return this.access.get(username);
  }

  private async verifiedSubject(token: string): Promise<string | null> {
    const known = this.verified.get(token);
    if (known) {
      if (Date.now() < known.expiresAtMs) return known.username;
      this.verified.delete(token);
    }
    let claims: Partial<TokenClaims> & { exp?: unknown };
    try {
      claims = await this.jwt.verifyAsync<TokenClaims & { exp?: unknown }>(token);
    } catch {
      return null;
    }
    // Every token we issue expires: one without an expiry was not made by this service's rules.
    if (typeof claims.sub !== 'string' || typeof claims.exp !== 'number') return null;
    if (this.verified.size >= VERIFIED_TOKENS_KEPT) {
      // The oldest first (a Map keeps insertion order).
      this.verified.delete(this.verified.keys().next().value!);
    }
    this.verified.set(token, { username: claims.sub, expiresAtMs: claims.exp * 1000 });
    return claims.sub;
  }
}
