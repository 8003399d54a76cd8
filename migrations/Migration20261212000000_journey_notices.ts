import { Migration } from '@mikro-orm/migrations';

// What a journey tells the team in Slack: that it stopped (a cap, an approver who may no longer launch, a rule that
// fails) and, once a business day is over, what it did that day. Each notice is written once by the outcomes worker
// and posted once, whichever server process posts it first.
export class Migration20261212000000_journey_notices extends Migration {
  override up(): void {
    this.addSql(`
      create table journey_notices (
        automation_id bigint not null references automations (id) on delete cascade,
        key text not null,
        text text not null,
        created_at timestamptz not null default now(),
        -- Set when the outcomes worker announced it to the server processes, and when Slack took it.
        announced_at timestamptz,
        slack_posted_at timestamptz,
        primary key (automation_id, key)
      );
    `);
  }

  override down(): void {
    this.addSql(`drop table if exists journey_notices;`);
  }
}
