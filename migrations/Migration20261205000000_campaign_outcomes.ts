import { Migration } from '@mikro-orm/migrations';

// What a campaign earned is measured against a control group: at launch a share of the eligible audience is held
// out (it receives nothing) and recorded, so orders from both groups in the attribution window can be compared.
export class Migration20261205000000_campaign_outcomes extends Migration {
  override up(): void {
    this.addSql(`
      alter table campaigns
        add column holdout_percent numeric(5,2) check (holdout_percent >= 0 and holdout_percent <= 50),
        add column attribution_days integer check (attribution_days between 1 and 90);
      create table campaign_holdouts (
        campaign_id bigint not null references campaigns (id) on delete cascade,
        customer_id bigint not null references customers (id) on delete cascade,
        primary key (campaign_id, customer_id)
      );
    `);
  }

  override down(): void {
    this.addSql(`
      drop table if exists campaign_holdouts;
      alter table campaigns drop column holdout_percent, drop column attribution_days;
    `);
  }
}
