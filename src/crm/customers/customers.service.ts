import { Inject, Injectable } from '@nestjs/common';
import type { Actor } from '../../auth/actor.js';
import { authorize, can } from '../../auth/authorize.js';
import { Sql } from '../../db/sql.js';
import { NotFound } from '../errors.js';
import { logger } from '../../logging/logger.js';
import { ConsentService } from '../consent/consent.service.js';
import type { Config } from '../../config/config.schema.js';
import { CONFIG } from '../../config/config.token.js';
import { compileRule, SqlParams } from '../segments/rule-compiler.js';
import { SegmentsService } from '../segments/segments.service.js';
import type { RankInput } from './rank-input.js';
import { customersRepository, type CustomerFilter } from './customers.repository.js';

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
    const filter: CustomerFilter = { where, values: params.values };
    const limits = this.segments.readLimits(signal);
    // Customers who ordered have every figure, so the figure's index gives them in order without sorting everyone.
    const [counts, ordered] = await Promise.all([
      customersRepository.countMatching(this.sql, filter, limits),
      customersRepository.page(this.sql, filter, true, input.by, input.direction, input.limit, input.offset, limits),
    ]);
    // Then those who never ordered, who have no figure to rank by.
    const rest = input.limit - ordered.length;
    const never = rest > 0 && counts.n > counts.ordered
      ? await customersRepository.page(this.sql, filter, false, input.by, input.direction, rest, Math.max(0, input.offset - counts.ordered), limits) : [];
    return { by: input.by, direction: input.direction, total: counts.n, customers: [...ordered, ...never] };
  }

  async search(actor: Actor, query: string, limit: number) {
    authorize(actor, 'customers.read');
    return customersRepository.search(this.sql, query, limit);
  }

  async get(actor: Actor, id: number) {
    authorize(actor, 'customers.read');
    const customer = await customersRepository.one(this.sql, id);
    if (!customer) throw new NotFound(`There is no customer ${id}.`);
    const [orders, messages, consent, suppressed, segments] = await Promise.all([
      customersRepository.latestOrders(this.sql, id, 10),
      customersRepository.latestMessages(this.sql, id, 10),
      this.consent.consentOf([id]).then((m) => m.get(id)!),
      customersRepository.suppressedAddresses(this.sql, id),
      this.segmentsOf(actor, id),
    ]);
    return { ...customer, consent, suppressed, recentOrders: orders, recentMessages: messages, segments };
  }

  /**
   * The saved segments a customer is in now (for someone who may read segments): each saved rule asked of them. A
   * rule that can no longer be read, or a check refused by the read limits, leaves the answer unknown (null) rather
   * than failing the customer's whole page.
   */
  private async segmentsOf(actor: Actor, id: number): Promise<{ id: number; name: string }[] | null> {
    if (!can(actor, 'segments.read')) return [];
    try {
      const saved = (await this.segments.list(actor)).slice(0, 100);
      const params = new SqlParams();
      const ctx = this.segments.context();
      const tests = saved.map((s) => ({ key: s.id, where: compileRule(this.segments.checkRule(s.rules), params, ctx) }));
      const inside = await customersRepository.keysMatching(this.sql, id, tests, params.values, this.segments.readLimits());
      return saved.filter((s) => inside.has(s.id)).map((s) => ({ id: s.id, name: s.name }));
    } catch (error) {
      logger.warn('segments of a customer not checked', { customerId: id, reason: (error as Error).message });
      return null;
    }
  }
}
