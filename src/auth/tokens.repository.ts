import type { Queryable } from '../db/sql.js';
import type { Role } from './roles.js';
import type { Scope } from './scopes.js';

/** An API token as kept: only a hash of the token itself, shown once when made. */
export interface ApiTokenRow {
  id: number; userId: number; name: string; role: Role; scopes: Scope[]; tools: string[] | null; tokenPrefix: string;
  createdAt: Date; lastUsedAt: Date | null; revokedAt: Date | null;
}

const columns = `id, user_id as "userId", name, role, scopes, tools, token_prefix as "tokenPrefix", created_at as "createdAt",
  last_used_at as "lastUsedAt", revoked_at as "revokedAt"`;

export const tokensRepository = {
  async insert(db: Queryable, token: { userId: number; name: string; role: Role; scopes: Scope[]; tools: string[] | null; tokenHash: string; tokenPrefix: string }) {
    return (await db.query<ApiTokenRow>(
      `insert into api_tokens (user_id, name, role, scopes, tools, token_hash, token_prefix) values ($1, $2, $3, $4, $5, $6, $7) returning ${columns}`,
      [token.userId, token.name, token.role, token.scopes, token.tools, token.tokenHash, token.tokenPrefix],
    )).rows[0];
  },
  async list(db: Queryable, userId?: number) {
    return (await db.query<ApiTokenRow>(`select ${columns} from api_tokens where ($1::bigint is null or user_id = $1) order by id`, [userId ?? null])).rows;
  },
  async byIdOrPrefix(db: Queryable, idOrPrefix: string | number) {
    const byId = typeof idOrPrefix === 'number' || /^\d{1,18}$/.test(idOrPrefix);
    return (await db.query<ApiTokenRow>(`select ${columns} from api_tokens where ${byId ? 'id = $1' : 'token_prefix = $1'}`, [byId ? Number(idOrPrefix) : idOrPrefix])).rows[0] ?? null;
  },
  async revoke(db: Queryable, id: number) {
    return (await db.query<ApiTokenRow>(`update api_tokens set revoked_at = coalesce(revoked_at, now()) where id = $1 returning ${columns}`, [id])).rows[0];
  },
  /** The token a hash stands for, with whether its person is disabled and their role today. */
  async byHash(db: Queryable, tokenHash: string) {
    return (await db.query<ApiTokenRow & { email: string; userRole: Role; disabled: boolean }>(
      `select t.id, t.user_id as "userId", t.name, t.role, t.scopes, t.tools, t.token_prefix as "tokenPrefix", t.created_at as "createdAt",
         t.last_used_at as "lastUsedAt", t.revoked_at as "revokedAt", u.email, u.role as "userRole", u.disabled_at is not null as disabled
       from api_tokens t join users u on u.id = t.user_id where t.token_hash = $1`, [tokenHash])).rows[0] ?? null;
  },
  // Written at most once a minute, so a busy script does not turn every read into a write.
  async touch(db: Queryable, id: number) {
    await db.query(`update api_tokens set last_used_at = now() where id = $1 and (last_used_at is null or last_used_at < now() - interval '1 minute')`, [id]);
  },
};
