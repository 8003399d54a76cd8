import { Migration } from '@mikro-orm/migrations';

// What the red-team pass needed from the schema (sums of amounts widened as well, see below):
// - imports remember a digest of the request, so a reused Idempotency-Key with different data is refused;
// - a product catalogue (one row per distinct lower-cased line description, with a trigram index) lets "bought …
//   contains" find the matching products through an index instead of reading every order line; a statement
//   trigger keeps it complete whoever writes order lines (COPY included);
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

      create function products_from_lines() returns trigger language plpgsql as $$
      begin
        insert into products (description_key)
          select distinct lower(description) from new_lines where description is not null
          on conflict do nothing;
        return null;
      end $$;
      create trigger order_lines_products_insert after insert on order_lines
        referencing new table as new_lines for each statement execute function products_from_lines();
      create trigger order_lines_products_update after update on order_lines
        referencing new table as new_lines for each statement execute function products_from_lines();
    `);
  }

  override down(): void {
    this.addSql(`
      drop trigger order_lines_products_update on order_lines;
      drop trigger order_lines_products_insert on order_lines;
      drop function products_from_lines();
      drop index order_lines_description_key_idx;
      drop table products;
      alter table customers alter column total_spend type numeric(18,3), alter column average_order_value type numeric(18,3);
      alter table orders alter column total type numeric(18,3);
      alter table imports drop column request_digest;
    `);
  }
}
