import { Inject, Injectable } from '@nestjs/common';
import type { Actor } from '../../auth/actor.js';
import { authorize, can } from '../../auth/authorize.js';
import { Sql } from '../../db/sql.js';
import { NotFound } from '../errors.js';
import { ConsentService } from '../consent/consent.service.js';
import { suppressionKeySql } from '../consent/consent-rules.js';
import type { Config } from '../../config/config.schema.js';
import { CONFIG } from '../../config/config.token.js';
import { compileRule, SqlParams } from '../segments/rule-compiler.js';
import { SegmentsService } from '../segments/segments.service.js';
import { boundedRows } from '../segments/bounded-read.js';
import type { RankInput } from './rank-input.js';

const customerColumns = `c.id, c.external_id as "externalId", c.name, c.email, c.phone, c.city, c.country, c.tags,
  c.total_spend as "totalSpend", c.order_count as "orderCount", c.last_order_at as "lastOrderAt", c.unsubscribed_at is not null as unsubscribed`;

interface RankedCustomer {
  id: number; externalId: string; name: string | null; email: string | null; city: string | null; country: string | null;
  totalSpend: string; orderCount: number; lastOrderAt: string | null; unsubscribed: boolean; averageOrderValue: string | null;
}

/** Finding customers by name, email, phone or external id, and one customer with their recent orders and messages. */
@Injectable()
export class CustomersService {
  constructor(private readonly sql: Sql, private readonly consent: ConsentService, private readonly segments: SegmentsService, @Inject(CONFIG) private readonly config: Config) {}

  /**
   * The first customers by a figure, among those a rule matches (or everyone): "top 10 customers by spend in Pune".
   * The rule is checked and the read bounded as a preview is. Customers without the figure — who never ordered —
   * come last either way, so "the lowest spenders" are customers who spent little, not prospects.
   */
  async rank(actor: Actor, input: RankInput, signal?: AbortSignal) {
    authorize(actor, 'customers.read');
    const params = new SqlParams();
    const where = input.rules ? compileRule(this.segments.checkRule(input.rules), params, { now: new Date(), zone: this.config.TIME_ZONE }) : 'true';
    const column = { total_spend: 'c.total_spend', order_count: 'c.order_count', average_order_value: 'c.average_order_value', last_order_date: 'c.last_order_at' }[input.by];
    const direction = input.direction === 'asc' ? 'asc' : 'desc';
    const limits = this.segments.readLimits(signal);
    const page = (who: string, limit: number, offset: number) => {
      const p = new SqlParams();
      p.values.push(...params.values);
      // Customers who ordered have every figure, so the index of the figure gives them in order without sorting all.
      return boundedRows<RankedCustomer>(this.sql,
        `select ${customerColumns}, c.average_order_value as "averageOrderValue" from customers c where ${who} and (${where})
         order by ${column} ${direction}, c.id limit ${p.add(limit)} offset ${p.add(offset)}`, p.values, limits);
    };
    const [counts, ordered] = await Promise.all([
      boundedRows<{ n: number; ordered: number }>(this.sql, `select count(*)::int as n, (count(*) filter (where c.order_count > 0))::int as ordered from customers c where ${where}`, params.values, limits),
      page('c.order_count > 0', input.limit, input.offset),
    ]);
    const { n, ordered: withOrders } = counts[0];
    // Then those who never ordered, who have no figure to rank by.
    const rest = input.limit - ordered.length;
    const never = rest > 0 && n > withOrders ? await page('c.order_count = 0', rest, Math.max(0, input.offset - withOrders)) : [];
    return { by: input.by, direction: input.direction, total: n, customers: [...ordered, ...never] };
  }

  async search(actor: Actor, query: string, limit: number) {
    authorize(actor, 'customers.read');
    const like = `%${query.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const where = `lower(c.name) like $1 or lower(c.email) like $1 or c.phone like $1 or lower(c.external_id) like $1`;
    const [rows, total] = await Promise.all([
      this.sql.rows(`select ${customerColumns} from customers c where ${where} order by c.total_spend desc, c.id limit $2`, [like, limit]),
      this.sql.rows<{ n: number }>(`select count(*) as n from customers c where ${where}`, [like]),
    ]);
    return { total: total[0].n, customers: rows };
  }

  async get(actor: Actor, id: number) {
    authorize(actor, 'customers.read');
    const customer = (await this.sql.rows(`select ${customerColumns}, c.first_order_at as "firstOrderAt", c.average_order_value as "averageOrderValue", c.created_at as "createdAt" from customers c where c.id = $1`, [id]))[0];
    if (!customer) throw new NotFound(`There is no customer ${id}.`);
    const [orders, messages, consent, suppressed] = await Promise.all([
      // The ten latest orders with their lines, as one list each.
      this.sql.rows(
        `select o.id, o.external_id as "externalId", o.placed_at as "placedAt", o.status, o.total,
           coalesce((select json_agg(json_build_object('description', l.description, 'sku', l.sku, 'quantity', l.quantity, 'unitPrice', l.unit_price) order by l.position)
                     from order_lines l where l.order_id = o.id), '[]') as lines
         from orders o where o.customer_id = $1 order by o.placed_at desc limit 10`, [id]),
      // Opens and clicks by the person only: a mail scanner's are not engagement.
      this.sql.rows(
        `select m.campaign_id as "campaignId", k.name as campaign, m.channel, m.status, m.created_at as "at",
           exists (select 1 from message_events e where e.log_id = m.id and not e.machine) as opened,
           exists (select 1 from message_events e where e.log_id = m.id and e.kind = 'click' and not e.machine) as clicked
         from communication_logs m join campaigns k on k.id = m.campaign_id where m.customer_id = $1 order by m.id desc limit 10`, [id]),
      this.consent.consentOf([id]).then((m) => m.get(id)!),
      this.sql.rows(
        `select s.channel, s.reason, s.created_at as since from customers c join suppressions s
           on (s.channel = 'email' and s.address = ${suppressionKeySql('email', 'c.email')}) or (s.channel = 'sms' and s.address = ${suppressionKeySql('sms', 'c.phone')})
         where c.id = $1 order by s.channel`,
        [id],
      ),
    ]);
    return { ...customer, consent, suppressed, recentOrders: orders, recentMessages: messages, segments: await this.segmentsOf(actor, id) };
  }

  /** The saved segments a customer is in now: each segment's rule asked of this one customer, in one statement. */
  private async segmentsOf(actor: Actor, id: number) {
    if (!can(actor, 'segments.read')) return [];
    const saved = await this.segments.list(actor);
    if (!saved.length) return [];
    const params = new SqlParams();
    const customer = params.add(id);
    const ctx = this.segments.context();
    const tests = saved.slice(0, 100).map((s) => `select ${params.add(s.id)}::bigint as id where exists (select 1 from customers c where c.id = ${customer} and (${compileRule(this.segments.checkRule(s.rules), params, ctx)}))`);
    const inside = new Set((await boundedRows<{ id: string }>(this.sql, tests.join(' union all '), params.values, this.segments.readLimits())).map((r) => Number(r.id)));
    return saved.filter((s) => inside.has(s.id)).map((s) => ({ id: s.id, name: s.name }));
  }
}
