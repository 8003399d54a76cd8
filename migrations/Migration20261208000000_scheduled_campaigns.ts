import { Migration } from '@mikro-orm/migrations';

// A campaign can be approved now and sent later: at one time, or to each customer at their own best hour. Until its
// first message is due it is "scheduled" (and can be cancelled); its messages are frozen at approval and wait.
export class Migration20261208000000_scheduled_campaigns extends Migration {
  override up(): void {
    this.addSql(`
      alter table campaigns add column send_at timestamptz, add column send_at_best_hour boolean not null default false;
      alter table campaigns drop constraint campaigns_status_check;
      alter table campaigns add constraint campaigns_status_check
        check (status in ('draft', 'scheduled', 'sending', 'completed', 'failed', 'cancelled'));
      create index campaigns_scheduled_idx on campaigns (send_at) where status = 'scheduled';
    `);
  }

  override down(): void {
    this.addSql(`
      drop index if exists campaigns_scheduled_idx;
      update campaigns set status = 'cancelled' where status = 'scheduled';
      alter table campaigns drop constraint campaigns_status_check;
      alter table campaigns add constraint campaigns_status_check check (status in ('draft', 'sending', 'completed', 'failed', 'cancelled'));
      alter table campaigns drop column send_at, drop column send_at_best_hour;
    `);
  }
}
