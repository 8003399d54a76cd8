import type { Queryable } from '../../db/sql.js';

const CUSTOMERS_A_STATEMENT = 5_000;

/**
 * Reads again the lists of products bought of the customers a file import marked, a few thousand at a time so that
 * no statement runs long. Returns how many customers were brought up to date.
 */
export async function refreshStaleProducts(db: Queryable): Promise<number> {
  let total = 0;
  for (;;) {
    const [{ done }] = (await db.query<{ done: number }>('select refresh_stale_products($1) as done', [CUSTOMERS_A_STATEMENT])).rows;
    total += done;
    if (done < CUSTOMERS_A_STATEMENT) return total;
  }
}
