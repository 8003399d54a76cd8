import { editDistance } from './edit-distance.js';
import { cityNames, countryNames, demonyms } from './place-names.js';
import type { Vocabulary } from './vocabulary.js';

export interface Place {
  field: 'city' | 'country';
  value: string;
  /** A country that is also a city of the data (Singapore): in a list of cities it is the city. */
  city?: string;
}

/** A word in the singular, as product descriptions mostly spell them ("sarees" → "saree", "boxes" → "box"). */
export function singular(word: string): string {
  if (word.length <= 3 || /(ss|us|is)$/.test(word)) return word;
  if (/ies$/.test(word)) return `${word.slice(0, -3)}y`;
  if (/(ch|sh|x|z)es$/.test(word)) return word.slice(0, -2);
  if (/s$/.test(word)) return word.slice(0, -1);
  return word;
}

/**
 * The data's names, indexed for the parser: places by every way of writing them (the data's spelling, aliases,
 * demonyms), product descriptions and their words, tags and email domains. Built once per vocabulary.
 */
export class Grounding {
  /** Lower-case phrase → the place it names, with the data's spelling. */
  readonly places = new Map<string, Place>();
  readonly demonyms = new Map<string, Place>();
  /** Adjectives for countries the data does not hold ("Chinese" in a shop with no customers in China). */
  readonly absentDemonyms = new Map<string, string>();
  readonly placeWords = new Set<string>();
  readonly productWords = new Map<string, number>();
  readonly tags: Map<string, string>;
  readonly domains: string[];
  /** The longest place phrase, in words, so matching knows how far to look. */
  readonly longestPlace: number;

  constructor(readonly vocabulary: Vocabulary) {
    const countries = new Map(vocabulary.countries.map((c) => [c.toLowerCase(), c]));
    const cities = new Map(vocabulary.cities.map((c) => [c.toLowerCase(), c]));
    for (const [key, value] of cities) this.places.set(key, { field: 'city', value });
    for (const [key, value] of countries) this.places.set(key, { field: 'country', value, city: cities.get(key) });
    for (const group of cityNames) {
      const held = group.find((n) => cities.has(n));
      if (held) for (const n of group) if (!this.places.has(n)) this.places.set(n, { field: 'city', value: cities.get(held)! });
    }
    const countryOf = new Map<string, string>();
    for (const group of countryNames) {
      const held = group.find((n) => countries.has(n));
      if (!held) continue;
      for (const n of group) {
        countryOf.set(n, countries.get(held)!);
        if (!this.places.has(n)) this.places.set(n, { field: 'country', value: countries.get(held)! });
      }
    }
    for (const [adjective, country] of Object.entries(demonyms)) {
      const value = countryOf.get(country) ?? countries.get(country);
      // "Norwegians", "Canadians": the people, in the plural.
      const plural = /(s|sh|ese|ch)$/.test(adjective) ? null : `${adjective}s`;
      if (value) {
        this.demonyms.set(adjective, { field: 'country', value });
        if (plural && !demonyms[plural]) this.demonyms.set(plural, { field: 'country', value });
      } else this.absentDemonyms.set(adjective, country.replace(/\b[a-z]/g, (c) => c.toUpperCase()));
    }
    for (const key of [...this.places.keys(), ...this.demonyms.keys()]) for (const w of key.split(/\s+/)) this.placeWords.add(w);
    this.longestPlace = Math.max(1, ...[...this.places.keys(), ...this.demonyms.keys()].map((k) => k.split(/\s+/).length));
    for (const d of vocabulary.products) for (const w of d.split(/[^a-z0-9'-]+/)) if (w.length > 1) this.productWords.set(w, (this.productWords.get(w) ?? 0) + 1);
    this.tags = new Map(vocabulary.tags.map((t) => [t.toLowerCase(), t]));
    this.domains = vocabulary.emailDomains;
  }

  /** The place named by exactly these words, if the data holds it. */
  place(words: string[]): Place | undefined {
    return this.places.get(words.join(' ').replace(/\.$/, ''));
  }

  /**
   * How many product descriptions hold the words, whole words at both ends (a last word may be plural in the
   * description): "lantern" finds "WHITE METAL LANTERN", "in" does not find "MASALA CHAI TIN". The words are tried in
   * the singular first, then as written.
   */
  productMatches(text: string): { value: string; count: number } {
    const words = text.split(' ');
    // All words in the singular, as written, or only the last one singular ("kids kurta sets").
    const candidates = [...new Set([words.map(singular).join(' '), text, [...words.slice(0, -1), singular(words.at(-1)!)].join(' ')])];
    for (const value of candidates) {
      const count = this.countWhole(value);
      // Written as the catalogue writes it: "running shoes" stays plural when every match is "Running Shoes".
      const plural = [`${value}s`, `${value}es`].find((p) => !value.endsWith('s') && this.countWhole(p) === count);
      if (count) return { value: plural ?? value, count };
    }
    // The same words in the description's own order: "pink polkadot lunch bags" is "lunch bag pink polkadot"; "a set
    // of brass diyas" is "brass diya set" (the small words left out).
    if (words.length > 1) {
      const reordered = this.reordered(words.map(singular)) ?? this.reordered(words.filter((w) => !['of', 'a', 'an', 'the', 'pack', 'set', 'box'].includes(w) || words.length <= 2).map(singular));
      if (reordered) return reordered;
      const content = words.filter((w) => !['of', 'a', 'an', 'the'].includes(w));
      if (content.length > 1 && content.length < words.length) {
        const small = this.reordered(content.map(singular));
        if (small) return small;
      }
    }
    return { value: candidates[0], count: 0 };
  }

  private countWhole(value: string) {
    const pattern = new RegExp(`(?:^|[^a-z0-9])${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:s|es)?(?:$|[^a-z0-9])`);
    return this.vocabulary.products.reduce((n, d) => n + (pattern.test(d) ? 1 : 0), 0);
  }

  /** The run of a description made of exactly these words in another order, the one most descriptions share. */
  private reordered(words: string[]): { value: string; count: number } | null {
    const found = new Map<string, number>();
    const want = [...words].sort().join(' ');
    for (const d of this.vocabulary.products) {
      const parts = d.split(/\s+/);
      for (let k = 0; k + words.length <= parts.length; k++) {
        const window = parts.slice(k, k + words.length);
        if (window.map((w) => singular(w.replace(/[^a-z0-9'-]/g, ''))).sort().join(' ') === want) {
          const value = window.join(' ');
          found.set(value, (found.get(value) ?? 0) + 1);
        }
      }
    }
    const best = [...found].sort((a, b) => b[1] - a[1])[0];
    return best ? { value: best[0], count: this.countWhole(best[0]) || best[1] } : null;
  }

  /** Descriptions holding the text anywhere, as a rule's "contains" finds them ("pen" finds "pendant"). */
  containing(text: string): string[] {
    return this.vocabulary.products.filter((d) => d.includes(text));
  }

  /** Whether a word appears in any product description (in the singular or as written). */
  isProductWord(word: string) {
    return this.productWords.has(word) || this.productWords.has(singular(word));
  }

  /** The places nearest in spelling to what was written, for "Did you mean …?". */
  nearestPlaces(text: string, limit = 3): string[] {
    return nearest(text, [...new Set([...this.places.values()].map((p) => p.value))], limit);
  }

  nearestProducts(text: string, limit = 3): string[] {
    const words = text.split(' ').map(singular);
    // Descriptions sharing the most words with what was written, then nearest in spelling.
    const scored = this.vocabulary.products.map((d) => ({ d, shared: words.filter((w) => d.includes(w)).length }));
    const sharing = scored.filter((s) => s.shared > 0).sort((a, b) => b.shared - a.shared || a.d.length - b.d.length).map((s) => s.d);
    return (sharing.length ? sharing : nearest(text, this.vocabulary.products, limit)).slice(0, limit);
  }

  /** The email domain meant by a word people use for it ("gmail" → "gmail.com"), if exactly one is held. */
  domain(word: string): string | undefined {
    if (this.domains.includes(word)) return word;
    const held = this.domains.filter((d) => d.split('.')[0] === word);
    return held.length === 1 ? held[0] : undefined;
  }
}

/** Values within a few edits of the text (or starting like it), nearest first. */
export function nearest(text: string, values: string[], limit: number): string[] {
  const t = text.toLowerCase();
  return values
    .map((v) => ({ v, d: editDistance(t, v.toLowerCase(), Math.max(3, Math.ceil(t.length / 2))) }))
    .filter((x) => x.d <= Math.max(3, Math.ceil(t.length / 2)))
    .sort((a, b) => a.d - b.d)
    .slice(0, limit)
    .map((x) => x.v);
}

/**
 * The word among `known` within `limit` edits of `word` that starts with the same letter (people rarely miss the
 * first one, and allowing it turns "Nagpur" into "Jaipur"), or undefined when there is none or no clear best. Nearer
 * wins; at the same distance a longer word wins over one of the same length, which wins over a shorter one (a missing
 * letter is the commonest slip: "orderd" is "ordered" before "orders"); a tie left is no correction unless `same` says
 * the words mean the same.
 */
export function correction(word: string, known: Iterable<string>, limit: number, same?: (a: string, b: string) => boolean, substitution = 1): { to: string; distance: number } | undefined {
  if (!limit) return undefined;
  let best: string | undefined;
  let bestScore = Infinity;
  let tie = false;
  for (const k of known) {
    if (k[0] !== word[0] || Math.abs(k.length - word.length) > limit) continue;
    const d = editDistance(word, k, limit, substitution);
    if (d > limit) continue;
    const score = d * 3 + (k.length > word.length ? 0 : k.length === word.length ? 1 : 2);
    if (score < bestScore) {
      best = k;
      bestScore = score;
      tie = false;
    } else if (score === bestScore && k !== best && !same?.(k, best!)) tie = true;
  }
  return best !== undefined && !tie ? { to: best, distance: Math.floor(bestScore / 3) } : undefined;
}
