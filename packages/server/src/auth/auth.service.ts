/**
 * Log-in, sessions and the second factor (docs/security.md):
 * - a rate limit per client address, then a lock-out per account name and per address after repeated
 *   failures (throttle.ts); every log-in, failure and lock-out in the audit trail (admin_audit);
 * - a user logs in only on the desks they are bound to (users.desks), and a session ends when they no
 *   longer are;
 * - a session ends at its expiry (SESSION_TTL_HOURS) or after SESSION_IDLE_MINUTES unused;
 * - TOTP (totp.ts) for whoever enrolled, and for supervisors and administrators when AUTH_TOTP=required:
 *   the password opens a short challenge that the code answers (enrolment at log-in when required).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Role } from '@liandong/domain';
import { audit } from '../admin/audit.repo.ts';
import { AUTH_DEFAULTS, type AuthConfig, type Config } from '../config.ts';
import { inTransaction, type Db } from '../db/pool.ts';
import { AppError } from '../errors.ts';
import type { Actor } from './actor.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import { checkPassword } from './password-policy.ts';
import {
  deleteChallenge,
  findSessionUser,
  findUserById,
  findUserByUsername,
  insertChallenge,
  insertSession,
  revokeSession,
  takeChallenge,
  touchSession,
  type UserRow,
} from './sessions.repo.ts';
import {
  LoginRateLimit,
  accountKey,
  addressKey,
  clearKey,
  lockedKey,
  purgeThrottle,
  recordFailure,
} from './throttle.ts';
import { matchTotp, newTotpSecret, totpUrl } from './totp.ts';

const CACHE_MS = 5_000; // a revoked session stops working within this time on other processes
const TOUCH_MS = 60_000; // last_seen_at is written at most this often per session
const CHALLENGE_MS = 5 * 60_000;
const CHALLENGE_ATTEMPTS = 5;
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
const DESK_NAMES = { hotline: '12345热线', dispatch: '110报警服务台', both: '联动平台' } as const;

export function toActor(u: UserRow): Actor {
  return {
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    role: u.role as Role,
    unitId: u.unit_id,
    districtCode: u.district_code,
  };
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');

/** Where a log-in comes from (the client address, as Fastify sees it behind TRUST_PROXY). */
export interface LoginContext {
  address: string;
}

export interface Session {
  kind: 'session';
  token: string;
  expiresAt: Date;
  actor: Actor;
}
/** The password was right; the log-in waits for a TOTP code (and, with `enrol`, for the authenticator to be set up). */
export interface SecondFactorChallenge {
  kind: 'second_factor';
  challenge: string;
  expiresAt: Date;
  enrol: { secret: string; otpauthUrl: string } | null;
}

export interface AuthOptions {
  ttlHours: number;
  desk?: Config['desk'];
  auth?: Partial<AuthConfig>;
}

export class AuthService {
  private readonly cache = new Map<string, { actor: Actor; expiresAt: number; cachedAt: number; lastSeen: number }>();
  readonly settings: AuthConfig;
  readonly desk: Config['desk'];
  private readonly rate: LoginRateLimit;
  private failuresSincePurge = 0;
  private readonly sessionTtlMs: number;
  /** A session's lifetime (SESSION_TTL_HOURS): it ends this long after the log-in, however it is used. */
  readonly ttlHours: number;

  constructor(
    private readonly db: Db,
    opts: AuthOptions,
  ) {
    this.settings = { ...AUTH_DEFAULTS, ...opts.auth };
    this.desk = opts.desk ?? 'both';
    this.sessionTtlMs = opts.ttlHours * 3600_000;
    this.ttlHours = opts.ttlHours;
    this.rate = new LoginRateLimit(this.settings.loginRatePerMinute);
  }

  private deskAllows(desks: string[]): boolean {
    return this.desk === 'both' || desks.includes(this.desk);
  }

  /** Whether the role must use TOTP (AUTH_TOTP=required and the role in AUTH_TOTP_ROLES). */
  totpRequiredFor(role: string): boolean {
    return this.settings.totp === 'required' && (this.settings.totpRoles as string[]).includes(role);
  }

  private async checkLocks(username: string, ctx: LoginContext, reasonTarget: string): Promise<void> {
    const locked = await lockedKey(this.db, [accountKey(username), addressKey(ctx.address)]);
    if (!locked) return;
    await audit(this.db, null, 'auth.login_failed', reasonTarget, { address: ctx.address, reason: 'locked' });
    const retryAfterSeconds = Math.max(1, Math.ceil((locked.until.getTime() - Date.now()) / 1000));
    throw new AppError(locked.key.startsWith('account:') ? 'AUTH_ACCOUNT_LOCKED' : 'AUTH_ADDRESS_LOCKED', undefined, {
      retryAfterSeconds,
    });
  }

  /** A failed log-in: counted for the account name and the address, audited, and the lock-outs it causes audited. */
  private async fail(username: string, userId: string | null, ctx: LoginContext, reason: string): Promise<void> {
    const s = this.settings;
    await audit(this.db, null, 'auth.login_failed', username, { address: ctx.address, reason, userId });
    const accountUntil = await recordFailure(this.db, accountKey(username), s.lockoutThreshold, s.lockoutMinutes);
    if (accountUntil)
      await audit(this.db, null, 'auth.lockout', accountKey(username), {
        until: accountUntil.toISOString(),
        failures: s.lockoutThreshold,
        address: ctx.address,
      });
    const addressUntil = await recordFailure(
      this.db,
      addressKey(ctx.address),
      s.addressLockoutThreshold,
      s.lockoutMinutes,
    );
    if (addressUntil)
      await audit(this.db, null, 'auth.lockout', addressKey(ctx.address), {
        until: addressUntil.toISOString(),
        failures: s.addressLockoutThreshold,
      });
    if (++this.failuresSincePurge >= 100) {
      this.failuresSincePurge = 0;
      await purgeThrottle(this.db, s.lockoutMinutes);
    }
  }

  async login(
    rawUsername: string,
    password: string,
    ctx: LoginContext,
    code?: string,
  ): Promise<Session | SecondFactorChallenge> {
    const wait = this.rate.take(ctx.address);
    if (wait !== null) throw new AppError('AUTH_RATE_LIMITED', undefined, { retryAfterSeconds: wait });
    const username = rawUsername.toLowerCase();
    await this.checkLocks(username, ctx, username);
    const user = await findUserByUsername(this.db, username);
    // verify even for unknown users so the answer takes the same time
    const ok = await verifyPassword(password, user?.password_hash ?? DUMMY_HASH);
    if (!user || !ok) {
      await this.fail(username, user?.id ?? null, ctx, user ? 'password' : 'unknown_user');
      throw new AppError('AUTH_INVALID_CREDENTIALS');
    }
    if (!user.active) {
      await audit(this.db, null, 'auth.login_failed', username, {
        address: ctx.address,
        reason: 'disabled',
        userId: user.id,
      });
      throw new AppError('AUTH_USER_DISABLED');
    }
    if (!this.deskAllows(user.desks)) {
      await audit(this.db, null, 'auth.login_failed', username, {
        address: ctx.address,
        reason: 'wrong_desk',
        userId: user.id,
        desk: this.desk,
      });
      throw new AppError('AUTH_WRONG_DESK', `该账号不属于${DESK_NAMES[this.desk]}，请在所属平台登录`);
    }
    const enrolled = Boolean(user.totp_enabled_at && user.totp_secret);
    if (enrolled && code !== undefined) {
      await this.checkTotp(user, user.totp_secret!, code, ctx);
      return this.openSession(user, ctx, true);
    }
    if (enrolled || this.totpRequiredFor(user.role)) {
      const challenge = randomBytes(32).toString('base64url');
      const expiresAt = new Date(Date.now() + CHALLENGE_MS);
      const pendingSecret = enrolled ? null : newTotpSecret();
      this.rate.refund(ctx.address);
      await insertChallenge(this.db, {
        tokenHash: hashToken(challenge),
        userId: user.id,
        pendingSecret,
        expiresAt,
        address: ctx.address,
      });
      return {
        kind: 'second_factor',
        challenge,
        expiresAt,
        enrol: pendingSecret
          ? { secret: pendingSecret, otpauthUrl: totpUrl(pendingSecret, user.username, DESK_NAMES[this.desk]) }
          : null,
      };
    }
    return this.openSession(user, ctx, false);
  }

  /** The second step: the challenge from login() and the authenticator's code. */
  async loginSecondFactor(challenge: string, code: string, ctx: LoginContext): Promise<Session> {
    const wait = this.rate.take(ctx.address);
    if (wait !== null) throw new AppError('AUTH_RATE_LIMITED', undefined, { retryAfterSeconds: wait });
    const c = await takeChallenge(this.db, hashToken(challenge), CHALLENGE_ATTEMPTS);
    if (!c) throw new AppError('AUTH_CHALLENGE_INVALID');
    const user = await findUserById(this.db, c.user_id);
    if (!user || !user.active || !this.deskAllows(user.desks)) throw new AppError('AUTH_CHALLENGE_INVALID');
    await this.checkLocks(user.username, ctx, user.username);
    const secret = c.pending_secret ?? user.totp_secret;
    if (!secret) throw new AppError('AUTH_CHALLENGE_INVALID');
    const step = await this.checkTotp(user, secret, code, ctx);
    await deleteChallenge(this.db, hashToken(challenge));
    if (c.pending_secret) await this.enableTotp(user.id, c.pending_secret, step, user.id);
    return this.openSession(user, ctx, true);
  }

  /** Checks a code against the secret and records its time step; a wrong code is a failed log-in. */
  private async checkTotp(user: UserRow, secret: string, code: string, ctx: LoginContext): Promise<number> {
    const last = user.totp_secret === secret && user.totp_last_step !== null ? Number(user.totp_last_step) : null;
    const step = matchTotp(secret, code.trim(), last);
    if (step === null) {
      await this.fail(user.username, user.id, ctx, 'totp');
      throw new AppError('AUTH_TOTP_INVALID');
    }
    if (user.totp_secret === secret) {
      // only one use of a step, even by two log-ins racing
      const r = await this.db.query(
        'UPDATE users SET totp_last_step = $2 WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)',
        [user.id, step],
      );
      if (!r.rowCount) {
        await this.fail(user.username, user.id, ctx, 'totp');
        throw new AppError('AUTH_TOTP_INVALID');
      }
    }
    return step;
  }

  private async enableTotp(userId: string, secret: string, step: number, by: string): Promise<void> {
    await inTransaction(this.db, async (tx) => {
      await tx.query('UPDATE users SET totp_secret = $2, totp_enabled_at = now(), totp_last_step = $3 WHERE id = $1', [
        userId,
        secret,
        step,
      ]);
      await tx.query('DELETE FROM totp_enrolments WHERE user_id = $1', [userId]);
      await audit(tx, by, 'auth.totp_enabled', userId);
    });
  }

  private async openSession(user: UserRow, ctx: LoginContext, secondFactor: boolean): Promise<Session> {
    this.rate.refund(ctx.address);
    await clearKey(this.db, accountKey(user.username));
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + this.sessionTtlMs);
    await inTransaction(this.db, async (tx) => {
      await insertSession(tx, hashToken(token), user.id, expiresAt);
      await audit(tx, user.id, 'auth.login', user.username, { address: ctx.address, desk: this.desk, secondFactor });
    });
    return { kind: 'session', token, expiresAt, actor: toActor(user) };
  }

  async authenticate(token: string): Promise<Actor> {
    const key = hashToken(token);
    const now = Date.now();
    const idleMs = this.settings.idleMinutes * 60_000;
    const hit = this.cache.get(key);
    if (hit && now - hit.cachedAt < CACHE_MS) {
      if (hit.expiresAt <= now) throw new AppError('AUTH_SESSION_EXPIRED');
      if (idleMs && now - hit.lastSeen > idleMs) return this.endIdle(key);
      hit.lastSeen = now;
      return hit.actor;
    }
    const row = await findSessionUser(this.db, key);
    if (!row || row.revoked_at) throw new AppError('AUTH_REQUIRED', '登录状态无效，请重新登录');
    if (row.expires_at.getTime() <= now) throw new AppError('AUTH_SESSION_EXPIRED');
    if (!row.active) throw new AppError('AUTH_USER_DISABLED');
    if (!this.deskAllows(row.desks)) throw new AppError('AUTH_WRONG_DESK');
    const lastSeen = Math.max(row.last_seen_at.getTime(), hit?.lastSeen ?? 0);
    if (idleMs && now - lastSeen > idleMs) return this.endIdle(key);
    if (now - row.last_seen_at.getTime() > TOUCH_MS) await touchSession(this.db, key);
    const actor = toActor(row);
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(key, { actor, expiresAt: row.expires_at.getTime(), cachedAt: now, lastSeen: now });
    return actor;
  }

  private async endIdle(key: string): Promise<never> {
    this.cache.delete(key);
    await revokeSession(this.db, key);
    throw new AppError('AUTH_SESSION_IDLE');
  }

  /**
   * 继续工作: the session counts as used now (authenticate already did, in this process); the write is not
   * deferred, so every process of the desk sees it at once. Answers when it ends at the latest.
   */
  async renew(token: string): Promise<{ idleMinutes: number; expiresAt: string | null }> {
    const key = hashToken(token);
    await touchSession(this.db, key);
    const expiresAt = await this.sessionEnd(token);
    return { idleMinutes: this.settings.idleMinutes, expiresAt: expiresAt ? expiresAt.toISOString() : null };
  }

  /** When the session ends at the latest (its lifetime, SESSION_TTL_HOURS), whatever its use; null: unknown token. */
  async sessionEnd(token: string): Promise<Date | null> {
    const key = hashToken(token);
    const hit = this.cache.get(key);
    return hit ? new Date(hit.expiresAt) : ((await findSessionUser(this.db, key))?.expires_at ?? null);
  }

  async logout(token: string): Promise<void> {
    const key = hashToken(token);
    this.cache.delete(key);
    await revokeSession(this.db, key);
  }

  forgetUser(userId: string): void {
    for (const [k, v] of this.cache) if (v.actor.id === userId) this.cache.delete(k);
  }

  /** The user's own account: desks and second factor, for /api/auth/me. */
  async security(userId: string): Promise<{ desks: string[]; totp: { enabled: boolean; required: boolean } }> {
    const u = await findUserById(this.db, userId);
    if (!u) throw new AppError('USER_NOT_FOUND');
    return { desks: u.desks, totp: { enabled: Boolean(u.totp_enabled_at), required: this.totpRequiredFor(u.role) } };
  }

  /** A user changes their own password: the current one first (a wrong one counts as a failed log-in). */
  async changePassword(
    actor: Actor,
    current: string,
    next: string,
    ctx: LoginContext,
    keepToken: string,
  ): Promise<void> {
    const user = actor.id ? await findUserById(this.db, actor.id) : null;
    if (!user) throw new AppError('USER_NOT_FOUND');
    await this.checkLocks(user.username, ctx, user.username);
    if (!(await verifyPassword(current, user.password_hash))) {
      await this.fail(user.username, user.id, ctx, 'current_password');
      throw new AppError('PASSWORD_CURRENT_INVALID');
    }
    if (current === next) throw new AppError('PASSWORD_UNCHANGED');
    checkPassword(next, user.username, this.settings);
    const hash = await hashPassword(next);
    await inTransaction(this.db, async (tx) => {
      await tx.query('UPDATE users SET password_hash = $2 WHERE id = $1', [user.id, hash]);
      // every other session of the user ends; this one goes on
      await tx.query(
        'UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL AND token_hash <> $2',
        [user.id, hashToken(keepToken)],
      );
      await audit(tx, user.id, 'auth.password_change', user.id, { address: ctx.address });
    });
    this.forgetUser(user.id);
  }

  /** Starts (or restarts) the user's TOTP enrolment: a new secret, confirmed by its first code. */
  async startTotpEnrolment(actor: Actor): Promise<{ secret: string; otpauthUrl: string }> {
    const user = actor.id ? await findUserById(this.db, actor.id) : null;
    if (!user) throw new AppError('USER_NOT_FOUND');
    if (user.totp_enabled_at) throw new AppError('TOTP_ALREADY_ENABLED');
    const secret = newTotpSecret();
    await this.db.query(
      `INSERT INTO totp_enrolments (user_id, secret) VALUES ($1, $2)
      ON CONFLICT (user_id) DO UPDATE SET secret = EXCLUDED.secret, created_at = now()`,
      [user.id, secret],
    );
    return { secret, otpauthUrl: totpUrl(secret, user.username, DESK_NAMES[this.desk]) };
  }

  async confirmTotp(actor: Actor, code: string, ctx: LoginContext): Promise<void> {
    const user = actor.id ? await findUserById(this.db, actor.id) : null;
    if (!user) throw new AppError('USER_NOT_FOUND');
    if (user.totp_enabled_at) throw new AppError('TOTP_ALREADY_ENABLED');
    const e = await this.db.query<{ secret: string }>(
      "SELECT secret FROM totp_enrolments WHERE user_id = $1 AND created_at > now() - interval '1 hour'",
      [user.id],
    );
    const secret = e.rows[0]?.secret;
    if (!secret) throw new AppError('TOTP_NOT_ENROLLING');
    const step = await this.checkTotp(user, secret, code, ctx);
    await this.enableTotp(user.id, secret, step, user.id);
  }

  /** Turns the user's own TOTP off (with a current code), unless their role must use it. */
  async disableTotp(actor: Actor, code: string, ctx: LoginContext): Promise<void> {
    const user = actor.id ? await findUserById(this.db, actor.id) : null;
    if (!user) throw new AppError('USER_NOT_FOUND');
    if (!user.totp_enabled_at || !user.totp_secret) throw new AppError('TOTP_NOT_ENABLED');
    if (this.totpRequiredFor(user.role)) throw new AppError('TOTP_REQUIRED_FOR_ROLE');
    await this.checkTotp(user, user.totp_secret, code, ctx);
    await inTransaction(this.db, async (tx) => {
      await tx.query(
        'UPDATE users SET totp_secret = NULL, totp_enabled_at = NULL, totp_last_step = NULL WHERE id = $1',
        [user.id],
      );
      await audit(tx, user.id, 'auth.totp_disabled', user.id, { by: 'self' });
    });
  }
}
