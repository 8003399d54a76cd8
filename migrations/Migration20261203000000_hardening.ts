import { Migration } from '@mikro-orm/migrations';

// What the red-team pass needed from the schema (sums of amounts widened as well, see below):
// - imports remember a digest of the request, so a reused Idempotency-Key with different data is refused;
// - a product catalogue (one row per distinct lower-cased line description, with a trigram index) lets "bought …
//   contains" find the matching products through an index instead of reading every order line, and a table of who
//   bought which product gives their buyers; statement triggers keep both exact whoever writes (COPY included);
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
        description_key text primary key
      );
      create index products_description_trgm_idx on products using gin (description_key gin_trgm_ops);
      insert into products (description_key) select distinct lower(description) from order_lines where description is not null;
      create index order_lines_description_key_idx on order_lines (lower(description));

      -- Who bought which product (by lower-cased description), for orders that count as purchases: "bought …
      -- contains" reads the customers of the matching products here, an index range per product, instead of
      -- joining every matching line to its order. Kept exact by the triggers below, whoever writes.
      create table customer_purchases (
        description_key text not null,
        customer_id bigint not null references customers(id) on delete cascade,
        primary key (description_key, customer_id)
      );
      create index customer_purchases_customer_idx on customer_purchases (customer_id);
      insert into customer_purchases (description_key, customer_id)
        select distinct lower(l.description), o.customer_id from order_lines l join orders o on o.id = l.order_id
        where o.status in ('pending', 'completed') and l.description is not null;

      create function refresh_customer_purchases(ids bigint[]) returns void language sql as $$
        delete from customer_purchases where customer_id = any(ids);
        insert into customer_purchases (description_key, customer_id)
          select distinct lower(l.description), o.customer_id from orders o join order_lines l on l.order_id = o.id
          where o.customer_id = any(ids) and o.status in ('pending', 'completed') and l.description is not null;
      $$;

      -- New lines only add: their products join the catalogue, their buyers the purchases.
      create function order_lines_inserted() returns trigger language plpgsql as $$
      begin
        insert into products (description_key)
          select distinct lower(description) from new_lines where description is not null
          on conflict do nothing;
        insert into customer_purchases (description_key, customer_id)
          select distinct lower(n.description), o.customer_id from new_lines n join orders o on o.id = n.order_id
          where o.status in ('pending', 'completed') and n.description is not null
          on conflict do nothing;
        return null;
      end $$;
      create trigger order_lines_catalogue_insert after insert on order_lines
        referencing new table as new_lines for each statement execute function order_lines_inserted();

      -- A changed or removed line may take a product away from its buyer: their purchases are read again.
      create function order_lines_changed() returns trigger language plpgsql as $$
      begin
        if tg_op = 'UPDATE' then
          insert into products (description_key)
            select distinct lower(description) from new_lines where description is not null
            on conflict do nothing;
          perform refresh_customer_purchases(array(
            select distinct o.customer_id from orders o
            where o.id in (select order_id from new_lines union select order_id from old_lines)));
        else
          perform refresh_customer_purchases(array(
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
          perform refresh_customer_purchases(array(
            select o.customer_id from old_orders o join new_orders n on n.id = o.id
              where (o.status, o.customer_id) is distinct from (n.status, n.customer_id)
            union
            select n.customer_id from old_orders o join new_orders n on n.id = o.id
              where (o.status, o.customer_id) is distinct from (n.status, n.customer_id)));
        else
          perform refresh_customer_purchases(array(select distinct customer_id from old_orders));
        end if;
        return null;
      end $$;
      create trigger orders_purchases_update after update on orders
        referencing old table as old_orders new table as new_orders for each statement execute function orders_changed();
      create trigger orders_purchases_delete after delete on orders
        referencing old table as old_orders for each statement execute function orders_changed();
    `);
  }

  override down(): void {
    this.addSql(`
      drop trigger orders_purchases_delete on orders;
      drop trigger orders_purchases_update on orders;
      drop trigger order_lines_catalogue_delete on order_lines;
      drop trigger order_lines_catalogue_update on order_lines;
      drop trigger order_lines_catalogue_insert on order_lines;
      drop function orders_changed();
      drop function order_lines_changed();
      drop function order_lines_inserted();
      drop function refresh_customer_purchases(bigint[]);
      drop table customer_purchases;
      drop index order_lines_description_key_idx;
      drop table products;
      alter table customers alter column total_spend type numeric(18,3), alter column average_order_value type numeric(18,3);
      alter table orders alter column total type numeric(18,3);
      alter table imports drop column request_digest;
    `);
  }
}
