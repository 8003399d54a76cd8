import { has, isBuyingWord, isFiller, sense, type Item } from './items.js';

export type RankBy = 'total_spend' | 'order_count' | 'average_order_value' | 'last_order_date';
export interface Ranking {
  by: RankBy; direction: 'desc' | 'asc'; limit: number;
  /** What was asked to be ranked when it is not customers ("top 5 products"). */
  notCustomers?: string;
  /** A ranking word that could mean two figures ("the newest customers": joined or ordered?). */
  unclear?: string;
}

export const rankWord = /^(top|biggest|largest|highest|best|heaviest|greatest)\b/;
const figureOf = (item: Item | undefined): RankBy | undefined => {
  const head = sense(item, 'head')?.head;
  if (head === 'spend') return 'total_spend';
  if (head === 'aov') return 'average_order_value';
  if (head === 'count' || head === 'order' || has(item, 'unit')) return 'order_count';
  if (head === 'last' || item?.words === 'recency') return 'last_order_date';
  return undefined;
};

/**
 * "Top 10 customers by spend", "our 5 biggest spenders", "10 customers with the highest AOV", "who is our biggest
 * spender?": a ranking word with a number near it (or a single "biggest spender"), the figure it ranks by, and the
 * direction. The rest of the request narrows who is ranked.
 */
export function readRank(items: Item[]): Ranking | undefined {
  for (let at = 0; at < items.length; at++) {
    const rank = sense(items[at], 'rank');
    const label = sense(items[at], 'label')?.label === 'vip' && rankWord.test(items[at].words);
    if (!rank && !label) continue;
    const isCount = (k: number) => countAt(items, k) !== undefined;
    const limitWord = ['limit', 'top', 'first'].includes(items[at + 1]?.words ?? '') ? [at + 2] : [];
    const afterFigure = figureOf(items[at + 1]) ? [at + 2] : [];
    let numberAt = [at + 1, ...limitWord, ...afterFigure, at - 1, at - 2, at - 3, at - 4, at - 5, at - 6].find((k) => k >= 0 && isCount(k));
    if (limitWord.length && numberAt === at + 2) items[at + 1].used = true;
    // "Our biggest spender", "the most frequent customer": one.
    const noun = /(spender|customer|buyer|shopper|client)s?$/.exec(items[at].words)?.[0] ?? items.slice(at + 1, at + 3).find((x) => has(x, 'people'))?.words ?? '';
    const singular = /^(spender|customer|buyer|shopper|client)$/.test(noun) || /(spender|customer|buyer|shopper|client)$/.test(items[at].words)
      || items.slice(0, at).some((x, k) => k >= at - 5 && /^(customer|buyer|shopper|client|spender)$/.test(x.words) && items.slice(Math.max(0, k - 3), k).some((y) => /^(which|the|our|one)$/.test(y.words)));
    // "The 15 customers who haven't ordered for the longest", "… highest first, top 6": the number said elsewhere.
    if (numberAt === undefined && !singular) numberAt = limitAnywhere(items);
    // Only customers are ranked: "top 5 products", "top 10 cities by revenue", "which country brings in the most
    // revenue?" are not a ranking of customers.
    const notCustomers = /^(products?|items?|skus?|cities|city|countries|country|categories|category|campaigns?|segments?|places?|regions?|stores?)$/;
    const ranked = items.slice(at + 1, at + 4).find((x) => notCustomers.test(x.words))
      ?? items.slice(0, at).find((x, k) => k >= at - 4 && notCustomers.test(x.words) && /^(which|what)$/.test(items[k - 1]?.words ?? ''));
    if (ranked) return { by: 'total_spend', direction: 'desc', limit: 0, notCustomers: ranked.words };
    if (numberAt === undefined && !singular) continue;
    // "Who have been customers the longest": since they joined, not since they last ordered.
    if (rank?.by === 'last_order_date' && /longest/.test(items[at].words) && items.slice(Math.max(0, at - 3), at).some((x) => /^(with us|been)$/.test(x.words))
      && !items.slice(at + 1, at + 5).some((x) => figureOf(x) || isBuyingWord(x))) {
      return { by: 'last_order_date', direction: 'asc', limit: 0, unclear: items[at].words };
    }
    // "The 30 newest customers", "our oldest customers": newest by when they joined, or by their last order? Said
    // beside a word for orders it is the last order; alone it is asked about.
    if (/^(newest|oldest|earliest|latest)$/.test(items[at].words) && !items.slice(Math.max(0, at - 3), at + 5).some((x) => figureOf(x) || isBuyingWord(x))) {
      return { by: 'last_order_date', direction: 'desc', limit: 0, unclear: items[at].words };
    }
    const used = [at, ...(numberAt === undefined ? [] : [numberAt])];
    let by: RankBy | undefined = rank?.by ?? (label ? 'total_spend' : undefined);
    // The figure: "by spend", or a word for it between the number and a few words after the ranking word.
    if (!by || items[at + 1]?.words === 'by') {
      for (let k = Math.min(at, numberAt ?? at) + 1; k < Math.min(items.length, at + 6); k++) {
        if (k === at) continue;
        // "Top 15 customers who ordered …": what follows "who" narrows who is ranked; it does not name the figure.
        if (k > at && has(items[k], 'join') && items[k].words !== 'by') break;
        const figure = figureOf(items[k]);
        if (figure) {
          by = figure;
          used.push(k);
          if (/^(by|basis|based on)$/.test(items[k - 1]?.words ?? '')) used.push(k - 1);
          break;
        }
      }
    }
    // "Sort French customers by AOV desc", "which customer has spent the most": the figure named before the ranking word.
    if (!rank?.by) {
      const byAt = items.findIndex((x, k) => k < at && x.words === 'by' && figureOf(items[k + 1]));
      const before = byAt >= 0 ? byAt + 1 : [at - 1, at - 2, at - 3].find((k) => k >= 0 && figureOf(items[k]) && !items[k].used);
      if (before !== undefined && before >= 0) {
        by = figureOf(items[before]);
        used.push(before);
        if (byAt >= 0) used.push(byAt);
      }
    }
    // "Spend the most per order": the average order, not the total. "The largest orders": their size, not their number.
    if (by === 'total_spend') {
      const per = items.findIndex((x, k) => k > at && k <= at + 4 && (/^(per order|per purchase|per visit|per transaction|on average|per basket)$/.test(x.words)
        || /^(per|an|a|each)$/.test(x.words) && /^(order|purchase|visit|transaction|basket)$/.test(items[k + 1]?.words ?? '')));
      if (per >= 0) {
        by = 'average_order_value';
        items[per].used = true;
        if (items[per].words.split(' ').length === 1 && items[per].words !== 'on average') items[per + 1].used = true;
      }
    }
    if (/^(largest|biggest|smallest|heaviest|greatest|highest-value|lowest-value)$/.test(items[at].words) && /^(orders?|baskets?|purchases?|transactions?)$/.test(items[at + 1]?.words ?? '')) {
      by = 'average_order_value';
      used.push(at + 1);
    }
    // "Most recent first … by recency": the figure said again after "by" is the same ranking.
    for (const [k, x] of items.entries()) if (!x.used && by && figureOf(x) === by && /^(by|basis)$/.test(items[k - 1]?.words ?? '')) used.push(k, k - 1);
    // "Top 40 customers who bought a shawl, ranked by spend": the figure said at the end.
    if (!by) {
      const far = figureAnywhere(items);
      if (far !== undefined) {
        by = figureOf(items[far]);
        used.push(far);
        if (/^(by|basis|on the basis of|based on|:|=)$/.test(items[far - 1]?.words ?? '')) used.push(far - 1);
        if (/^(leaderboard|ranking|rankings)$/.test(items[far + 1]?.words ?? '')) used.push(far + 1);
      }
    }
    // "Top 30 by items bought", "by quantity": a figure the CRM does not rank by is asked about, not taken for spend.
    if (!by) {
      const other = items.findIndex((x, k) => x.words === 'by' && !x.used && items[k + 1] && !items[k + 1].place && !items[k + 1].demonym && !has(items[k + 1], 'people'));
      if (other >= 0) return { by: 'total_spend', direction: 'desc', limit: 0, unclear: items.slice(other + 1, other + 3).map((x) => x.words).join(' ') };
    }
    const said = directionSaid(items);
    // "Top 10 lowest AOV": "top" only counts; the word after the number says which end.
    const then = numberAt !== undefined ? items[numberAt + 1] : undefined;
    const override = rankWord.test(items[at].words) && then && sense(then, 'rank') && !then.used ? sense(then, 'rank')!.direction : undefined;
    if (override) then!.used = true;
    // The figure's own words are part of the ranking ("whose last order is the oldest").
    for (let k = Math.min(at, numberAt ?? at) + 1; k < Math.min(items.length, at + 6); k++) if (figureOf(items[k]) === (by ?? 'total_spend')) used.push(k);
    for (const k of used) items[k].used = true;
    if (numberAt !== undefined) items[numberAt].rankSize = true;
    // "Who haven't ordered for the longest": the silence is the ranking itself, not a condition of never ordering.
    if (by === 'last_order_date' && rank?.direction === 'asc') {
      const run: number[] = [];
      for (let k = at - 1; k >= Math.max(0, at - 8); k--) {
        if (has(items[k], 'neg') || isBuyingWord(items[k]) || isFiller(items[k]) || /^(for|in|from|us|had|have|an|a|any|order|orders)$/.test(items[k].words)) run.push(k);
        else break;
      }
      if (run.some((k) => has(items[k], 'neg'))) for (const k of run) items[k].used = true;
    }
    // "Who buy from us the least often": the buying is what is ranked, not a condition of having bought.
    if (by === 'order_count' && rank?.by === 'order_count') {
      for (let k = at - 1; k >= Math.max(0, at - 4); k--) {
        if (isBuyingWord(items[k]) || isFiller(items[k]) || /^(from|us|with us|from us)$/.test(items[k].words)) items[k].used = true;
        else break;
      }
    }
    // "Ordered most often": the adverb says how they rank, not that they are loyal.
    for (const k of [at - 1, at + 1, at + 2]) if (/^(often|frequently|regularly)$/.test(items[k]?.words ?? '')) items[k].used = true;
    return { by: by ?? 'total_spend', direction: said ?? override ?? rank?.direction ?? 'desc', limit: numberAt === undefined ? 1 : countAt(items, numberAt)! };
  }
  return readSort(items);
}

const sortVerb = /^(rank|ranked|sort|sorted|sort by|sorted by|ranked by|rank by|order by|arrange|arranged|arrange by|arranged by|leaderboard|leaderboard of)$/;
const limitWords = /^(first|top|limit|give me|show|show top|only|just|which|n|n =|number one)$/;

/** A count of customers: a whole number from 1 to 1,000 written as digits or a word, not a sum or a time. */
function countAt(items: Item[], k: number): number | undefined {
  const word = sense(items[k], 'number');
  const t = items[k]?.token;
  const n = word && !['a', 'an'].includes(items[k].words) ? word.value : t?.type === 'number' && !t.suffix && Number.isInteger(t.value) ? t.value : undefined;
  if (n === undefined || n < 1 || n > 1000) return undefined;
  const next = items[k + 1];
  // Not a figure ("10 orders", "₹500", "over 5") nor a day of a date ("before 1 March 2026", "March 1").
  const figure = has(next, 'unit') || has(next, 'period') || has(next, 'scale') || has(next, 'currency') || has(items[k - 1], 'currency') || has(items[k - 1], 'cmp');
  const day = has(next, 'month') || has(items[k - 1], 'month') || (next?.token?.type === 'number' && /^(19|20)\d\d$/.test(next.words));
  return figure || day ? undefined : n;
}

/** "First 50", "limit 25", "give me 8", "the 12 Kolkata customers": how many to show, wherever it is said. */
function limitAnywhere(items: Item[]): number | undefined {
  const people = (x: Item | undefined) => has(x, 'people') || !!x?.place || !!x?.demonym || has(x, 'label');
  // "10 of them", "30 rows": the count said after the number.
  const countWordAfter = (k: number) => /^(rows|results|records|of them|customers only|names|please|pls)$/.test(items[k + 1]?.words ?? '')
    || items[k + 1]?.words === 'of' && items[k + 2]?.words === 'them';
  const k = items.findIndex((x, k) => !x.used && countAt(items, k) !== undefined
    && (limitWords.test(items[k - 1]?.words ?? '') || countWordAfter(k) || (k === 0 || ['the', 'our', 'those', 'which'].includes(items[k - 1]?.words ?? '')) && (people(items[k + 1]) || people(items[k + 2]))));
  if (k < 0) return undefined;
  if (limitWords.test(items[k - 1]?.words ?? '') && items[k - 1].words !== 'which') items[k - 1].used = true;
  if (countWordAfter(k)) for (const x of items.slice(k + 1, items[k + 1].words === 'of' ? k + 3 : k + 2)) x.used = true;
  return k;
}

/** "… by number of orders", "ranked by spend", "sort: last_order_date": the figure after "by" or a word for sorting. */
function figureAnywhere(items: Item[]): number | undefined {
  const k = items.findIndex((x, k) => figureOf(x) && (k > 0 && (/^(by|basis|on the basis of|based on)$/.test(items[k - 1].words) || sortVerb.test(items[k - 1].words) || /^(:|=)$/.test(items[k - 1].words) && sortVerb.test(items[k - 2]?.words ?? ''))
    || /^(leaderboard|ranking|rankings)$/.test(items[k + 1]?.words ?? '')));
  return k < 0 ? undefined : k;
}

/** "Highest first", "descending", "asc": the direction said in words of its own (taken, so they are not left over). */
function directionSaid(items: Item[]): 'asc' | 'desc' | undefined {
  let said: 'asc' | 'desc' | undefined;
  for (const [k, x] of items.entries()) {
    if (/^(desc|descending|highest first|asc|ascending|lowest first)$/.test(x.words)) {
      said = sense(x, 'rank')!.direction;
      x.used = true;
    }
    // "Lowest lifetime spend first", "earliest last order first": the order said with the figure, then "first".
    if (x.words === 'first' && !x.used && (sense(items[k - 1], 'rank') || figureOf(items[k - 1]) && sense(items[k - 2], 'rank'))) x.used = true;
  }
  return said;
}

/**
 * "Rank Lucknow customers by number of orders, highest first, and give me 8", "customers sorted by total spend
 * descending, first 50", "sort: last_order_date desc | limit 25": a word for sorting, the figure after it, and how
 * many. Without a number it is not a ranking (and the words are asked about).
 */
function readSort(items: Item[]): Ranking | undefined {
  const verb = items.findIndex((x) => sortVerb.test(x.words));
  if (verb < 0) return undefined;
  const figure = figureAnywhere(items) ?? items.findIndex((x, k) => k > verb && k <= verb + 4 && !!figureOf(x));
  if (figure === undefined || figure < 0) return undefined;
  const limitAt = limitAnywhere(items);
  if (limitAt === undefined) return undefined;
  const by = figureOf(items[figure])!;
  for (const k of [verb, figure, limitAt]) items[k].used = true;
  items[limitAt].rankSize = true;
  if (items[figure - 1]?.words === 'by') items[figure - 1].used = true;
  if (items[verb + 1]?.words === ':') items[verb + 1].used = true;
  return { by, direction: directionSaid(items) ?? 'desc', limit: countAt(items, limitAt)! };
}

