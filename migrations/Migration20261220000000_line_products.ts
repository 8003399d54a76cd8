import { Migration } from '@mikro-orm/migrations';

// Imports at the speed of COPY:
// - each order line names its product (the catalogue's id), so finding a product's lines uses an index of integers
//   instead of one of lower-cased descriptions, and each customer's list of products bought is read from the lines
//   without looking every description up again. A file import sets the product itself; any other writer leaves it
//   empty and the insert trigger fills it;
// - a line is known by its order and position, as every writer has always matched it: the surrogate id (an index
//   and a sequence call for every line written) goes;
// - a file import marks the customers it touched and reads their figures (spend, orders, dates) and their products
//   once when it ends, instead of after every batch: the marks table is now "stale customers".
export class Migration20261220000000_line_products extends Migration {
  override up(): void {
    this.addSql(`
      alter table order_lines drop column id;
      alter table order_lines drop constraint order_lines_order_id_position_key;
      alter table order_lines add constraint order_lines_pkey primary key (order_id, position);
      alter table order_lines add column product_id integer;
      insert into products (description_key)
        select distinct lower(description) from order_lines where description is not null order by 1 on conflict do nothing;
      alter table order_lines disable trigger order_lines_catalogue_update;
      update order_lines l set product_id = p.id from products p where p.description_key = lower(l.description);
      alter table order_lines enable trigger order_lines_catalogue_update;
      drop index order_lines_description_key_idx;
      create index order_lines_product_idx on order_lines (product_id);

      alter table customer_products_stale rename to stale_customers;
      alter table stale_customers rename constraint customer_products_stale_pkey to stale_customers_pkey;
      drop function refresh_stale_products(integer);

      -- The product of each given line (by order and position), from its description, adding descriptions the
      -- catalogue has not seen.
      create function fill_line_products(order_ids bigint[], positions integer[]) returns void language sql as $$
        insert into products (description_key)
          select distinct lower(l.description) from order_lines l join unnest(order_ids, positions) as k(o, p)
            on l.order_id = k.o and l.position = k.p
          where l.description is not null order by 1 on conflict do nothing;
        update order_lines l set product_id = (select p.id from products p where p.description_key = lower(l.description))
          from unnest(order_ids, positions) as k(o, p)
          where l.order_id = k.o and l.position = k.p
            and l.product_id is distinct from (select p.id from products p where p.description_key = lower(l.description));
      $$;

      create or replace function refresh_customer_products(ids bigint[]) returns void language sql as $$
        delete from customer_products cp where cp.customer_id = any(ids) and not exists (
          select 1 from orders o join order_lines l on l.order_id = o.id
          where o.customer_id = cp.customer_id and o.status in ('pending', 'completed') and l.product_id is not null);
        insert into customer_products (customer_id, product_ids)
          select o.customer_id, array_agg(distinct l.product_id order by l.product_id)
          from orders o join order_lines l on l.order_id = o.id
          where o.customer_id = any(ids) and o.status in ('pending', 'completed') and l.product_id is not null
          group by o.customer_id
          order by o.customer_id
        on conflict (customer_id) do update set product_ids = excluded.product_ids
          where customer_products.product_ids is distinct from excluded.product_ids;
      $$;

      create or replace function order_lines_inserted() returns trigger language plpgsql as $$
      declare
        order_ids bigint[];
        positions integer[];
      begin
        select array_agg(order_id), array_agg(position) into order_ids, positions
          from new_lines where description is not null and product_id is null;
        -- (A statement trigger fires for no rows too: filling nothing must not update, or it would come back here.)
        if order_ids is not null then perform fill_line_products(order_ids, positions); end if;
        if coalesce(current_setting('crm.deferred_products', true), '') <> 'on' then
          perform refresh_customer_products(array(select distinct o.customer_id from orders o where o.id in (select order_id from new_lines)));
        end if;
        return null;
      end $$;

      -- A line whose description changed gets its product again; a line whose order or product changed changes its
      -- buyers' lists (filling the product is itself such a change, and comes back here once more).
      create or replace function order_lines_changed() returns trigger language plpgsql as $$
      declare
        order_ids bigint[];
        positions integer[];
      begin
        if tg_op = 'UPDATE' then
          -- Lines keep their order and position on update (they are how every writer matches a line). A line whose
          -- description changed, or that was written without its product, gets its product (again).
          select array_agg(n.order_id), array_agg(n.position) into order_ids, positions
            from new_lines n join old_lines o using (order_id, position)
            where n.description is distinct from o.description or (n.description is not null and n.product_id is null);
          if order_ids is not null then perform fill_line_products(order_ids, positions); end if;
          perform refresh_customer_products(array(
            select distinct o.customer_id from orders o where o.id in (
              select n.order_id from new_lines n join old_lines ol using (order_id, position) where n.product_id is distinct from ol.product_id)));
        else
          perform refresh_customer_products(array(
            select distinct o.customer_id from orders o where o.id in (select order_id from old_lines)));
        end if;
        return null;
      end $$;

      create or replace function purchases_truncated() returns trigger language plpgsql as $$
      begin
        truncate customer_products, stale_customers;
        return null;
      end $$;
    `);
  }

  override down(): void {
    this.addSql(`
      create or replace function order_lines_inserted() returns trigger language plpgsql as $$
      begin
        if coalesce(current_setting('crm.deferred_products', true), '') <> 'on' then
          perform refresh_customer_products(array(select distinct o.customer_id from orders o where o.id in (select order_id from new_lines)));
        end if;
        return null;
      end $$;
      create or replace function order_lines_changed() returns trigger language plpgsql as $$
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
      create or replace function refresh_customer_products(ids bigint[]) returns void language sql as $$
        insert into products (description_key)
          select distinct lower(l.description) from orders o join order_lines l on l.order_id = o.id
          where o.customer_id = any(ids) and l.description is not null order by 1 on conflict do nothing;
        delete from customer_products cp where cp.customer_id = any(ids) and not exists (
          select 1 from orders o join order_lines l on l.order_id = o.id
          where o.customer_id = cp.customer_id and o.status in ('pending', 'completed') and l.description is not null);
        insert into customer_products (customer_id, product_ids)
          select o.customer_id, array_agg(distinct p.id order by p.id)
          from orders o join order_lines l on l.order_id = o.id join products p on p.description_key = lower(l.description)
          where o.customer_id = any(ids) and o.status in ('pending', 'completed')
          group by o.customer_id order by o.customer_id
        on conflict (customer_id) do update set product_ids = excluded.product_ids
          where customer_products.product_ids is distinct from excluded.product_ids;
      $$;
      drop function fill_line_products(bigint[], integer[]);
      create index order_lines_description_key_idx on order_lines (lower(description));
      drop index order_lines_product_idx;
      alter table order_lines drop column product_id;
      alter table order_lines drop constraint order_lines_pkey;
      alter table order_lines add constraint order_lines_order_id_position_key unique (order_id, position);
      alter table order_lines add column id bigserial primary key;
      alter table stale_customers rename constraint stale_customers_pkey to customer_products_stale_pkey;
      alter table stale_customers rename to customer_products_stale;
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
      create or replace function purchases_truncated() returns trigger language plpgsql as $$
      begin
        truncate customer_products, customer_products_stale;
        return null;
      end $$;
    `);
  }
}
