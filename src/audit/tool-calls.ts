import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { surfaces, type Actor } from '../auth/actor.js';
import { authorize } from '../auth/authorize.js';
import { Sql } from '../db/sql.js';

/** JSON with its keys in one order, so that the same arguments always give the same digest. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(value ?? null);
}

/** Tells two calls with the same arguments apart from others without keeping the arguments (they can name customers). */
export const argumentsDigest = (input: unknown) => createHash('sha256').update(canonical(input)).digest('hex').slice(0, 16);

/** Which assistant or token made the call: the OAuth client, an API token by id, or nobody (a person on the web or in Slack). */
const clientOf = (actor: Actor) => actor.grant?.client ?? (actor.tokenId ? `api token ${actor.tokenId}` : null);

export const toolCallFilters = z.object({
  tool: z.string().max(100).optional(),
  userId: z.coerce.number().int().positive().max(2 ** 31 - 1).optional(),
  surface: z.enum(surfaces).optional(),
  outcome: z.string().max(60).optional().describe('ok, or the error code (forbidden, awaiting_person, bad_input …)'),
  since: z.iso.datetime({ offset: true }).optional(),
  until: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

/** The record of every tool call, on every surface; admins read it. */
@Injectable()
export class ToolCallLog {
  constructor(private readonly sql: Sql) {}

  async record(actor: Actor, tool: string, input: unknown, outcome: string, durationMs: number) {
    await this.sql.query(
      `insert into tool_calls (user_id, actor, surface, client, tool, arguments_digest, outcome, duration_ms) values ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [actor.userId, actor.email, actor.surface, clientOf(actor), tool.slice(0, 100), argumentsDigest(input), outcome, Math.round(durationMs)],
    );
  }

  async list(actor: Actor, filters: z.output<typeof toolCallFilters>) {
    authorize(actor, 'audit.read');
    return this.sql.rows(
      `select id, at, user_id as "userId", actor, surface, client, tool, arguments_digest as "argumentsDigest", outcome, duration_ms as "durationMs"
       from tool_calls
       where ($1::text is null or tool = $1) and ($2::bigint is null or user_id = $2) and ($3::text is null or surface = $3)
         and ($4::text is null or outcome = $4) and ($5::timestamptz is null or at >= $5) and ($6::timestamptz is null or at < $6)
       order by at desc, id desc limit $7`,
      [filters.tool ?? null, filters.userId ?? null, filters.surface ?? null, filters.outcome ?? null, filters.since ?? null, filters.until ?? null, filters.limit],
    );
  }

  /** Forgets calls older than the kept time; returns how many went. */
  async prune(keepDays: number) {
    const { rowCount } = await this.sql.query(`delete from tool_calls where at < now() - make_interval(days => $1)`, [keepDays]);
    return rowCount ?? 0;
  }
}
