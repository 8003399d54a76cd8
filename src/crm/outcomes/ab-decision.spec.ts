import fc from 'fast-check';
import { SeededRandom } from '../../db/seed/random.js';
import { decideWinner, type VariantResult } from './ab-decision.js';

// The demo data's seeded generator; neighbouring seeds start out alike in it, so each seed is scrambled first.
const seeded = (seed: number) => {
  const random = new SeededRandom(Math.imul(seed ^ 0x5bd1e995, 0x9e3779b1) ^ (seed >>> 13));
  return () => random.next();
};
const binomial = (n: number, p: number, random: () => number) => { let x = 0; for (let i = 0; i < n; i++) if (random() < p) x++; return x; };
const simulate = (rates: number[], n: number, random: () => number): VariantResult[] => rates.map((p) => ({ recipients: n, successes: binomial(n, p, random) }));

describe('choosing the winner of an A/B test', () => {
  it('picks the highest rate, and its adjusted p-values match a reference written here (pooled z-test, Holm)', () => {
    fc.assert(fc.property(
      fc.array(fc.record({ n: fc.integer({ min: 50, max: 20_000 }), q: fc.double({ min: 0.005, max: 0.6, noNaN: true }) }), { minLength: 2, maxLength: 4 }),
      (groups) => {
        const variants = groups.map(({ n, q }) => ({ recipients: n, successes: Math.round(n * q) }));
        const decision = decideWinner(variants, 'clicks');
        const rates = variants.map((v) => v.successes / v.recipients);
        const best = Math.max(...rates);
        expect(decision.winner).toBe(rates.indexOf(best));
        // Reference: erf by its Taylor series, the z-test written out, Holm by the textbook step-down.
        const erf = (x: number) => { let sum = 0, term = x; for (let k = 0; k < 200; k++) { sum += term / (2 * k + 1); term *= -x * x / (k + 1); } return (2 / Math.sqrt(Math.PI)) * sum; };
        const p = (a: VariantResult, b: VariantResult) => {
          const pool = (a.successes + b.successes) / (a.recipients + b.recipients);
          if (pool === 0 || pool === 1) return 1;
          const z = Math.abs(a.successes / a.recipients - b.successes / b.recipients) / Math.sqrt(pool * (1 - pool) * (1 / a.recipients + 1 / b.recipients));
          // The series loses its digits to cancellation for large z; beyond 5 the p-value is under 6e-7 anyway.
          return z > 5 ? 0 : 1 - erf(z / Math.SQRT2);
        };
        const others = variants.map((_, i) => i).filter((i) => i !== decision.winner);
        const sorted = others.map((i) => ({ i, p: p(variants[decision.winner], variants[i]) })).sort((a, b) => a.p - b.p);
        let max = 0;
        for (const [rank, { i, p: raw }] of sorted.entries()) {
          max = Math.max(max, Math.min(1, raw * (sorted.length - rank)));
          expect(Math.abs(decision.pValues[i]! - max)).toBeLessThan(1e-4);
        }
        expect(decision.pValues[decision.winner]).toBeNull();
        expect(decision.significant).toBe(variants[decision.winner].successes >= 5 && sorted.every((s, rank) => Math.min(1, s.p * (sorted.length - rank)) < 0.05));
      },
    ), { numRuns: 400 });
  });

  it('finds no winner in at least 90 % of A/A tests (all variants the same), for two, three and four variants', () => {
    for (const k of [2, 3, 4]) {
      let significant = 0;
      for (let seed = 1; seed <= 300; seed++) if (decideWinner(simulate(new Array(k).fill(0.04), 2000, seeded(seed * 10 + k)), 'conversions').significant) significant++;
      expect(significant / 300).toBeLessThanOrEqual(0.1);
    }
  });

  it('finds the truly better variant in most simulated tests with a clear difference, and never names a worse one as proven', () => {
    let found = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const decision = decideWinner(simulate([0.05, 0.05, 0.08], 3000, seeded(seed)), 'clicks');
      if (decision.significant) expect(decision.winner).toBe(2);
      if (decision.significant && decision.winner === 2) found++;
    }
    expect(found / 200).toBeGreaterThanOrEqual(0.8);
  });

  it('says plainly when a group is too small or nothing is significant, and that the leader only led', () => {
    const few = decideWinner([{ recipients: 40, successes: 3 }, { recipients: 40, successes: 1 }], 'clicks');
    expect(few).toMatchObject({ winner: 0, significant: false });
    expect(few.sentence).toMatch(/^Too few clicks.*A only led/);
    const tie = decideWinner([{ recipients: 1000, successes: 50 }, { recipients: 1000, successes: 52 }], 'conversions');
    expect(tie).toMatchObject({ winner: 1, significant: false });
    expect(tie.sentence).toMatch(/^No variant was significantly better: B only led, with 5.2 % ordered against A 5.0 %/);
    const clear = decideWinner([{ recipients: 5000, successes: 100 }, { recipients: 5000, successes: 250 }], 'clicks');
    expect(clear).toMatchObject({ winner: 1, significant: true });
    expect(clear.sentence).toMatch(/^B won: 5.0 % clicked, against A 2.0 %/);
  });
});
