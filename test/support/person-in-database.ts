import { hashToken, newToken } from '../../src/auth/token-format.js';
import type { Role } from '../../src/auth/roles.js';
import { scopesOfRole } from '../../src/auth/scopes.js';
import type { Sql } from '../../src/db/sql.js';

/** A user and an API token written straight into a database, for a CRM that runs as a process of its own. */
export async function personInDatabase(sql: Sql, role: Role, email = `${role}-${Date.now()}@example.com`) {
  const token = newToken();
  const [user] = await sql.rows<{ id: number }>(`insert into users (email, role) values ($1, $2) returning id`, [email, role]);
  // A script its person trusts with all the role allows, sends included.
  await sql.query(`insert into api_tokens (user_id, name, role, token_hash, token_prefix, scopes) values ($1, 'test', $2, $3, $4, $5)`, [user.id, role, hashToken(token), token.slice(0, 10), [...scopesOfRole(role)]]);
  return { userId: user.id, email, token };
}
