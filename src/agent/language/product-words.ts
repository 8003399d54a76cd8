import type { Grounding } from './grounding.js';
import { has, productWord, type Item } from './items.js';

// The product a request names: after a word for buying, or just before it ("kurta sets bought in October").

// How the sentence writer and careful writers introduce a product's words: "a product described as "lantern"".
const describedAs = new Set(['product', 'products', 'item', 'items', 'described as', 'described', 'as', 'called', 'named', 'a product described as', '"']);
export const articles = new Set(['a', 'an', 'the', 'some', 'any', 'our', 'their', 'of', 'one', 'both', 'either', 'these', 'those']);

/** The longest run of words just before items[at] that the catalogue holds ("kurta sets bought …"). */
export function productBefore(items: Item[], start: number, at: number, grounding: Grounding, inValue: (i: number) => boolean) {
  for (let from = Math.max(start, at - 6); from < at; from++) {
    const run = items.slice(from, at);
    if (run.some((x, k) => x.used || inValue(from + k) || x.place || has(x, 'join') || has(x, 'neg') || x.token?.type === 'sign')) continue;
    if (run.every((x) => x.senses.some((s) => s.kind === 'filler' || s.kind === 'people') || articles.has(x.words))) continue;
    const match = grounding.productMatches(run.map(productWord).join(' '));
    if (match.count > 0) return { value: match.value, from, to: at };
  }
  return null;
}

/**
 * The product a buying word names: the longest run of words after it (past "a", "the", "some") that the catalogue's
 * descriptions hold as whole words; or, when the next words are unknown, those words, to ask about.
 */
export function readProduct(items: Item[], from: number, end: number, grounding: Grounding, inValue: (i: number) => boolean):
  { value: string; from: number; to: number } | { unknown: string; from: number; to: number } | null {
  let i = from;
  while (i < end && (articles.has(items[i].words) || describedAs.has(items[i].words) || /described as$/.test(items[i].words))) i++;
  if (i >= end || inValue(i)) return null;
  const functionWord = (item: Item) => item.senses.some((s) => ['join', 'prep', 'cmp', 'neg', 'recent', 'period', 'calendar', 'month', 'times', 'edge', 'campaign', 'label', 'quarter'].includes(s.kind)) || item.token?.type === 'sign';
  // A product's name does not start with "in", "over", "last"…, even where some description holds the word.
  if (functionWord(items[i]) && (!grounding.isProductWord(items[i].words) || items[i].senses.some((s) => ['prep', 'join', 'cmp', 'neg', 'recent'].includes(s.kind)))) return null;
  if (items[i].senses.some((s) => s.kind === 'filler' || s.kind === 'people') && !grounding.isProductWord(items[i].words)) return null;
  for (let to = Math.min(end, i + 8); to > i; to--) {
    if (Array.from({ length: to - i }, (_, k) => i + k).some((k) => inValue(k) || items[k].token?.type === 'sign' && items[k].words !== '-')) continue;
    const last = items[to - 1];
    if (functionWord(last) && !grounding.isProductWord(last.words)) continue;
    // A run of only articles, pronouns and filler ("our", "the") names no product, whatever a description holds.
    if (items.slice(i, to).every((x) => x.senses.some((s) => s.kind === 'filler' || s.kind === 'people') || articles.has(x.words))) continue;
    const text = items.slice(i, to).map(productWord).join(' ');
    const match = grounding.productMatches(text);
    if (match.count > 0) return { value: match.value, from: i, to };
  }
  const unknown: Item[] = [];
  for (let k = i; k < end && unknown.length < 4 && !inValue(k) && !items[k].senses.length && !items[k].place && items[k].token?.type === 'word'; k++) unknown.push(items[k]);
  return unknown.length ? { unknown: unknown.map((x) => x.words).join(' '), from: i, to: i + unknown.length } : null;
}

