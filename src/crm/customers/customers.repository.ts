import type { Queryable, Sql } from '../../db/sql.js';
import { suppressionKeySql } from '../consent/consent-rules.js';
import { boundedRows, type ReadLimits } from '../segments/bounded-read.js';

const customerColumns = `c.id, c.external_id as "externalId", c.name, c.email, c.phone, c.city, c.country, c.tags,
  c.total_spend as "totalSpend", c.order_count as "orderCount", c.last_order_at as "lastOrderAt", c.unsubscribed_at is not null as unsubscribed`;

export interface RankedCustomer {
  id: number; externalId: string; name: string | null; email: string | null; city: string | null; country: string | null;
  totalSpend: string; orderCount: number; lastOrderAt: string | null; unsubscribed: boolean; averageOrderValue: string | null;
}

/** A compiled rule (a boolean over the customers row `c`) with its parameters. */
export interface CustomerFilter { where: string; values: unknown[] }

/** A figure the list can be sorted by, as its column. */
export const figureColumns = { total_spend: 'c.total_spend', order_count: 'c.order_count', average_order_value: 'c.average_order_value', last_order_date: 'c.last_order_at' } as const;

/** Customers and what hangs off one customer: fetch only; the rules (who may ask, what comes first) are the service's. Reads
 * of many customers are bounded as previews are (a time limit and a cost limit), so they take the pool itself. */
export const customersRepository = {
  /** How many customers the filter matches, and how many of them ordered. */
  async countMatching(db: Sql, filter: CustomerFilter, limits: ReadLimits) {
    const [row] = await boundedRows<{ n: number; ordered: number }>(db,
      `select count(*)::int as n, (count(*) filter (where c.order_count > 0))::int as ordered from customers c where ${filter.where}`, filter.values, limits);
    return row;
  },

  /** One page of the matching customers who ordered (`ordered`) or never did, by a figure then by id. */
  page(db: Sql, filter: CustomerFilter, ordered: boolean, by: keyof typeof figureColumns, direction: 'asc' | 'desc', limit: number, offset: number, limits: ReadLimits) {
    const n = filter.values.length;
    return boundedRows<RankedCustomer>(db,
      `select ${customerColumns}, c.average_order_value as "averageOrderValue" from customers c
       where c.order_count ${ordered ? '>' : '='} 0 and (${filter.where})
       order by ${figureColumns[by]} ${direction === 'asc' ? 'asc' : 'desc'}, c.id limit $${n + 1} offset $${n + 2}`,
      [...filter.values, limit, offset], limits);
  },

  /** Customers whose name, email, phone or external id contains the text, biggest spenders first, and how many. */
  async search(db: Queryable, text: string, limit: number) {
    const like = `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const where = `lower(c.name) like $1 or lower(c.email) like $1 or c.phone like $1 or lower(c.external_id) like $1`;
    const [rows, total] = await Promise.all([
      db.query(`select ${customerColumns} from customers c where ${where} order by c.total_spend desc, c.id limit $2`, [like, limit]),
      db.query<{ n: number }>(`select count(*) as n from customers c where ${where}`, [like]),
    ]);
    return { total: total.rows[0].n, customers: rows.rows };
  },

  async one(db: Queryable, id: number) {
    return (await db.query(`select ${customerColumns}, c.first_order_at as "firstOrderAt", c.average_order_value as "averageOrderValue", c.created_at as "createdAt" from customers c where c.id = $1`, [id])).rows[0] ?? null;
  },

  /** The latest orders, each with its lines as one list. */
  async latestOrders(db: Queryable, id: number, limit: number) {
    return (await db.query(
      `select o.id, o.external_id as "externalId", o.placed_at as "placedAt", o.status, o.total,
         coalesce((select json_agg(json_build_object('description', l.description, 'sku', l.sku, 'quantity', l.quantity, 'unitPrice', l.unit_price) order by l.position)
                   from order_lines l where l.order_id = o.id), '[]') as lines
       from orders o where o.customer_id = $1 order by o.placed_at desc limit $2`, [id, limit])).rows;
  },

  /** The latest campaign messages, with whether the person (not a mail scanner) opened or clicked them. */
  async latestMessages(db: Queryable, id: number, limit: number) {
    return (await db.query(
      `select m.campaign_id as "campaignId", k.name as campaign, m.channel, m.status, m.created_at as "at",
         exists (select 1 from message_events e where e.log_id = m.id and not e.machine) as opened,
         exists (select 1 from message_events e where e.log_id = m.id and e.kind = 'click' and not e.machine) as clicked
       from communication_logs m join campaigns k on k.id = m.campaign_id where m.customer_id = $1 order by m.id desc limit $2`, [id, limit])).rows;
  },

  /** The customer's addresses on the suppression list. */
  async suppressedAddresses(db: Queryable, id: number) {
    return (await db.query(
      `select s.channel, s.reason, s.created_at as since from customers c join suppressions s
         on (s.channel = 'email' and s.address = ${suppressionKeySql('email', 'c.email')}) or (s.channel = 'sms' and s.address = ${suppressionKeySql('sms', 'c.phone')})
       where c.id = $1 order by s.channel`, [id])).rows;
  },

  /** Which of the given compiled rules (each with its key) hold for one customer, in one statement. */
  async keysMatching(db: Sql, id: number, tests: { key: number; where: string }[], values: unknown[], limits: ReadLimits) {
    if (!tests.length) return new Set<number>();
    const n = values.length;
    const sql = tests.map((t) => `select ${Number(t.key)}::bigint as key where exists (select 1 from customers c where c.id = $${n + 1} and (${t.where}))`).join(' union all ');
    return new Set((await boundedRows<{ key: string }>(db, sql, [...values, id], limits)).map((r) => Number(r.key)));
  },
};
