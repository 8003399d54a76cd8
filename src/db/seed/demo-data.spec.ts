import { createHash } from 'node:crypto';
import { generateDemoData } from './demo-data.js';

const endDate = new Date('2026-11-01T00:00:00Z');
const fingerprint = (seed: number) => createHash('sha256').update(JSON.stringify(generateDemoData({ seed, customers: 5000, endDate }))).digest('hex');
const spendOf = (lines: { quantity: number; unitPrice: string }[]) => lines.reduce((s, l) => s + l.quantity * Number(l.unitPrice), 0);

describe(generateDemoData.name, () => {
  const data = generateDemoData({ seed: 42, customers: 5000, endDate });

  it('gives the same data for the same seed, and other data for another', () => {
    expect(fingerprint(42)).toBe(fingerprint(42));
    expect(fingerprint(43)).not.toBe(fingerprint(42));
  });

  it('is about 5,000 customers and 25,000 orders over the two years before the end date', () => {
    expect(data.customers).toHaveLength(5000);
    expect(data.orders.length).toBeGreaterThan(20_000);
    expect(data.orders.length).toBeLessThan(30_000);
    const times = data.orders.map((o) => o.placedAt.getTime());
    expect(Math.max(...times)).toBeLessThan(endDate.getTime());
    expect(Math.min(...times)).toBeGreaterThanOrEqual(endDate.getTime() - 731 * 86_400_000);
  });

  it('looks like a real shop: Indian and foreign customers, a long tail of spend, lapsed, silent and unsubscribed customers', () => {
    const cities = new Set(data.customers.map((c) => c.city));
    expect([...cities]).toEqual(expect.arrayContaining(['Mumbai', 'Bengaluru', 'Dubai', 'London']));
    const india = data.customers.filter((c) => c.country === 'India').length / data.customers.length;
    expect(india).toBeGreaterThan(0.7);
    expect(india).toBeLessThan(0.9);

    const spend = new Map<string, number>();
    const last = new Map<string, number>();
    for (const o of data.orders) {
      if (o.status === 'cancelled') continue;
      spend.set(o.customerExternalId, (spend.get(o.customerExternalId) ?? 0) + spendOf(o.lines));
      if (o.status !== 'refunded') last.set(o.customerExternalId, Math.max(last.get(o.customerExternalId) ?? 0, o.placedAt.getTime()));
    }
    const sorted = [...spend.values()].sort((a, b) => b - a);
    const top10 = sorted.slice(0, Math.floor(sorted.length / 10)).reduce((s, v) => s + v, 0);
    expect(top10 / sorted.reduce((s, v) => s + v, 0)).toBeGreaterThan(0.35);

    const lapsed = [...last.values()].filter((t) => t < endDate.getTime() - 90 * 86_400_000).length;
    expect(lapsed / last.size).toBeGreaterThan(0.15);
    expect(data.customers.length - spend.size).toBeGreaterThan(100); // never bought
    const unsubscribed = data.customers.filter((c) => c.unsubscribedAt).length;
    expect(unsubscribed).toBeGreaterThan(150);
    expect(data.orders.some((o) => o.status === 'refunded')).toBe(true);
  });
});
