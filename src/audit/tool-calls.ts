import { Injectable } from '@nestjs/common';
import { createHmac, randomBytes } from 'node:crypto';
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

/**
 * Tells two calls with the same arguments apart from others without keeping the arguments (they can name customers).
 * Keyed with this CRM's own secret, so a digest cannot be matched against guessed arguments ("customer 123?").
 */
export const argumentsDigest = (key: string, input: unknown) => createHmac('sha256', key).update(canonical(input)).digest('hex').slice(0, 16);

/** The key of the digests: made once, on the first call, and kept in the database for every process. */
async function digestKey(sql: Sql): Promise<string> {
  await sql.query(`insert into crm_settings (key, value) values ('tool_call_digest_key', $1) on conflict (key) do nothing`, [randomBytes(32).toString('base64url')]);
  return (await sql.rows<{ value: string }>(`select value from crm_settings where key = 'tool_call_digest_key'`))[0].value;
}

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
  private key?: Promise<string>;

  constructor(private readonly sql: Sql) {}

  async record(actor: Actor, tool: string, input: unknown, outcome: string, durationMs: number) {
    const key = await (this.key ??= digestKey(this.sql).catch((error) => { this.key = undefined; throw error; }));
    await this.sql.query(
      `insert into tool_calls (user_id, actor, surface, client, tool, arguments_digest, outcome, duration_ms) values ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [actor.userId, actor.email, actor.surface, clientOf(actor), tool.slice(0, 100), argumentsDigest(key, input), outcome, Math.round(durationMs)],
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
