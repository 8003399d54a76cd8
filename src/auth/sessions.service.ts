import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Config } from '../config/config.schema.js';
import { CONFIG } from '../config/config.token.js';
import { Sql } from '../db/sql.js';
import type { Actor } from './actor.js';
import { sessionsRepository } from './sessions.repository.js';

const digest = (value: string) => createHash('sha256').update(value).digest('hex');

export interface SignedIn { actor: Actor; csrfToken: string; sessionId: string }

/** Web sign-ins: an httpOnly cookie holds a random value; the database keeps only its hash and the CSRF token. */
@Injectable()
export class SessionsService {
  constructor(private readonly sql: Sql, @Inject(CONFIG) private readonly config: Config) {}

  async open(userId: number): Promise<{ cookie: string; csrfToken: string; expiresAt: Date }> {
    const cookie = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(24).toString('base64url');
    const expiresAt = new Date(Date.now() + this.config.SESSION_TTL_HOURS * 3600_000);
    await sessionsRepository.insert(this.sql, { id: digest(cookie), userId, csrfToken, expiresAt });
    return { cookie, csrfToken, expiresAt };
  }

  async find(cookie: string | undefined): Promise<SignedIn | null> {
    if (!cookie) return null;
    const session = await sessionsRepository.find(this.sql, digest(cookie));
    if (!session || session.disabled) return null;
    return { actor: { userId: session.userId, email: session.email, role: session.role, surface: 'web' }, csrfToken: session.csrfToken, sessionId: session.id };
  }

  async close(cookie: string | undefined) {
    if (cookie) await sessionsRepository.delete(this.sql, digest(cookie));
  }

  static csrfMatches(expected: string, given: string | undefined) {
    if (!given || given.length !== expected.length) return false;
    return timingSafeEqual(Buffer.from(expected), Buffer.from(given));
  }
}
