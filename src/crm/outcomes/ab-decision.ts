import { MIN_CONVERSIONS, normalCdf } from './lift.js';

export const abMetrics = ['clicks', 'conversions'] as const;
export type AbMetric = (typeof abMetrics)[number];

/** One variant at the deadline: messages delivered, and how many of them clicked or converted. */
export interface VariantResult { recipients: number; successes: number }

export interface AbDecision {
  /** The variant sent to the rest (0 = A). */
  winner: number;
  /** Whether the winner beat every other variant by the significance test; false means it only led. */
  significant: boolean;
  rates: (number | null)[];
  /** Holm-adjusted two-sided p-value of the winner against each variant (null for the winner itself). */
  pValues: (number | null)[];
  sentence: string;
}

export const variantLabel = (index: number) => String.fromCharCode(65 + index);

/** Two-sided p-value of the pooled two-proportion z-test. */
export function twoProportionP(a: VariantResult, b: VariantResult): number {
  const pooled = (a.successes + b.successes) / (a.recipients + b.recipients);
  if (pooled === 0 || pooled === 1) return 1;
  const z = (a.successes / a.recipients - b.successes / b.recipients) / Math.sqrt(pooled * (1 - pooled) * (1 / a.recipients + 1 / b.recipients));
  return 2 * (1 - normalCdf(Math.abs(z)));
}

/**
 * The winner of an A/B test at its deadline. The leader (highest rate; a tie goes to the earlier variant) is compared
 * with each other variant by a pooled two-proportion z-test, and the p-values are adjusted for the several
 * comparisons (Holm), so that four variants are not four chances to find a winner by luck. The leader is a proven
 * winner only when every adjusted p-value is under 0.05 and the leader has enough successes to trust the test;
 * otherwise it is sent anyway (the plan promised a send) and said to be only the leader. The test is read once, at
 * the deadline: looking every hour and stopping at the first small p-value would find winners that are not there.
 */
export function decideWinner(variants: VariantResult[], metric: AbMetric): AbDecision {
  const rates = variants.map((v) => (v.recipients ? v.successes / v.recipients : null));
  let winner = 0;
  rates.forEach((r, i) => { if ((r ?? -1) > (rates[winner] ?? -1)) winner = i; });
  const others = variants.map((_, i) => i).filter((i) => i !== winner);
  const raw = others.map((i) => (variants[i].recipients && variants[winner].recipients ? twoProportionP(variants[winner], variants[i]) : 1));
  // Holm: the k-th smallest p-value is multiplied by (m − k), and adjusted values never decrease.
  const order = raw.map((p, k) => [p, k] as const).sort((x, y) => x[0] - y[0]);
  const adjusted = new Array<number>(raw.length);
  let running = 0;
  order.forEach(([p, k], rank) => { running = Math.max(running, Math.min(1, p * (raw.length - rank))); adjusted[k] = running; });
  const pValues: (number | null)[] = variants.map(() => null);
  others.forEach((i, k) => { pValues[i] = Math.round(adjusted[k] * 1e6) / 1e6; });
  // The normal approximation needs a few successes on the leading side and someone in every group.
  const enough = variants[winner].successes >= MIN_CONVERSIONS && variants.every((v) => v.recipients > 0);
  const significant = enough && others.length > 0 && adjusted.every((p) => p < 0.05);
  const what = metric === 'clicks' ? 'clicked' : 'ordered';
  const pct = (r: number | null) => (r === null ? 'nothing delivered' : `${(r * 100).toFixed(1)} %`);
  const field = others.map((i) => `${variantLabel(i)} ${pct(rates[i])}`).join(', ');
  const sentence = significant
    ? `${variantLabel(winner)} won: ${pct(rates[winner])} ${what}, against ${field} (significant after allowing for ${others.length} comparison${others.length > 1 ? 's' : ''}).`
    : !enough
      ? `Too few ${metric} to tell the variants apart (${variants.map((v, i) => `${variantLabel(i)} ${v.successes}`).join(', ')}; the leader needs at least ${MIN_CONVERSIONS}): ${variantLabel(winner)} only led, with ${pct(rates[winner])} ${what} against ${field}.`
      : `No variant was significantly better: ${variantLabel(winner)} only led, with ${pct(rates[winner])} ${what} against ${field}.`;
  return { winner, significant, rates: rates.map((r) => (r === null ? null : Math.round(r * 1e6) / 1e6)), pValues, sentence };
}
