import { Migration } from '@mikro-orm/migrations';

// Campaign plans and their approvals, and the delivery states a message goes through.
// A message is queued when the audience is frozen, submitted once the vendor accepted it, then sent or failed by a
// receipt; unconfirmed when no receipt came in time (a late receipt still settles it).
export class Migration20261122000000_campaigns extends Migration {
  override up(): void {
    this.addSql(`
      alter table campaigns add column description text not null default '';
      alter table campaigns add column plan jsonb;

      create table campaign_approvals (
        id uuid primary key,
        campaign_id bigint not null references campaigns(id) on delete cascade,
        -- The plan as the person saw it: audience, exclusions, samples. Launch sends exactly this definition.
        plan jsonb not null,
        created_by bigint references users(id) on delete set null,
        created_at timestamptz not null default now(),
        expires_at timestamptz not null,
        redeemed_by bigint references users(id) on delete set null,
        redeemed_at timestamptz
      );
      create index campaign_approvals_campaign_idx on campaign_approvals (campaign_id);

      alter table communication_logs drop constraint communication_logs_status_check;
      alter table communication_logs add constraint communication_logs_status_check
        check (status in ('queued', 'submitted', 'sent', 'failed', 'delivered', 'unconfirmed'));
      -- The reconciler looks for submitted messages whose receipt is overdue.
      create index communication_logs_submitted_idx on communication_logs (sent_at) where status = 'submitted';
      create index communication_logs_failed_idx on communication_logs (customer_id) where status = 'failed';
    `);
  }

  override down(): void {
    this.addSql(`
      drop table if exists campaign_approvals;
      drop index if exists communication_logs_submitted_idx;
      drop index if exists communication_logs_failed_idx;
      alter table campaigns drop column if exists plan;
      alter table campaigns drop column if exists description;
    `);
  }
}
