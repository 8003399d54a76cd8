import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import type { Config } from '../config/config.schema.js';
import { CONFIG } from '../config/config.token.js';
import type { Actor, Surface } from './actor.js';
import { authorize } from './authorize.js';
import { NotFound, Refused } from '../crm/errors.js';
import { generatePassword, hashPassword, verifyPassword } from './password.js';
import { Sql } from '../db/sql.js';
import { lesserRole } from './permissions.js';
import type { Role } from './roles.js';
import { sessionsRepository } from './sessions.repository.js';
import { usersRepository, type User } from './users.repository.js';

/** A request about people or tokens that cannot be done as asked (a taken email, a weak password). */
export class UserInputError extends Refused {
  override get code() {
    return 'rejected';
  }
}

export const publicUser = (u: User) => ({ id: u.id, email: u.email, name: u.name, role: u.role, slackUserId: u.slackUserId ?? null, disabled: !!u.disabledAt, createdAt: u.createdAt });

@Injectable()
export class UsersService {
  constructor(
    private readonly sql: Sql,
    private readonly audit: AuditService,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  // Exact (case-insensitive) match: "_" and "%" in an address are letters, not wildcards, or one person could
  // be taken for another when an email links a Slack user or a loopback MCP caller.
  findByEmail(email: string) {
    return usersRepository.byEmail(this.sql, email);
  }

  /** The actor an active user stands for on a surface, at most `maxRole`; null when there is no such active user. */
  async actorFor(user: User | null, surface: Surface, maxRole: Role = 'admin'): Promise<Actor | null> {
    if (!user || user.disabledAt) return null;
    return { userId: user.id, email: user.email, role: lesserRole(user.role, maxRole), surface };
  }

  findBySlackId(slackUserId: string) {
    return usersRepository.bySlackId(this.sql, slackUserId);
  }

  /** Ties a Slack user to a CRM user (an admin's decision, or a verified email match); one Slack user, one CRM user. */
  async linkSlack(actor: Actor, userId: number, slackUserId: string | null) {
    if (actor.surface !== 'slack' || actor.userId !== userId) authorize(actor, 'users.manage');
    const user = await this.sql.transaction(async (db) => {
      if (slackUserId) await usersRepository.unlinkSlackFromOthers(db, slackUserId, userId);
      return this.existing(await usersRepository.update(db, userId, { slackUserId }), userId);
    });
    await this.audit.record(actor, 'user.link_slack', `user:${userId}`, { slackUserId });
    return publicUser(user);
  }

  private existing(user: User | null, userId: number) {
    if (!user) throw new NotFound(`There is no user ${userId}.`);
    return user;
  }

  findById(id: number) {
    return usersRepository.byId(this.sql, id);
  }

  async list(actor: Actor) {
    authorize(actor, 'users.manage');
    return (await usersRepository.list(this.sql)).map(publicUser);
  }

  /** Creates a person who signs in with a password; without one, a password is generated and returned once. */
  async create(actor: Actor, input: { email: string; name?: string; role: Role; password?: string }) {
    authorize(actor, 'users.manage');
    const email = input.email.trim().toLowerCase();
    if (!/^[^@\s]+@[^@\s]+$/.test(email)) throw new UserInputError(`"${input.email}" is not an email address.`);
    if (input.password !== undefined && input.password.length < 12) throw new UserInputError('A password needs at least 12 characters.');
    if (await this.findByEmail(email)) throw new UserInputError(`A user with the email ${email} already exists.`);
    const password = input.password ?? generatePassword();
    const user = await usersRepository.insert(this.sql, { email, name: input.name ?? '', role: input.role, passwordHash: await hashPassword(password) });
    await this.audit.record(actor, 'user.create', `user:${user.id}`, { email, role: input.role });
    return { user: publicUser(user), password: input.password ? undefined : password };
  }

  async setRole(actor: Actor, userId: number, role: Role) {
    authorize(actor, 'users.manage');
    const user = this.existing(await usersRepository.update(this.sql, userId, { role }), userId);
    await this.audit.record(actor, 'user.set_role', `user:${userId}`, { role });
    return publicUser(user);
  }

  /**
   * A person changes their own password: only signed in on the web (an API token, however strong, never stands in
   * for the person), only with the current password, and every other sign-in of theirs ends with it.
   */
  async changeOwnPassword(actor: Actor, signedIn: { sessionId: string } | null, current: string, password: string) {
    if (actor.userId === null || actor.tokenId !== undefined || actor.surface !== 'web' || !signedIn) {
      throw new Refused('A password can be changed only by its owner, signed in on the web page with the current password; an API token cannot change it.');
    }
    if (password.length < 12) throw new UserInputError('A password needs at least 12 characters.');
    const user = await usersRepository.byId(this.sql, actor.userId);
    if (!user || !(await verifyPassword(current, user.passwordHash))) throw new UserInputError('The current password is not right.');
    const passwordHash = await hashPassword(password);
    const ended = await this.sql.transaction(async (db) => {
      await usersRepository.update(db, user.id, { passwordHash });
      return sessionsRepository.deleteOthers(db, user.id, signedIn.sessionId);
    });
    await this.audit.record(actor, 'user.set_password', `user:${user.id}`, { otherSessionsEnded: ended });
  }

  /** The user whose password matches, or null; the same answer and about the same time for a wrong email as a wrong password. */
  async checkPassword(email: string, password: string): Promise<User | null> {
    const user = await this.findByEmail(email);
    const ok = await verifyPassword(password, user?.passwordHash ?? 'scrypt$131072$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    return ok && user && !user.disabledAt ? user : null;
  }

  /**
   * On the first start there is nobody to sign in as: make the admin from ADMIN_EMAIL/ADMIN_PASSWORD, or with a
   * one-time password that the caller prints once. Returns null when users already exist.
   */
  async ensureFirstAdmin(): Promise<{ email: string; password?: string } | null> {
    if ((await usersRepository.count(this.sql)) > 0) return null;
    const email = (this.config.ADMIN_EMAIL ?? 'admin@localhost').toLowerCase();
    const password = this.config.ADMIN_PASSWORD ?? generatePassword();
    await usersRepository.insert(this.sql, { email, name: 'Administrator', role: 'admin', passwordHash: await hashPassword(password) });
    await this.audit.record({ userId: null, email: 'system', role: 'admin', surface: 'system' }, 'user.create_first_admin', email);
    return { email, password: this.config.ADMIN_PASSWORD ? undefined : password };
  }
}
