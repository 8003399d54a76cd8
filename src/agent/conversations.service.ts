import { Injectable } from '@nestjs/common';
import type { UIMessage } from 'ai';
import type { Actor } from '../auth/actor.js';
import { authorize } from '../auth/authorize.js';
import { Sql } from '../db/sql.js';
import { NotFound } from '../crm/errors.js';

export interface ConversationSummary { id: string; title: string; surface: string; createdAt: string; updatedAt: string }

const titleOf = (messages: UIMessage[]) => {
  const first = messages.find((m) => m.role === 'user')?.parts.find((p) => p.type === 'text');
  return first && 'text' in first ? first.text.slice(0, 80) : '';
};

/**
 * Each person's conversations with the agent, stored message by message as the chat shows them (tool calls,
 * approvals and token usage included). Someone else's conversation is "not found", never "forbidden".
 */
@Injectable()
export class ConversationsService {
  constructor(private readonly sql: Sql) {}

  async list(actor: Actor, limit = 50): Promise<ConversationSummary[]> {
    authorize(actor, 'agent.chat');
    return this.sql.rows(
      `select id, title, surface, created_at as "createdAt", updated_at as "updatedAt" from conversations
       where user_id = $1 order by updated_at desc limit $2`,
      [actor.userId, limit],
    );
  }

  /** Opens the actor's conversation, or starts one under that id (the web chat names its conversations itself). */
  async open(actor: Actor, id: string, options: { surface?: string; externalRef?: string } = {}): Promise<{ id: string; messages: UIMessage[] }> {
    authorize(actor, 'agent.chat');
    if (actor.userId === null) throw new NotFound('Conversations belong to a person; sign in first.');
    const inserted = await this.sql.rows(
      `insert into conversations (id, user_id, surface, external_ref) values ($1, $2, $3, $4) on conflict (id) do nothing returning id`,
      [id, actor.userId, options.surface ?? actor.surface, options.externalRef ?? null],
    );
    if (!inserted.length) {
      const owner = await this.sql.rows(`select user_id as "userId" from conversations where id = $1`, [id]);
      if (owner[0]?.userId !== actor.userId) throw new NotFound(`There is no conversation ${id}.`);
    }
    return { id, messages: await this.messages(id) };
  }

  async get(actor: Actor, id: string) {
    authorize(actor, 'agent.chat');
    const row = (await this.sql.rows(`select id, title, surface, user_id as "userId", created_at as "createdAt", updated_at as "updatedAt" from conversations where id = $1`, [id]))[0];
    if (!row || row.userId !== actor.userId) throw new NotFound(`There is no conversation ${id}.`);
    const { userId: _, ...summary } = row;
    return { ...summary, messages: await this.messages(id) };
  }

  private async messages(id: string): Promise<UIMessage[]> {
    const rows = await this.sql.rows(`select message_id as id, role, parts, metadata from conversation_messages where conversation_id = $1 order by position`, [id]);
    return rows.map((r) => ({ id: r.id, role: r.role, parts: r.parts, ...(r.metadata ? { metadata: r.metadata } : {}) }));
  }

  /** Stores the conversation's messages from `from` on (earlier ones are unchanged by a turn). */
  async save(id: string, messages: UIMessage[], from: number) {
    await this.sql.transaction(async (client) => {
      await client.query(`delete from conversation_messages where conversation_id = $1 and position >= $2`, [id, from]);
      const rest = messages.slice(from);
      if (rest.length) {
        await client.query(
          `insert into conversation_messages (conversation_id, position, message_id, role, parts, metadata, usage)
           select $1, $2::int + m.n::int - 1, m.id, m.role, m.parts, m.metadata, m.metadata->'usage'
           from rows from (jsonb_to_recordset($3::jsonb) as (id text, role text, parts jsonb, metadata jsonb)) with ordinality as m(id, role, parts, metadata, n)`,
          [id, from, JSON.stringify(rest)],
        );
      }
      await client.query(`update conversations set updated_at = now(), title = case when title = '' then $2 else title end where id = $1`, [id, titleOf(messages)]);
    });
  }
}
