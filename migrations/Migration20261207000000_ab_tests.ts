import { Migration } from '@mikro-orm/migrations';

// A/B tests: the variants a campaign tries on a test share of its audience, the rest of the audience frozen at launch
// to receive the winner, and the decision once made. Also when a campaign's report was posted (its attribution
// window closed) and the Slack threads to post it in, and the marker that this database holds the demo shop (whose
// simulated shoppers may answer campaigns) with the customers who already answered each campaign.
export class Migration20261207000000_ab_tests extends Migration {
  override up(): void {
    this.addSql(`
      alter table communication_logs add column variant smallint;
      create table campaign_ab_tests (
        campaign_id bigint primary key references campaigns (id) on delete cascade,
        variants jsonb not null,
        test_percent numeric(5,2) not null check (test_percent > 0 and test_percent <= 100),
        metric text not null check (metric in ('clicks', 'conversions')),
        hours integer not null check (hours between 1 and 720),
        decide_at timestamptz,
        decided_at timestamptz,
        winner smallint,
        decision jsonb
      );
      create index campaign_ab_tests_due_idx on campaign_ab_tests (decide_at) where decided_at is null;
      create table campaign_ab_remainder (
        campaign_id bigint not null references campaigns (id) on delete cascade,
        customer_id bigint not null references customers (id) on delete cascade,
        primary key (campaign_id, customer_id)
      );
      alter table campaigns add column report_posted_at timestamptz;
      create table slack_campaign_threads (
        campaign_id bigint not null references campaigns (id) on delete cascade,
        channel text not null,
        thread_ts text not null,
        attempts integer not null default 0,
        primary key (campaign_id, channel, thread_ts)
      );
      create table demo_shop (
        only_row boolean primary key default true check (only_row),
        seed integer not null,
        loaded_at timestamptz not null default now()
      );
      create table demo_shopper_answers (
        campaign_id bigint not null references campaigns (id) on delete cascade,
        customer_id bigint not null references customers (id) on delete cascade,
        primary key (campaign_id, customer_id)
      );
    `);
  }

  override down(): void {
    this.addSql(`
      drop table if exists demo_shopper_answers;
      drop table if exists demo_shop;
      drop table if exists slack_campaign_threads;
      alter table campaigns drop column report_posted_at;
      drop table if exists campaign_ab_remainder;
      drop table if exists campaign_ab_tests;
      alter table communication_logs drop column variant;
    `);
  }
}
