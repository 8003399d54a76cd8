import { MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Config } from '../config/config.schema.js';
import { CONFIG } from '../config/config.token.js';
import type { Actor } from './actor.js';
import { Session } from './session.entity.js';
import { User } from './user.entity.js';

const digest = (value: string) => createHash('sha256').update(value).digest('hex');

export interface SignedIn { actor: Actor; csrfToken: string; sessionId: string }

/** Web sign-ins: an httpOnly cookie holds a random value; the database keeps only its hash and the CSRF token. */
@Injectable()
export class SessionsService {
  constructor(private readonly orm: MikroORM, @Inject(CONFIG) private readonly config: Config) {}

  async open(userId: number): Promise<{ cookie: string; csrfToken: string; expiresAt: Date }> {
    const cookie = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(24).toString('base64url');
    const expiresAt = new Date(Date.now() + this.config.SESSION_TTL_HOURS * 3600_000);
    const em = this.orm.em.fork();
    em.create(Session, { id: digest(cookie), user: em.getReference(User, userId), csrfToken, expiresAt });
    await em.flush();
    return { cookie, csrfToken, expiresAt };
  }

  async find(cookie: string | undefined): Promise<SignedIn | null> {
    if (!cookie) return null;
    const em = this.orm.em.fork();
    const session = await em.findOne(Session, { id: digest(cookie) }, { populate: ['user'] });
    if (!session || session.expiresAt < new Date()) return null;
    const user = session.user.getEntity();
    if (user.disabledAt) return null;
    return { actor: { userId: user.id, email: user.email, role: user.role, surface: 'web' }, csrfToken: session.csrfToken, sessionId: session.id };
  }

  async close(cookie: string | undefined) {
    if (cookie) await this.orm.em.fork().nativeDelete(Session, { id: digest(cookie) });
  }

  static csrfMatches(expected: string, given: string | undefined) {
    if (!given || given.length !== expected.length) return false;
    return timingSafeEqual(Buffer.from(expected), Buffer.from(given));
  }
}
