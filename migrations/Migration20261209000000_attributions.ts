import { Migration } from '@mikro-orm/migrations';

// Which campaign each order belongs to, kept as orders and messages change, so a report reads its conversions
// instead of pairing every recipient with their orders on each request. Writes only mark the customers they touch
// (attribution_stale); the marks are worked off by the workers in the background and, for a campaign's own
// members, by its report before it reads, so every report is exact.
export class Migration20261209000000_attributions extends Migration {
  override up(): void {
    this.addSql(`
      -- An order placed within a campaign's window after the latest message (sent or delivered) to its customer.
      create table order_attributions (
        order_id bigint primary key,
        customer_id bigint not null,
        campaign_id bigint not null,
        log_id bigint not null,
        total numeric(30,3) not null
      );
      create index order_attributions_campaign_idx on order_attributions (campaign_id);
      create index order_attributions_customer_idx on order_attributions (customer_id);
      -- An order of a control-group member within the window after the campaign's launch.
      create table holdout_orders (
        campaign_id bigint not null,
        order_id bigint not null,
        customer_id bigint not null,
        total numeric(30,3) not null,
        primary key (campaign_id, order_id)
      );
      create index holdout_orders_customer_idx on holdout_orders (customer_id);
      create index campaign_holdouts_customer_idx on campaign_holdouts (customer_id);
      create table attribution_stale (customer_id bigint primary key);
      -- The last message of a campaign, read at once: its window is the campaign's last.
      create index communication_logs_campaign_sent_idx on communication_logs (campaign_id, sent_at);

      -- Every customer whose orders changed.
      create function orders_attribution_marks() returns trigger language plpgsql as $$
      begin
        if tg_op in ('INSERT', 'UPDATE') then
          insert into attribution_stale select distinct customer_id from new_orders on conflict do nothing;
        end if;
        if tg_op in ('UPDATE', 'DELETE') then
          insert into attribution_stale select distinct customer_id from old_orders on conflict do nothing;
        end if;
        return null;
      end $$;
      create trigger orders_attribution_insert after insert on orders
        referencing new table as new_orders for each statement execute function orders_attribution_marks();
      create trigger orders_attribution_update after update on orders
        referencing old table as old_orders new table as new_orders for each statement execute function orders_attribution_marks();
      create trigger orders_attribution_delete after delete on orders
        referencing old table as old_orders for each statement execute function orders_attribution_marks();

      -- Customers whose messages started or stopped counting (sent or delivered), or moved in time. A launch's queued
      -- messages and a send's claims mark nobody: only what a report counts does.
      create function logs_attribution_marks() returns trigger language plpgsql as $$
      begin
        if tg_op = 'INSERT' then
          insert into attribution_stale select distinct customer_id from new_logs where status in ('sent', 'delivered') on conflict do nothing;
        elsif tg_op = 'DELETE' then
          insert into attribution_stale select distinct customer_id from old_logs where status in ('sent', 'delivered') on conflict do nothing;
        else
          insert into attribution_stale
            select distinct n.customer_id from new_logs n join old_logs o on o.id = n.id
            where (n.status in ('sent', 'delivered') or o.status in ('sent', 'delivered'))
              and (n.status is distinct from o.status or n.sent_at is distinct from o.sent_at or n.customer_id is distinct from o.customer_id)
            on conflict do nothing;
        end if;
        return null;
      end $$;
      create trigger logs_attribution_insert after insert on communication_logs
        referencing new table as new_logs for each statement execute function logs_attribution_marks();
      create trigger logs_attribution_update after update on communication_logs
        referencing old table as old_logs new table as new_logs for each statement execute function logs_attribution_marks();
      create trigger logs_attribution_delete after delete on communication_logs
        referencing old table as old_logs for each statement execute function logs_attribution_marks();

      -- Control groups are written at launch: their members' orders are read then.
      create function holdouts_attribution_marks() returns trigger language plpgsql as $$
      begin
        insert into attribution_stale select distinct customer_id from new_holdouts on conflict do nothing;
        return null;
      end $$;
      create trigger holdouts_attribution_insert after insert on campaign_holdouts
        referencing new table as new_holdouts for each statement execute function holdouts_attribution_marks();

      create function orders_attribution_truncated() returns trigger language plpgsql as $$
      begin
        truncate order_attributions, holdout_orders;
        return null;
      end $$;
      create trigger orders_attribution_truncate after truncate on orders for each statement execute function orders_attribution_truncated();

      -- Opens and clicks name their campaign, so a report counts them without reading every message.
      alter table message_events add column campaign_id bigint;
      update message_events e set campaign_id = l.campaign_id from communication_logs l where l.id = e.log_id;
      create index message_events_campaign_idx on message_events (campaign_id);

      -- What exists already is worked off like any other change.
      insert into attribution_stale select distinct customer_id from communication_logs where status in ('sent', 'delivered') on conflict do nothing;
      insert into attribution_stale select distinct customer_id from campaign_holdouts on conflict do nothing;
    `);
  }

  override down(): void {
    this.addSql(`
      drop index if exists message_events_campaign_idx;
      alter table message_events drop column campaign_id;
      drop trigger orders_attribution_truncate on orders;
      drop function orders_attribution_truncated();
      drop trigger holdouts_attribution_insert on campaign_holdouts;
      drop function holdouts_attribution_marks();
      drop trigger logs_attribution_insert on communication_logs;
      drop trigger logs_attribution_update on communication_logs;
      drop trigger logs_attribution_delete on communication_logs;
      drop function logs_attribution_marks();
      drop trigger orders_attribution_insert on orders;
      drop trigger orders_attribution_update on orders;
      drop trigger orders_attribution_delete on orders;
      drop function orders_attribution_marks();
      drop table attribution_stale;
      drop index if exists communication_logs_campaign_sent_idx;
      drop index if exists campaign_holdouts_customer_idx;
      drop table holdout_orders;
      drop table order_attributions;
    `);
  }
}
