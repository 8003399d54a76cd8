import { Migration } from '@mikro-orm/migrations';

// Slack delivers an event again when it does not hear back in time. Each event id is recorded once, so a retried
// delivery (or one reaching a second server process) never produces a second answer.
export class Migration20261124000000_slack extends Migration {
  override up(): void {
    this.addSql(`
      create table slack_deliveries (
        event_id text primary key,
        received_at timestamptz not null default now()
      );
    `);
  }

  override down(): void {
    this.addSql(`drop table slack_deliveries;`);
  }
}
