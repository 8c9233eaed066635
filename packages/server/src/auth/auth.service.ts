import { createHash, randomBytes } from 'node:crypto';
import type { Role } from '@liandong/domain';
import type { Db } from '../db/pool.ts';
import { AppError } from '../errors.ts';
import type { Actor } from './actor.ts';
import { verifyPassword } from './passwords.ts';
import { findSessionUser, findUserByUsername, insertSession, revokeSession, type UserRow } from './sessions.repo.ts';

const CACHE_MS = 5_000; // a revoked session stops working within this time on other processes

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

export class AuthService {
  private readonly cache = new Map<string, { actor: Actor; expiresAt: number; cachedAt: number }>();
  constructor(
    private readonly db: Db,
    private readonly ttlHours: number,
  ) {}

  async login(username: string, password: string): Promise<{ token: string; expiresAt: Date; actor: Actor }> {
    const user = await findUserByUsername(this.db, username);
    // verify even for unknown users so the answer takes the same time
    const ok = await verifyPassword(
      password,
      user?.password_hash ?? 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    );
    if (!user || !ok) throw new AppError('AUTH_INVALID_CREDENTIALS');
    if (!user.active) throw new AppError('AUTH_USER_DISABLED');
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + this.ttlHours * 3600_000);
    await insertSession(this.db, hashToken(token), user.id, expiresAt);
    return { token, expiresAt, actor: toActor(user) };
  }

  async authenticate(token: string): Promise<Actor> {
    const key = hashToken(token);
    const now = Date.now();
    const hit = this.cache.get(key);
    if (hit && now - hit.cachedAt < CACHE_MS) {
      if (hit.expiresAt <= now) throw new AppError('AUTH_SESSION_EXPIRED');
      return hit.actor;
    }
    const row = await findSessionUser(this.db, key);
    if (!row || row.revoked_at) throw new AppError('AUTH_REQUIRED', '登录状态无效，请重新登录');
    if (row.expires_at.getTime() <= now) throw new AppError('AUTH_SESSION_EXPIRED');
    if (!row.active) throw new AppError('AUTH_USER_DISABLED');
    const actor = toActor(row);
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(key, { actor, expiresAt: row.expires_at.getTime(), cachedAt: now });
    return actor;
  }

  async logout(token: string): Promise<void> {
    const key = hashToken(token);
    this.cache.delete(key);
    await revokeSession(this.db, key);
  }

  forgetUser(userId: string): void {
    for (const [k, v] of this.cache) if (v.actor.id === userId) this.cache.delete(k);
  }
}
