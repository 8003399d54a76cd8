import { formatMoney } from '../../crm/format.js';
import type { RuleJson } from './rule-json.js';
import type { Vocabulary } from './vocabulary.js';

/**
 * What a descriptive word for a group of customers is taken to mean. The answer always spells the definition out,
 * so the person can see it and ask for another ("VIPs: I took the top 10% by total spend, ₹20,570 or more").
 */
export interface LabelReading { rules: RuleJson; definition: string }

const f = (field: string, op: string, value: unknown) => ({ field, op, value });

/** The spend at which the top `percent`% of customers who ordered begins, or null when nobody ordered. */
export function spendAtTop(vocabulary: Vocabulary, percent: number): number | null {
  const p = vocabulary.spendPercentiles;
  if (p.length !== 101) return null;
  // In whole currency units, so that the figure the answer states is the figure the rule uses.
  return Math.floor(p[Math.max(0, Math.min(100, 100 - Math.round(percent)))]);
}

export function readLabel(label: string, words: string, vocabulary: Vocabulary, currency: string, topPercent?: number): LabelReading | null {
  switch (label) {
    case 'vip': {
      const percent = topPercent ?? 10;
      const at = spendAtTop(vocabulary, percent);
      if (at === null) return null;
      return { rules: f('total_spend', 'gte', at), definition: `${words}: I took the top ${percent}% of customers by total spend, ${formatMoney(at, currency)} or more` };
    }
    case 'low': {
      const at = spendAtTop(vocabulary, 75);
      if (at === null) return null;
      return { rules: { all: [f('order_count', 'gte', 1), f('total_spend', 'lte', at)] }, definition: `${words}: I took the bottom 25% of customers who ordered, by total spend: ${formatMoney(at, currency)} or less` };
    }
    case 'loyal': return { rules: f('order_count', 'gte', 5), definition: `${words}: I took customers with 5 or more orders` };
    case 'lapsed': return { rules: f('days_since_last_order', 'gte', 90), definition: `${words}: I took customers whose last order was 90 or more days ago` };
    case 'at_risk': return { rules: { all: [f('order_count', 'gte', 2), f('days_since_last_order', 'gte', 90)] }, definition: `${words}: I took customers who ordered at least twice but not in the last 90 days` };
    case 'new': return { rules: f('first_order_date', 'within_last', { amount: 30, unit: 'days' }), definition: `${words}: I took customers whose first order was in the last 30 days` };
    case 'active': return { rules: f('last_order_date', 'within_last', { amount: 90, unit: 'days' }), definition: `${words}: I took customers who ordered in the last 90 days` };
    case 'one_time': return { rules: f('order_count', 'eq', 1), definition: '' };
    case 'repeat': return { rules: f('order_count', 'gte', 2), definition: '' };
    case 'never': return { rules: f('order_count', 'eq', 0), definition: '' };
    default: return null;
  }
}
