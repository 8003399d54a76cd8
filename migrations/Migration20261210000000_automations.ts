import { Migration } from '@mikro-orm/migrations';

// Recurring campaigns: a definition a person approves with its caps, runs that each become a campaign (once per due
// time, whoever runs them), and the campaigns a run made, so a customer who got one recently is skipped.
export class Migration20261210000000_automations extends Migration {
  override up(): void {
    this.addSql(`
      create table automations (
        id bigint generated always as identity primary key,
        name text not null unique,
        definition jsonb not null,
        schedule jsonb not null,
        cron text not null,
        skip_days integer not null check (skip_days between 0 and 365),
        max_per_run integer not null check (max_per_run > 0),
        max_per_day integer not null check (max_per_day > 0),
        status text not null default 'draft' check (status in ('draft', 'active', 'paused')),
        status_reason text,
        approved_by bigint references users (id),
        approved_at timestamptz,
        next_run_at timestamptz,
        created_by bigint references users (id),
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      );
      create index automations_due_idx on automations (next_run_at) where status = 'active';
      create table automation_approvals (
        id uuid primary key,
        automation_id bigint not null references automations (id) on delete cascade,
        definition_hash text not null,
        expires_at timestamptz not null,
        redeemed_at timestamptz,
        created_by bigint references users (id)
      );
      create table automation_runs (
        id bigint generated always as identity primary key,
        automation_id bigint not null references automations (id) on delete cascade,
        due_at timestamptz not null,
        started_at timestamptz not null default now(),
        status text not null check (status in ('sent', 'held', 'empty', 'failed')),
        campaign_id bigint references campaigns (id),
        recipients integer not null default 0,
        reason text,
        slack_posted_at timestamptz,
        unique (automation_id, due_at)
      );
      alter table campaigns add column automation_id bigint references automations (id);
      create index campaigns_automation_idx on campaigns (automation_id) where automation_id is not null;
    `);
  }

  override down(): void {
    this.addSql(`
      drop index if exists campaigns_automation_idx;
      alter table campaigns drop column automation_id;
      drop table automation_runs;
      drop table automation_approvals;
      drop table automations;
    `);
  }
}
