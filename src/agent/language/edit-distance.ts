/**
 * Edits (insert, delete, change, swap of neighbours) between two words — a change costing `substitution` — or `limit + 1` as soon as it is clear there
 * are more: typo correction only ever asks "is this within one or two edits?".
 */
export function editDistance(a: string, b: string, limit: number, substitution = 1): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : substitution;
      let d = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2] + 1);
      current.push(d);
      best = Math.min(best, d);
    }
    if (best > limit) return limit + 1;
    before = previous;
    previous = current;
  }
  return previous[b.length];
}

/**
 * How many edits a typed word of this length may be from the word meant: none for short words, which collide with
 * other words; one up to seven letters; two from eight.
 */
export const allowedEdits = (word: string) => (word.length <= 3 ? 0 : word.length <= 7 ? 1 : 2);
