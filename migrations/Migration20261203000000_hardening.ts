import { Migration } from '@mikro-orm/migrations';

// What the red-team pass needed from the schema (sums of amounts widened as well, see below):
// - imports remember a digest of the request, so a reused Idempotency-Key with different data is refused;
// - a product catalogue (one row per distinct lower-cased line description, with a trigram index) lets "bought …
//   contains" find the matching products through an index instead of reading every order line, and each
//   customer's list of products bought gives their buyers; statement triggers keep both exact whoever writes;
// - order lines are found by their lower-cased description, and orders by customer for the bought semi-join.
export class Migration20261203000000_hardening extends Migration {
  override up(): void {
    this.addSql(`
      alter table imports add column request_digest text;

      -- Amounts are checked at 15 whole digits, but a line multiplies a price by a quantity and an order and a
      -- customer add many up: the sums get room enough never to overflow (same scale, so no table is rewritten).
      alter table orders alter column total type numeric(30,3);
      alter table customers alter column total_spend type numeric(30,3), alter column average_order_value type numeric(30,3);

      create extension if not exists pg_trgm;
      create table products (
        id integer generated always as identity unique,
        description_key text primary key
      );
      create index products_description_trgm_idx on products using gin (description_key gin_trgm_ops);
      insert into products (description_key) select distinct lower(description) from order_lines where description is not null order by 1;
      create index order_lines_description_key_idx on order_lines (lower(description));

      -- Which products each customer bought, in orders that count as purchases, as one list a customer under a GIN
      -- index: "bought … contains" finds its buyers with one index search for the matching products, and keeping the
      -- lists costs one row a customer, not one a pair. Kept exact by the triggers below, whoever writes.
      create table customer_products (
        customer_id bigint primary key,
        product_ids integer[] not null
      );
      create index customer_products_products_idx on customer_products using gin (product_ids);

      create function refresh_customer_products(ids bigint[]) returns void language sql as $$
        insert into products (description_key)
          select distinct lower(l.description) from orders o join order_lines l on l.order_id = o.id
          where o.customer_id = any(ids) and l.description is not null
          order by 1
          on conflict do nothing;
        delete from customer_products cp where cp.customer_id = any(ids) and not exists (
          select 1 from orders o join order_lines l on l.order_id = o.id
          where o.customer_id = cp.customer_id and o.status in ('pending', 'completed') and l.description is not null);
        insert into customer_products (customer_id, product_ids)
          select o.customer_id, array_agg(distinct p.id order by p.id)
          from orders o join order_lines l on l.order_id = o.id join products p on p.description_key = lower(l.description)
          where o.customer_id = any(ids) and o.status in ('pending', 'completed')
          group by o.customer_id
          order by o.customer_id
        on conflict (customer_id) do update set product_ids = excluded.product_ids
          where customer_products.product_ids is distinct from excluded.product_ids;
      $$;
      select refresh_customer_products(array(select id from customers));

      -- A file import writes lines by the ten thousand: instead of reading its customers' lists again after every
      -- batch, it marks them here (in the batch's own transaction, so a crash loses no mark) and they are read again
      -- a few thousand at a time when it ends, or at the next tick of the workers' reconciler.
      create table customer_products_stale (customer_id bigint primary key);
      create function refresh_stale_products(most integer) returns integer language plpgsql as $$
      declare
        ids bigint[];
      begin
        with taken as (
          delete from customer_products_stale
          where customer_id in (select customer_id from customer_products_stale limit most for update skip locked)
          returning customer_id
        ) select array_agg(customer_id) into ids from taken;
        if ids is null then return 0; end if;
        perform refresh_customer_products(ids);
        return cardinality(ids);
      end $$;

      -- New lines: their buyers' lists are read again, which adds their products to the catalogue too (unless an
      -- import said, with crm.deferred_products, that it marks its customers itself).
      create function order_lines_inserted() returns trigger language plpgsql as $$
      begin
        if coalesce(current_setting('crm.deferred_products', true), '') <> 'on' then
          perform refresh_customer_products(array(select distinct o.customer_id from orders o where o.id in (select order_id from new_lines)));
        end if;
        return null;
      end $$;
      create trigger order_lines_catalogue_insert after insert on order_lines
        referencing new table as new_lines for each statement execute function order_lines_inserted();

      -- A changed or removed line may take a product away from its buyer.
      create function order_lines_changed() returns trigger language plpgsql as $$
      begin
        if tg_op = 'UPDATE' then
          perform refresh_customer_products(array(
            select distinct o.customer_id from orders o
            where o.id in (select order_id from new_lines union select order_id from old_lines)));
        else
          perform refresh_customer_products(array(
            select distinct o.customer_id from orders o where o.id in (select order_id from old_lines)));
        end if;
        return null;
      end $$;
      create trigger order_lines_catalogue_update after update on order_lines
        referencing old table as old_lines new table as new_lines for each statement execute function order_lines_changed();
      create trigger order_lines_catalogue_delete after delete on order_lines
        referencing old table as old_lines for each statement execute function order_lines_changed();

      -- An order refunded, cancelled, moved to another customer or deleted changes who bought what.
      create function orders_changed() returns trigger language plpgsql as $$
      begin
        if tg_op = 'UPDATE' then
          perform refresh_customer_products(array(
            select o.customer_id from old_orders o join new_orders n on n.id = o.id
              where (o.status, o.customer_id) is distinct from (n.status, n.customer_id)
            union
            select n.customer_id from old_orders o join new_orders n on n.id = o.id
              where (o.status, o.customer_id) is distinct from (n.status, n.customer_id)));
        else
          perform refresh_customer_products(array(select distinct customer_id from old_orders));
        end if;
        return null;
      end $$;
      create trigger orders_products_update after update on orders
        referencing old table as old_orders new table as new_orders for each statement execute function orders_changed();
      create trigger orders_products_delete after delete on orders
        referencing old table as old_orders for each statement execute function orders_changed();

      -- TRUNCATE fires no row or delete trigger: emptied orders or lines empty the lists too.
      create function purchases_truncated() returns trigger language plpgsql as $$
      begin
        truncate customer_products, customer_products_stale;
        return null;
      end $$;
      create trigger orders_products_truncate after truncate on orders for each statement execute function purchases_truncated();
      create trigger order_lines_products_truncate after truncate on order_lines for each statement execute function purchases_truncated();
    `);
  }

  override down(): void {
    this.addSql(`
      drop trigger order_lines_products_truncate on order_lines;
      drop trigger orders_products_truncate on orders;
      drop function purchases_truncated();
      drop trigger orders_products_delete on orders;
      drop trigger orders_products_update on orders;
      drop trigger order_lines_catalogue_delete on order_lines;
      drop trigger order_lines_catalogue_update on order_lines;
      drop trigger order_lines_catalogue_insert on order_lines;
      drop function orders_changed();
      drop function order_lines_changed();
      drop function order_lines_inserted();
      drop function refresh_stale_products(integer);
      drop table customer_products_stale;
      drop function refresh_customer_products(bigint[]);
      drop table customer_products;
      drop index order_lines_description_key_idx;
      drop table products;
      alter table customers alter column total_spend type numeric(18,3), alter column average_order_value type numeric(18,3);
      alter table orders alter column total type numeric(18,3);
      alter table imports drop column request_digest;
    `);
  }
}
