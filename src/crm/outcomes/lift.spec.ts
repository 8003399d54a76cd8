import fc from 'fast-check';
import { compareGroups, normalCdf } from './lift.js';

// A seeded generator, so that each simulated campaign is the same on every run. Neighbouring seeds start out
// alike in mulberry32, so each seed is scrambled first.
function mulberry32(seed: number) {
  seed = Math.imul(seed ^ 0x5bd1e995, 0x9e3779b1) ^ (seed >>> 13);
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const binomial = (n: number, p: number, random: () => number) => { let x = 0; for (let i = 0; i < n; i++) if (random() < p) x++; return x; };

describe('campaign lift against the control group', () => {
  it('matches a reference computed here: rates, the pooled z-test and the log-ratio interval', () => {
    fc.assert(fc.property(
      fc.integer({ min: 200, max: 50_000 }), fc.integer({ min: 100, max: 20_000 }), fc.double({ min: 0.01, max: 0.5, noNaN: true }), fc.double({ min: 0.01, max: 0.5, noNaN: true }),
      (n1, n2, q1, q2) => {
        const x1 = Math.max(5, Math.round(n1 * q1));
        const x2 = Math.max(5, Math.round(n2 * q2));
        fc.pre(x1 < n1 && x2 < n2);
        const lift = compareGroups({ customers: n1, converted: x1, revenue: x1 * 100 }, { customers: n2, converted: x2, revenue: x2 * 90 });
        // The reference, written out from the textbook formulas.
        const p1 = x1 / n1, p2 = x2 / n2, p = (x1 + x2) / (n1 + n2);
        const z = (p1 - p2) / Math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2));
        const phi = (v: number) => 0.5 * (1 + Math.sign(v) * Math.sqrt(1 - Math.exp(-2 * v * v / Math.PI))); // Pólya's approximation
        const se = Math.sqrt((1 - p1) / x1 + (1 - p2) / x2);
        expect(lift.relativeLift!).toBeCloseTo(p1 / p2 - 1, 3);
        expect(lift.interval95![0]).toBeCloseTo(Math.exp(Math.log(p1 / p2) - 1.96 * se) - 1, 3);
        expect(lift.interval95![1]).toBeCloseTo(Math.exp(Math.log(p1 / p2) + 1.96 * se) - 1, 3);
        expect(Math.abs(lift.pValue! - 2 * (1 - phi(Math.abs(z))))).toBeLessThan(0.01);
        expect(lift.incrementalConversions!).toBeCloseTo((p1 - p2) * n1, 0);
        expect(lift.incrementalRevenue!).toBeCloseTo((x1 * 100 / n1 - x2 * 90 / n2) * n1, 0);
      },
    ), { numRuns: 300 });
  });

  it('uses an accurate normal distribution', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-2.575829)).toBeCloseTo(0.005, 6);
  });

  it('holds the true lift inside its 95% interval in at least 90% of simulated campaigns', () => {
    const trueLift = 0.3, base = 0.05;
    let covered = 0, significant = 0;
    const seeds = 200;
    for (let seed = 1; seed <= seeds; seed++) {
      const random = mulberry32(seed);
      const sent = binomial(9000, base * (1 + trueLift), random);
      const held = binomial(1000, base, random);
      const lift = compareGroups({ customers: 9000, converted: sent, revenue: 0 }, { customers: 1000, converted: held, revenue: 0 });
      if (lift.interval95 && lift.interval95[0] <= trueLift && trueLift <= lift.interval95[1]) covered++;
      if (lift.significant) significant++;
    }
    expect(covered / seeds).toBeGreaterThanOrEqual(0.9);
    // With this much data a 30% lift is usually found, though not always: the figure is reported, not promised.
    expect(significant / seeds).toBeGreaterThan(0.3);
  });

  it('calls an A/A test not significant in at least 90% of simulated campaigns', () => {
    let quiet = 0;
    const seeds = 200;
    for (let seed = 1; seed <= seeds; seed++) {
      const random = mulberry32(1000 + seed);
      const lift = compareGroups(
        { customers: 9000, converted: binomial(9000, 0.05, random), revenue: 0 },
        { customers: 1000, converted: binomial(1000, 0.05, random), revenue: 0 },
      );
      if (!lift.significant) quiet++;
    }
    expect(quiet / seeds).toBeGreaterThanOrEqual(0.9);
  });

  it('declines to judge with no control group or too few orders, and says why', () => {
    expect(compareGroups({ customers: 100, converted: 10, revenue: 1000 }, { customers: 0, converted: 0, revenue: 0 })).toMatchObject({ relativeLift: null, significant: false, verdict: expect.stringMatching(/no control group/) });
    const thin = compareGroups({ customers: 100, converted: 10, revenue: 1000 }, { customers: 12, converted: 1, revenue: 50 });
    expect(thin).toMatchObject({ relativeLift: null, interval95: null, significant: false, verdict: expect.stringMatching(/^Too few orders to tell yet: 10 from those sent and 1 from the control group/) });
    expect(thin.incrementalConversions).toBeCloseTo((0.1 - 1 / 12) * 100, 1);
  });
});
