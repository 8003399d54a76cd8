import type { Queryable } from '../db/sql.js';
import type { Role } from './roles.js';

/** Web sign-ins. The id is a hash of the cookie value: a stolen copy of the table opens no session. */
export const sessionsRepository = {
  async insert(db: Queryable, session: { id: string; userId: number; csrfToken: string; expiresAt: Date }) {
    await db.query(`insert into sessions (id, user_id, csrf_token, expires_at) values ($1, $2, $3, $4)`, [session.id, session.userId, session.csrfToken, session.expiresAt]);
  },
  /** The session with its person, while it lasts. */
  async find(db: Queryable, id: string) {
    return (await db.query<{ id: string; csrfToken: string; userId: number; email: string; role: Role; disabled: boolean }>(
      `select s.id, s.csrf_token as "csrfToken", u.id as "userId", u.email, u.role, u.disabled_at is not null as disabled
       from sessions s join users u on u.id = s.user_id where s.id = $1 and s.expires_at > now()`, [id])).rows[0] ?? null;
  },
  async delete(db: Queryable, id: string) {
    await db.query(`delete from sessions where id = $1`, [id]);
  },
  /** Every other sign-in of a person ends (a changed password); returns how many. */
  async deleteOthers(db: Queryable, userId: number, keepId: string) {
    return (await db.query(`delete from sessions where user_id = $1 and id <> $2`, [userId, keepId])).rowCount ?? 0;
  },
};
