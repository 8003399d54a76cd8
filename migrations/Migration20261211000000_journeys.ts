import { Migration } from '@mikro-orm/migrations';

// Journeys: automations whose customers enter one by one (on entering a segment, or on an event) and go through steps
// (send, wait, branch, exit) on their own clock. Each step acts once per entry; writes mark the customers whose
// figures changed, so entry is decided for those only, not for every customer on every tick.
export class Migration20261211000000_journeys extends Migration {
  override up(): void {
    this.addSql(`
      alter table automations add column kind text not null default 'recurring' check (kind in ('recurring', 'journey'));
      alter table automations alter column cron drop not null;
      alter table automations add column event_cursor bigint not null default 0, add column events_since timestamptz, add column last_full_pass timestamptz;
      create table journey_entries (
        id bigint generated always as identity primary key,
        automation_id bigint not null references automations (id) on delete cascade,
        customer_id bigint not null references customers (id) on delete cascade,
        entered_at timestamptz not null default now(),
        step integer not null default 0,
        due_at timestamptz not null default now(),
        state text not null default 'active' check (state in ('active', 'done', 'exited')),
        reason text,
        -- Which time this customer is going through the journey (a re-entry policy may let them in again).
        round integer not null default 1,
        -- In the control group: goes through every step but is sent nothing, so the journey's lift can be measured.
        held boolean not null default false
      );
      create unique index journey_entries_active_key on journey_entries (automation_id, customer_id) where state = 'active';
      create unique index journey_entries_round_key on journey_entries (automation_id, customer_id, round);
      create index journey_entries_due_idx on journey_entries (due_at) where state = 'active';
      create table journey_steps_done (
        entry_id bigint not null references journey_entries (id) on delete cascade,
        step integer not null,
        at timestamptz not null default now(),
        outcome text not null,
        primary key (entry_id, step)
      );
      -- Who matched each segment journey's rule at its last reading, so "entered" means "was not in it before".
      create table journey_members (
        automation_id bigint not null references automations (id) on delete cascade,
        customer_id bigint not null,
        primary key (automation_id, customer_id)
      );
      create table journey_marks (customer_id bigint primary key);
      create table journey_events (
        id bigint generated always as identity primary key,
        customer_id bigint not null,
        kind text not null check (kind in ('first_order', 'any_order', 'imported', 'unsubscribed')),
        at timestamptz not null default now()
      );
      alter table campaigns add column journey_step integer, add column journey_round integer;

      -- Which entries a running journey listens for: with none, writes mark and record nothing.
      create function journeys_listening(what text) returns boolean language sql stable as $$
        select exists (select 1 from automations where kind = 'journey' and status = 'active'
          and case when what = 'segment' then definition -> 'journey' -> 'entry' -> 'segment' is not null else definition -> 'journey' -> 'entry' ->> 'event' = what end)
      $$;

      create function journey_orders_marks() returns trigger language plpgsql as $$
      begin
        if journeys_listening('segment') then
          insert into journey_marks select distinct customer_id from new_orders on conflict do nothing;
        end if;
        if tg_op = 'INSERT' and journeys_listening('any_order') then
          -- Orders placed now, not history an import brings in.
          insert into journey_events (customer_id, kind) select distinct customer_id, 'any_order' from new_orders
            where status in ('pending', 'completed') and placed_at > now() - interval '1 day';
        end if;
        if tg_op = 'INSERT' and journeys_listening('first_order') then
          insert into journey_events (customer_id, kind)
            select distinct n.customer_id, 'first_order' from new_orders n where n.status in ('pending', 'completed') and n.placed_at > now() - interval '1 day'
              and not exists (select 1 from orders o where o.customer_id = n.customer_id and o.status in ('pending', 'completed')
                              and o.id not in (select id from new_orders));
        end if;
        return null;
      end $$;
      create trigger journey_orders_insert after insert on orders
        referencing new table as new_orders for each statement execute function journey_orders_marks();
      create trigger journey_orders_update after update on orders
        referencing new table as new_orders for each statement execute function journey_orders_marks();

      create function journey_customers_marks() returns trigger language plpgsql as $$
      begin
        if journeys_listening('segment') then
          insert into journey_marks select id from new_customers on conflict do nothing;
        end if;
        if tg_op = 'INSERT' and journeys_listening('imported') then
          insert into journey_events (customer_id, kind) select id, 'imported' from new_customers;
        elsif tg_op = 'UPDATE' and journeys_listening('unsubscribed') then
          insert into journey_events (customer_id, kind)
            select n.id, 'unsubscribed' from new_customers n join old_customers o on o.id = n.id where n.unsubscribed_at is not null and o.unsubscribed_at is null;
        end if;
        return null;
      end $$;
      create trigger journey_customers_insert after insert on customers
        referencing new table as new_customers for each statement execute function journey_customers_marks();
      create trigger journey_customers_update after update on customers
        referencing old table as old_customers new table as new_customers for each statement execute function journey_customers_marks();
    `);
  }

  override down(): void {
    this.addSql(`
      drop trigger journey_customers_update on customers;
      drop trigger journey_customers_insert on customers;
      drop function journey_customers_marks();
      drop trigger journey_orders_update on orders;
      drop trigger journey_orders_insert on orders;
      drop function journey_orders_marks();
      drop function journeys_listening(text);
      alter table campaigns drop column journey_step, drop column journey_round;
      drop table journey_events;
      drop table journey_marks;
      drop table journey_members;
      drop table journey_steps_done;
      drop table journey_entries;
      alter table automations drop column event_cursor, drop column events_since, drop column last_full_pass;
      delete from automations where cron is null;
      alter table automations alter column cron set not null;
      alter table automations drop column kind;
    `);
  }
}
