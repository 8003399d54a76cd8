import { Injectable } from '@nestjs/common';
import type { Actor } from '../auth/actor.js';
import { Sql, type Queryable } from '../db/sql.js';
import { redact } from '../logging/logger.js';

/** Every write records who did it, through which surface, what, and when. */
@Injectable()
export class AuditService {
  constructor(private readonly sql: Sql) {}

  /** Pass the transaction's client so the event commits or rolls back with the write it describes. */
  async record(actor: Actor, action: string, target: string | null, details: Record<string, unknown> = {}, db: Queryable = this.sql) {
    await db.query(
      `insert into audit_events (user_id, actor, surface, action, target, details) values ($1, $2, $3, $4, $5, $6)`,
      [actor.userId, actor.email, actor.surface, action, target, JSON.stringify(redact(details))],
    );
  }

  async recent(limit = 100) {
    return this.sql.rows(
      `select id, at, user_id as "userId", actor, surface, action, target, details from audit_events order by at desc, id desc limit $1`,
      [Math.min(limit, 1000)],
    );
  }
}
