import { Migration } from '@mikro-orm/migrations';

// Opens and clicks of each message, with the ones made by machines (mail privacy prefetching, link scanners) marked
// so that rates leave them out; and a switch per campaign for tracking at all.
export class Migration20261206000000_engagement extends Migration {
  override up(): void {
    this.addSql(`
      alter table campaigns add column tracking boolean not null default true;
      create table message_events (
        id bigint generated always as identity primary key,
        log_id bigint not null references communication_logs (id) on delete cascade,
        kind text not null check (kind in ('open', 'click')),
        link_index integer,
        machine boolean not null default false,
        user_agent text,
        at timestamptz not null default now()
      );
      create index message_events_log_idx on message_events (log_id, kind);
    `);
  }

  override down(): void {
    this.addSql(`
      drop table if exists message_events;
      alter table campaigns drop column tracking;
    `);
  }
}
