/** One group of a campaign's audience: how many customers, how many ordered in the window, and what they spent. */
export interface GroupResult { customers: number; converted: number; revenue: number }

export interface Lift {
  conversionRate: { sent: number | null; holdout: number | null };
  revenuePerCustomer: { sent: number | null; holdout: number | null };
  /** Conversions and revenue the campaign added: the sent group's minus what it would have done at the holdout's rate. */
  incrementalConversions: number | null;
  incrementalRevenue: number | null;
  /** sent rate ÷ holdout rate − 1, with its 95 % confidence interval. */
  relativeLift: number | null;
  interval95: [number, number] | null;
  /** Two-sided p-value of the difference in conversion rates (two-proportion z-test). */
  pValue: number | null;
  significant: boolean;
  /** What the figures allow one to say, in a sentence. */
  verdict: string;
}

// Fewer conversions than this in a group and the normal approximations below say nothing worth reading.
export const MIN_CONVERSIONS = 5;

/** The standard normal CDF, by the Abramowitz–Stegun approximation of erf (error below 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

const round = (v: number, places = 6) => Math.round(v * 10 ** places) / 10 ** places;

/**
 * Sent against held out. The relative lift's interval is the usual one for a ratio of two proportions (normal on the
 * log of the ratio); the p-value is the pooled two-proportion z-test. A group too small to tell, or no control group
 * at all, gets a sentence saying so instead of figures that would mislead.
 */
export function compareGroups(sent: GroupResult, holdout: GroupResult): Lift {
  const rate = (g: GroupResult) => (g.customers ? g.converted / g.customers : null);
  const perCustomer = (g: GroupResult) => (g.customers ? g.revenue / g.customers : null);
  const [p1, p2] = [rate(sent), rate(holdout)];
  const [r1, r2] = [perCustomer(sent), perCustomer(holdout)];
  const base = {
    conversionRate: { sent: p1 === null ? null : round(p1), holdout: p2 === null ? null : round(p2) },
    revenuePerCustomer: { sent: r1 === null ? null : round(r1, 2), holdout: r2 === null ? null : round(r2, 2) },
    incrementalConversions: null, incrementalRevenue: null, relativeLift: null, interval95: null, pValue: null, significant: false,
  };
  if (!holdout.customers) return { ...base, verdict: 'There is no control group (the holdout was 0 %), so what the campaign added cannot be told apart from what would have happened anyway.' };
  if (!sent.customers) return { ...base, verdict: 'No message has been delivered yet.' };
  const incrementalConversions = round((p1! - p2!) * sent.customers, 1);
  const incrementalRevenue = round((r1! - r2!) * sent.customers, 2);
  if (sent.converted < MIN_CONVERSIONS || holdout.converted < MIN_CONVERSIONS) {
    return {
      ...base, incrementalConversions, incrementalRevenue,
      verdict: `Too few orders to tell yet: ${sent.converted} from those sent and ${holdout.converted} from the control group; at least ${MIN_CONVERSIONS} in each are needed before the difference means anything.`,
    };
  }
  const pooled = (sent.converted + holdout.converted) / (sent.customers + holdout.customers);
  const z = (p1! - p2!) / Math.sqrt(pooled * (1 - pooled) * (1 / sent.customers + 1 / holdout.customers));
  const pValue = 2 * (1 - normalCdf(Math.abs(z)));
  const logRatio = Math.log(p1! / p2!);
  const se = Math.sqrt(1 / sent.converted - 1 / sent.customers + 1 / holdout.converted - 1 / holdout.customers);
  const interval95: [number, number] = [round(Math.exp(logRatio - 1.96 * se) - 1, 4), round(Math.exp(logRatio + 1.96 * se) - 1, 4)];
  const relativeLift = round(p1! / p2! - 1, 4);
  const significant = pValue < 0.05;
  const pct = (v: number) => `${v >= 0 ? '+' : ''}${(v * 100).toFixed(1)} %`;
  const verdict = significant
    ? `Those who got it converted ${pct(relativeLift)} relative to the control group (95 % interval ${pct(interval95[0])} to ${pct(interval95[1])}, p = ${pValue < 0.001 ? '< 0.001' : pValue.toFixed(3)}).`
    : `Not significant yet: ${pct(relativeLift)} relative to the control group, but the 95 % interval (${pct(interval95[0])} to ${pct(interval95[1])}) includes no effect (p = ${pValue.toFixed(2)}).`;
  return { ...base, incrementalConversions, incrementalRevenue, relativeLift, interval95, pValue: round(pValue, 6), significant, verdict };
}
