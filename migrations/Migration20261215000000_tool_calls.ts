import { Migration } from '@mikro-orm/migrations';

// Every tool call on every surface: who, through which surface and client, which tool, a digest of its arguments
// (the arguments themselves can hold customers' details), and how it ended. Kept for TOOL_CALLS_KEEP_DAYS.
export class Migration20261215000000_tool_calls extends Migration {
  override up(): void {
    this.addSql(`
      create table tool_calls (
        id bigserial primary key,
        at timestamptz not null default now(),
        user_id bigint references users (id) on delete set null,
        actor text not null,
        surface text not null,
        client text,
        tool text not null,
        arguments_digest text not null,
        outcome text not null,
        duration_ms integer not null
      );
      create index tool_calls_at_idx on tool_calls (at desc);
      create index tool_calls_tool_at_idx on tool_calls (tool, at desc);
      create index tool_calls_user_at_idx on tool_calls (user_id, at desc);
    `);
  }

  override down(): void {
    this.addSql(`drop table if exists tool_calls;`);
  }
}
