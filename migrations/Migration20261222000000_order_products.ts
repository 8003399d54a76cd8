import { Migration } from '@mikro-orm/migrations';

// Imports at the speed of COPY, part two. Each order line used to sit in three indexes (its order and position, its
// product, its SKU); the last two cost more than writing the lines themselves (0.65 s each for the retail file's
// 406,829 lines). Each order now carries the products and SKUs on its lines as two arrays under GIN indexes: one
// entry per order instead of one per line, appended to GIN's pending list instead of found a place in a B-tree, and
// "bought X in the last 30 days" or "at least 3 times" reads orders only, never their lines.
//
// The arrays follow the lines: the line triggers bring them, and the customers' lists of products bought (now read
// from the orders' arrays), up to date for any writer, except one that says it keeps them itself
// (crm.deferred_products): the API's order writer and a file import write each new order with its arrays and read
// again only the orders and customers whose products changed, sparing every new order a second write.
//
// The catalogue lookup an import makes for each batch's new descriptions moves into a function that never lets the
// planner pick the trigram index for an equality (5 ms a description there, microseconds in the primary key).
export class Migration20261222000000_order_products extends Migration {
  override up(): void {
    this.addSql(`
      alter table orders add column product_ids integer[] not null default '{}', add column skus text[] not null default '{}';
      -- Filling the new columns is no change of anyone's orders: no attribution, journey or product trigger runs.
      alter table orders disable trigger user;
      update orders o set product_ids = x.products, skus = x.skus
        from (select order_id,
                coalesce(array_agg(distinct product_id order by product_id) filter (where product_id is not null), '{}') as products,
                coalesce(array_agg(distinct sku order by sku) filter (where sku is not null), '{}') as skus
              from order_lines group by order_id) x
        where o.id = x.order_id;
      alter table orders enable trigger user;
      create index orders_product_ids_idx on orders using gin (product_ids);
      create index orders_skus_idx on orders using gin (skus);
      drop index order_lines_product_idx;
      drop index order_lines_sku_idx;

      -- The products and SKUs on each given order's lines; only orders whose arrays change are written. Each order
      -- is found by its key and its lines read beside it (a lateral join): joined as a whole, the planner hashed
      -- every order of the table for a batch of 500 (159 ms against 12 ms with 22,190 orders).
      create function refresh_order_products(ids bigint[]) returns void language sql as $$
        update orders o set product_ids = x.products, skus = x.skus
          from unnest(ids) as i(id)
          cross join lateral (
            select coalesce(array_agg(distinct l.product_id order by l.product_id) filter (where l.product_id is not null), '{}') as products,
                   coalesce(array_agg(distinct l.sku order by l.sku) filter (where l.sku is not null), '{}') as skus
            from order_lines l where l.order_id = i.id) x
          where o.id = i.id and (o.product_ids, o.skus) is distinct from (x.products, x.skus);
      $$;

      create or replace function refresh_customer_products(ids bigint[]) returns void language sql as $$
        delete from customer_products cp where cp.customer_id = any(ids) and not exists (
          select 1 from orders o
          where o.customer_id = cp.customer_id and o.status in ('pending', 'completed') and o.product_ids <> '{}');
        insert into customer_products (customer_id, product_ids)
          select o.customer_id, array_agg(distinct p order by p)
          from orders o cross join unnest(o.product_ids) as p
          where o.customer_id = any(ids) and o.status in ('pending', 'completed')
          group by o.customer_id
          order by o.customer_id
        on conflict (customer_id) do update set product_ids = excluded.product_ids
          where customer_products.product_ids is distinct from excluded.product_ids;
      $$;

      -- The given orders' lists of products and SKUs, then their buyers' lists.
      create function refresh_products_of_orders(ids bigint[]) returns void language plpgsql as $$
      begin
        perform refresh_order_products(ids);
        perform refresh_customer_products(array(select distinct o.customer_id from orders o where o.id = any(ids)));
      end $$;

      -- Descriptions to catalogue ids, adding those the catalogue has not seen. GIN indexes are read through bitmap
      -- scans only: with those off, an equality on the description goes to the primary key.
      create function catalogue_products(descriptions text[]) returns table (description text, product_id integer)
        language sql set enable_bitmapscan = off as $$
        with given as (select d, lower(d) as k from unnest(descriptions) as d),
             added as (insert into products (description_key) select distinct g.k from given g order by 1
                       on conflict do nothing returning products.id, products.description_key),
             found as (select a.id, a.description_key from added a
                       union all
                       select p.id, p.description_key from products p where p.description_key = any(array(select g.k from given g)))
        select g.d, f.id from given g left join found f on f.description_key = g.k;
      $$;
      alter function fill_line_products(bigint[], integer[]) set enable_bitmapscan = off;

      create or replace function order_lines_inserted() returns trigger language plpgsql as $$
      declare
        order_ids bigint[];
        positions integer[];
      begin
        select array_agg(order_id), array_agg(position) into order_ids, positions
          from new_lines where description is not null and product_id is null;
        -- (A statement trigger fires for no rows too: filling nothing must not update, or it would come back here.)
        if order_ids is not null then perform fill_line_products(order_ids, positions); end if;
        -- The orders' arrays and their buyers' lists, unless the writer keeps them itself.
        if coalesce(current_setting('crm.deferred_products', true), '') <> 'on' then
          perform refresh_products_of_orders(array(select distinct order_id from new_lines));
        end if;
        return null;
      end $$;

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
          select array_agg(distinct n.order_id) into order_ids
            from new_lines n join old_lines ol using (order_id, position)
            where (n.product_id, n.sku) is distinct from (ol.product_id, ol.sku);
        else
          select array_agg(distinct order_id) into order_ids from old_lines;
        end if;
        if order_ids is not null and coalesce(current_setting('crm.deferred_products', true), '') <> 'on' then
          perform refresh_products_of_orders(order_ids);
        end if;
        return null;
      end $$;
    `);
  }

  override down(): void {
    this.addSql(`
      create or replace function order_lines_changed() returns trigger language plpgsql as $$
      declare
        order_ids bigint[];
        positions integer[];
      begin
        if tg_op = 'UPDATE' then
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
      create or replace function order_lines_inserted() returns trigger language plpgsql as $$
      declare
        order_ids bigint[];
        positions integer[];
      begin
        select array_agg(order_id), array_agg(position) into order_ids, positions
          from new_lines where description is not null and product_id is null;
        if order_ids is not null then perform fill_line_products(order_ids, positions); end if;
        if coalesce(current_setting('crm.deferred_products', true), '') <> 'on' then
          perform refresh_customer_products(array(select distinct o.customer_id from orders o where o.id in (select order_id from new_lines)));
        end if;
        return null;
      end $$;
      alter function fill_line_products(bigint[], integer[]) reset enable_bitmapscan;
      drop function catalogue_products(text[]);
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
      drop function refresh_products_of_orders(bigint[]);
      drop function refresh_order_products(bigint[]);
      create index order_lines_sku_idx on order_lines (sku);
      create index order_lines_product_idx on order_lines (product_id);
      drop index orders_skus_idx;
      drop index orders_product_ids_idx;
      alter table orders drop column skus, drop column product_ids;
    `);
  }
}
