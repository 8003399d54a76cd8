import type { Queryable } from '../db/sql.js';
import type { Role } from './roles.js';

/** A person as the database keeps them. `passwordHash` never leaves the auth services. */
export interface User {
  id: number; email: string; name: string; role: Role; passwordHash: string | null; oidcSubject: string | null;
  slackUserId: string | null; disabledAt: Date | null; createdAt: Date;
}

const columns = `id, email, name, role, password_hash as "passwordHash", oidc_subject as "oidcSubject", slack_user_id as "slackUserId",
  disabled_at as "disabledAt", created_at as "createdAt"`;

const one = async (db: Queryable, where: string, params: unknown[]) => (await db.query<User>(`select ${columns} from users where ${where}`, params)).rows[0] ?? null;

/** People: the SQL behind UsersService, SessionsService and sign-in with a provider. */
export const usersRepository = {
  // Exact (case-insensitive) match: "_" and "%" in an address are letters, not wildcards.
  byEmail: (db: Queryable, email: string) => one(db, 'lower(email) = lower($1)', [email.trim()]),
  byId: (db: Queryable, id: number) => one(db, 'id = $1', [id]),
  bySlackId: (db: Queryable, slackUserId: string) => one(db, 'slack_user_id = $1', [slackUserId]),
  byOidcSubject: (db: Queryable, subject: string) => one(db, 'oidc_subject = $1', [subject]),
  async list(db: Queryable) {
    return (await db.query<User>(`select ${columns} from users order by id`)).rows;
  },
  async count(db: Queryable) {
    return Number((await db.query(`select count(*) as n from users`)).rows[0].n);
  },
  async insert(db: Queryable, user: { email: string; name: string; role: Role; passwordHash?: string | null; oidcSubject?: string | null }) {
    return (await db.query<User>(
      `insert into users (email, name, role, password_hash, oidc_subject) values ($1, $2, $3, $4, $5) returning ${columns}`,
      [user.email, user.name, user.role, user.passwordHash ?? null, user.oidcSubject ?? null],
    )).rows[0];
  },
  async update(db: Queryable, id: number, change: Partial<Pick<User, 'role' | 'passwordHash' | 'oidcSubject' | 'slackUserId'>>) {
    const names = { role: 'role', passwordHash: 'password_hash', oidcSubject: 'oidc_subject', slackUserId: 'slack_user_id' } as const;
    const keys = Object.keys(change) as (keyof typeof names)[];
    const set = keys.map((k, i) => `${names[k]} = $${i + 2}`).join(', ');
    return (await db.query<User>(`update users set ${set} where id = $1 returning ${columns}`, [id, ...keys.map((k) => change[k])])).rows[0] ?? null;
  },
  /** One Slack member, one CRM user: the member is taken off anyone else first. */
  async unlinkSlackFromOthers(db: Queryable, slackUserId: string, keepUserId: number) {
    await db.query(`update users set slack_user_id = null where slack_user_id = $1 and id <> $2`, [slackUserId, keepUserId]);
  },
};
