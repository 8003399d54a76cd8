import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import type { Actor, Surface } from './actor.js';
import { Sql } from '../db/sql.js';
import { authorize } from './authorize.js';
import { lesserRole, roleAtLeast } from './permissions.js';
import type { Role } from './roles.js';
import { defaultScopes, scopesOfRole, scopesWithin, type Scope } from './scopes.js';
import { hashToken, looksLikeToken, newToken } from './token-format.js';
import { tokensRepository, type ApiTokenRow } from './tokens.repository.js';
import { usersRepository } from './users.repository.js';
import { UserInputError } from './users.service.js';

const publicToken = (t: ApiTokenRow) => ({
  id: t.id, name: t.name, role: t.role, scopes: t.scopes, tools: t.tools ?? null, prefix: t.tokenPrefix, userId: t.userId,
  createdAt: t.createdAt, lastUsedAt: t.lastUsedAt ?? null, revokedAt: t.revokedAt ?? null,
});

@Injectable()
export class TokensService {
  constructor(private readonly sql: Sql, private readonly audit: AuditService) {}

  /** Makes a token for a user (the caller when no user is named). The token is returned here and never again. */
  async create(actor: Actor, input: { userId?: number; role: Role; name?: string; scopes?: Scope[]; tools?: string[] }) {
    const userId = input.userId ?? actor.userId;
    if (userId === null) throw new UserInputError('Name the user the token is for.');
    authorize(actor, userId === actor.userId ? 'tokens.manage_own' : 'tokens.manage_all');
    const user = await usersRepository.byId(this.sql, userId);
    if (!user) throw new UserInputError(`There is no user ${userId}.`);
    if (!roleAtLeast(user.role, input.role)) throw new UserInputError(`${user.email} is ${user.role}; a token cannot carry more (${input.role}).`);
    // A token made through another token can be no stronger than the token that made it.
    if (!roleAtLeast(actor.role, input.role)) throw new UserInputError(`You act as ${actor.role}; you cannot make a ${input.role} token.`);
    // Unnamed, the scopes are the role's (sending aside), and never more than the token making this one holds.
    const scopes = input.scopes ?? defaultScopes(input.role).filter((s) => !actor.grant || actor.grant.scopes.includes(s));
    const beyondRole = scopes.filter((s) => !scopesOfRole(input.role).includes(s));
    if (beyondRole.length) throw new UserInputError(`${input.role === 'analyst' ? 'An' : 'A'} ${input.role} token cannot hold the ${beyondRole.join(' and ')} scope${beyondRole.length > 1 ? 's' : ''}.`);
    // Likewise for scopes: a script cannot give another script the right to send that it lacks itself.
    const beyondMaker = actor.grant ? scopes.filter((s) => !actor.grant!.scopes.includes(s)) : [];
    if (beyondMaker.length) throw new UserInputError(`This token cannot make a token with the ${beyondMaker.join(' and ')} scope it does not hold.`);
    const token = newToken();
    const row = await tokensRepository.insert(this.sql, {
      userId: user.id, name: input.name?.trim() || `${input.role} token`, role: input.role, scopes, tools: input.tools ?? null,
      tokenHash: hashToken(token), tokenPrefix: token.slice(0, 10),
    });
    await this.audit.record(actor, 'token.create', `token:${row.id}`, { forUser: user.email, role: input.role, scopes, tools: input.tools ?? null });
    return { token, ...publicToken(row) };
  }

  async list(actor: Actor, options: { all?: boolean } = {}) {
    authorize(actor, options.all ? 'tokens.manage_all' : 'tokens.manage_own');
    return (await tokensRepository.list(this.sql, options.all ? undefined : actor.userId ?? -1)).map(publicToken);
  }

  /** Revokes by id or by the prefix shown at creation. A revoked token is refused from the next request on. */
  async revoke(actor: Actor, idOrPrefix: string | number) {
    const token = await tokensRepository.byIdOrPrefix(this.sql, idOrPrefix);
    if (!token) throw new UserInputError(`There is no token ${idOrPrefix}.`);
    authorize(actor, token.userId === actor.userId ? 'tokens.manage_own' : 'tokens.manage_all');
    if (token.revokedAt) return publicToken(token);
    const revoked = await tokensRepository.revoke(this.sql, token.id);
    await this.audit.record(actor, 'token.revoke', `token:${token.id}`);
    return publicToken(revoked);
  }

  /** The caller a bearer token stands for, or null when it is unknown, revoked, or its user is disabled. */
  async verify(token: string, surface: Surface): Promise<Actor | null> {
    if (!looksLikeToken(token)) return null;
    const row = await tokensRepository.byHash(this.sql, hashToken(token));
    if (!row || row.revokedAt || row.disabled) return null;
    if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) await tokensRepository.touch(this.sql, row.id);
    const role = lesserRole(row.role, row.userRole);
    return { userId: row.userId, email: row.email, role, surface, tokenId: row.id, grant: { scopes: scopesWithin(row.scopes, role), tools: row.tools ?? null, client: null } };
  }
}
