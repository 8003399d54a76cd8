import type { OrderInput } from '../../crm/orders/order-input.js';
import { SeededRandom } from './random.js';
import * as v from './demo-vocabulary.js';

export interface CustomerSeed {
  externalId: string; name: string; email: string | null; phone: string | null; city: string; country: string;
  tags: string[]; createdAt: Date; unsubscribedAt: Date | null;
}

export interface DemoData { customers: CustomerSeed[]; orders: OrderInput[] }

const DAY = 86_400_000;
const IST = 5.5 * 3600_000;

// Orders cluster in the evening, India time, as real shop traffic does (the "best hour to send" insight reads this).
const hourWeights = [1, 0.5, 0.3, 0.2, 0.2, 0.4, 1, 2, 3, 4, 5, 6, 6, 6, 5, 5, 5, 6, 7, 9, 11, 12, 9, 4].map((w, h) => [h, w] as const);

/**
 * A realistic, deterministic CRM: the same seed and end date give exactly the same customers and orders.
 * About five orders per customer over the two years before `endDate`, with a long-tailed spend, lapsed customers
 * who stopped buying, customers who never bought, and some who unsubscribed.
 */
export function generateDemoData(options: { seed: number; customers: number; endDate: Date }): DemoData {
  const random = new SeededRandom(options.seed);
  const end = options.endDate.getTime();
  const start = end - 730 * DAY;
  const customers: CustomerSeed[] = [];
  const orders: OrderInput[] = [];
  const targetOrders = options.customers * 5;

  // Each customer's appetite follows a Pareto tail; it decides both how often and how much they buy.
  const appetite = Array.from({ length: options.customers }, () => random.pareto(1.6));
  const appetiteTotal = appetite.reduce((s, a) => s + a, 0);
  let orderSeq = 0;

  for (let i = 0; i < options.customers; i++) {
    const domestic = random.chance(0.8);
    const [first, last] = domestic ? [random.pick(v.indianFirstNames), random.pick(v.indianLastNames)] : [random.pick(v.otherFirstNames), random.pick(v.otherLastNames)];
    const [city, country, dial] = domestic ? [random.weighted(v.indianCities), 'India', '+91'] : (() => { const [c, k, d] = random.weighted(v.abroad.map((a) => [a, a[3]] as const)); return [c, k, d]; })();
    const createdAt = new Date(start - 60 * DAY + Math.floor(random.next() * 750 * DAY));
    const email = random.chance(0.92) ? `${first}.${last}${random.int(1, 999)}@${random.weighted(v.emailDomains)}`.toLowerCase().replace(/[^a-z0-9.@]/g, '') : null;
    const phone = random.chance(0.8) ? `${dial}${random.int(70000, 99999)}${String(random.int(0, 99999)).padStart(5, '0')}` : null;
    const tags = v.tagOdds.filter(([, p]) => random.chance(p)).map(([t]) => t);
    const unsubscribedAt = random.chance(0.06) ? new Date(createdAt.getTime() + random.int(1, 300) * DAY) : null;
    const externalId = `C${String(i + 1).padStart(6, '0')}`;
    customers.push({ externalId, name: `${first} ${last}`, email, phone, city, country, tags, createdAt, unsubscribedAt: unsubscribedAt && unsubscribedAt.getTime() < end ? unsubscribedAt : null });

    // 7% signed up and never bought; a third stopped buying some time ago (lapsed).
    if (random.chance(0.07)) continue;
    const count = Math.max(1, Math.round((appetite[i] / appetiteTotal) * targetOrders * (0.6 + random.next() * 0.8)));
    const activeFrom = Math.max(start, createdAt.getTime());
    const activeTo = random.chance(0.35) ? activeFrom + random.next() * (end - activeFrom) * 0.7 : end;
    const basket = Math.min(6, 1 + Math.floor(Math.log2(appetite[i]) + random.next() * 2));
    for (let n = 0; n < count; n++) {
      const day = Math.floor((activeFrom + random.next() * (activeTo - activeFrom)) / DAY) * DAY;
      const placedAt = new Date(day - IST + random.weighted(hourWeights) * 3600_000 + random.int(0, 3599) * 1000);
      if (placedAt.getTime() >= end) continue;
      const lines = Array.from({ length: random.int(1, basket) }, () => {
        const [sku, description, unitPrice] = random.pick(v.catalogue);
        return { sku, description, quantity: random.weighted([[1, 70], [2, 20], [3, 7], [5, 3]]), unitPrice };
      });
      const status = placedAt.getTime() > end - 3 * DAY && random.chance(0.4) ? 'pending' : random.chance(0.02) ? 'cancelled' : 'completed';
      const externalIdOrder = `O${String(++orderSeq).padStart(7, '0')}`;
      orders.push({ externalId: externalIdOrder, customerExternalId: externalId, placedAt, status, lines });
      // About one completed order in fifty comes back: a refund recorded as its own negative order.
      if (status === 'completed' && random.chance(0.02)) {
        const refundLines = lines.map((l) => ({ ...l, quantity: -l.quantity }));
        const refundedAt = new Date(Math.min(end - 1000, placedAt.getTime() + random.int(2, 20) * DAY));
        orders.push({ externalId: `R${externalIdOrder.slice(1)}`, customerExternalId: externalId, placedAt: refundedAt, status: 'refunded', lines: refundLines });
      }
    }
  }
  return { customers, orders };
}
