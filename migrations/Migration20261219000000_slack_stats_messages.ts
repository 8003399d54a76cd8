import { Migration } from '@mikro-orm/migrations';

// The Slack messages whose campaign figures are kept current: every server process hears delivery progress, and
// whichever takes an update first edits the message, so the figures move whichever process posted them.
export class Migration20261219000000_slack_stats_messages extends Migration {
  override up(): void {
    this.addSql(`
      create table slack_stats_messages (
        campaign_id bigint not null references campaigns (id) on delete cascade,
        channel text not null,
        ts text not null,
        name text not null,
        updated_at timestamptz not null default now(),
        primary key (channel, ts)
      );
      create index slack_stats_messages_campaign_idx on slack_stats_messages (campaign_id);
    `);
  }

  override down(): void {
    this.addSql(`drop table if exists slack_stats_messages;`);
  }
}
