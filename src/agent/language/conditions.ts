import type { Grounding } from './grounding.js';
import type { Item } from './items.js';
import type { Head } from './lexicon.js';
import type { RuleJson } from './rule-json.js';
import type { Vocabulary } from './vocabulary.js';

// What reading a clause produces, and the small helpers every kind of condition uses.

/** A condition with the words that produced it, so the answer and `explain` can show where each came from. */
export interface Condition { rule: RuleJson; words: string; at?: number }
/** Something the parser will not guess: the words, and the question to ask about them. */
export interface Ask { words: string; question: string }

export interface ParseContext { today: string; grounding: Grounding; vocabulary: Vocabulary; currency: string }

export interface ClauseReading {
  conditions: Condition[];
  asks: Ask[];
  definitions: string[];
  /** The clause's kind of condition and product, for a next clause that leaves them out ("bought sarees or kurtas",
   * "bought tea in the last 90 days but not in the last 30"). */
  carry?: Carry;
  /** "Never bought sarees or kurtas": a negation carried over an "or", which then joins as "and" (neither). */
  neither?: boolean;
  /** The clause only named another product for the previous clause's buying word ("… a yoga mat or running shoes"). */
  carriedProduct?: boolean;
  /** The clause only added a time to the previous clause's product ("steel tiffin box buyers, last 3 months"). */
  refinesCarry?: boolean;
}

export interface Carry { head: Head; product?: { value: string }; negated?: boolean }

export const f = (field: string, op: string, value?: unknown): RuleJson => (value === undefined ? { field, op } : { field, op, value });
export const not = (rule: RuleJson): RuleJson => ({ not: rule });
export const words = (items: Item[]) => items.map((i) => i.tokens.map((t) => t.text).join(' ')).join(' ');

export function suggestCountries(ctx: ParseContext) {
  const countries = ctx.vocabulary.countries.slice(0, 6);
  return countries.length ? ` The countries with the most customers: ${countries.join(', ')}.` : '';
}

export function suggest(names: string[]) {
  return names.length ? ` Did you mean ${names.map((n) => `"${n}"`).join(', ')}?` : '';
}

