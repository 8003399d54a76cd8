import type { Queryable, Sql } from '../../db/sql.js';
import { refreshCustomerAggregates } from './customer-aggregates.js';
import { refreshCustomerProducts } from '../orders/order-products.js';

const CUSTOMERS_A_TRANSACTION = 1_000;
const REFRESHED_TOGETHER = 2;

/**
 * Marks customers whose orders a file import wrote. Their figures and their lists of products bought are read again
 * once, when the import ends, instead of after every batch; the mark is written in the batch's own transaction, so a
 * crash loses none.
 */
export async function markStaleCustomers(db: Queryable, customerIds: readonly number[]) {
  if (customerIds.length) await db.query(`insert into stale_customers (customer_id) select unnest($1::bigint[]) on conflict do nothing`, [customerIds]);
}

/**
 * Brings the marked customers up to date (spend, orders, dates, products bought), a thousand a transaction so that
 * none runs long, on two connections at once: an import's last step, while nothing else of it runs, so PostgreSQL
 * has both of a small server's cores for it. Each transaction takes customers no other holds (skip locked), so the
 * two never wait on each other. Called when an import ends, and by the reconciler for an import that stopped
 * half-way. Returns how many customers were read again.
 */
export async function refreshStaleCustomers(sql: Sql): Promise<number> {
  const refreshUntilNoneLeft = async () => {
    let total = 0;
    for (;;) {
      const done = await sql.transaction(async (client) => {
        const ids = (await client.query<{ customer_id: number }>(
          `delete from stale_customers where customer_id in (select customer_id from stale_customers limit $1 for update skip locked)
           returning customer_id`, [CUSTOMERS_A_TRANSACTION],
        )).rows.map((r) => r.customer_id);
        if (!ids.length) return 0;
        await refreshCustomerAggregates(client, ids);
        await refreshCustomerProducts(client, ids);
        return ids.length;
      });
      total += done;
      if (done < CUSTOMERS_A_TRANSACTION) return total;
    }
  };
  const counts = await Promise.all(Array.from({ length: REFRESHED_TOGETHER }, refreshUntilNoneLeft));
  return counts.reduce((a, b) => a + b, 0);
}
