import type { Queryable } from '../../db/sql.js';

// Who bought what is kept twice over: each order lists the products and SKUs on its lines, and each customer the
// products of their orders. The line triggers keep both for any writer; a writer that knows better (the API's order
// writer, a file import) says so and keeps them itself, sparing every new order a second write.

/** From here to the end of the transaction (or `false`), the line triggers leave products to this writer. */
export async function keepProductsOurselves(db: Queryable, on = true) {
  await db.query(`select set_config('crm.deferred_products', $1, true)`, [on ? 'on' : 'off']);
}

/** These orders' products and SKUs, read again from their lines; only orders whose lists change are written. */
export async function refreshOrderProducts(db: Queryable, orderIds: readonly number[]) {
  if (orderIds.length) await db.query('select refresh_order_products($1::bigint[])', [orderIds]);
}

/** These customers' lists of products bought, read again from their orders. */
export async function refreshCustomerProducts(db: Queryable, customerIds: readonly number[]) {
  if (customerIds.length) await db.query('select refresh_customer_products($1::bigint[])', [customerIds]);
}
