import { correction, singular, type Grounding, type Place } from './grounding.js';
import { allowedEdits } from './edit-distance.js';
import { commonTypos, lexicon, lexiconWords, type Sense } from './lexicon.js';
import { tokenize, type Token } from './tokens.js';
import type { RuleJson } from './rule-json.js';

/**
 * One unit of meaning in a request: a phrase of the lexicon (with every sense it can have), a place the data holds,
 * or a bare token (a number, a date, an unknown word). `used` is set when a condition takes it.
 */
export interface Item {
  tokens: Token[];
  words: string;
  senses: Sense[];
  place?: Place;
  /** A country's people ("British"): a place only beside a word for people. */
  demonym?: Place;
  token?: Token;
  used?: boolean;
  /** A bracketed group, read on its own: its rule. */
  group?: RuleJson;
  /** A joining word inside a product's name ("teacup and saucer"): not a join. */
  inName?: boolean;
  /** The number of customers a ranking shows ("the 30 shoppers …"): never part of a product's name. */
  rankSize?: boolean;
}

export const has = (item: Item | undefined, kind: Sense['kind']) => !!item?.senses.some((s) => s.kind === kind);
export function sense<K extends Sense['kind']>(item: Item | undefined, kind: K): Extract<Sense, { kind: K }> | undefined {
  return item?.senses.find((s) => s.kind === kind) as Extract<Sense, { kind: K }> | undefined;
}
export const isFiller = (item: Item) => item.senses.length > 0 && item.senses.every((s) => s.kind === 'filler' || s.kind === 'people' || s.kind === 'join');

// Short aliases that are also everyday words ("us", "ny"): places only right after "in", "from" or "outside".
const ambiguousPlaces = new Set(['us', 'ny', 'hk', 'nz', 'eu', 'gb', 'ksa', 'ncr', 'hyd', 'blr']);
const placeBefore = new Set(['in', 'from', 'outside', 'at', 'of', 'across', 'around', 'near', 'and', 'or', ',', 'not', 'excluding', 'except', 'than', '/']);

export interface Correction { from: string; to: string }

/** Words the data or the lexicon knows, so an unknown word can be corrected to one of them. */
function known(word: string, grounding: Grounding) {
  return lexicon.has(word) || lexiconWords.has(word) || grounding.placeWords.has(word) || grounding.isProductWord(word) || grounding.tags.has(word) || !!grounding.domain(word);
}

const senseKinds = (word: string) => (lexicon.get(word)?.find((e) => e.words.length === 1)?.senses ?? []).map((s) => JSON.stringify(s)).sort().join();
const sameSense = (a: string, b: string) => senseKinds(a) === senseKinds(b);
// A correction must carry meaning: never a number word ("nice" is not "nine", "trendy" not "twenty") nor a word that
// only fills ("gold" is not "good").
const inPhrases = new Set([...lexicon.values()].flat().filter((e) => e.words.length > 1 && !e.senses.every((s) => s.kind === 'filler')).flatMap((e) => e.words));
const correctable = [...lexiconWords].filter((w) => {
  const senses = lexicon.get(w)?.find((e) => e.words.length === 1)?.senses ?? [];
  if (senses.some((s) => s.kind === 'number')) return false;
  return inPhrases.has(w) || senses.length > 0 && (!senses.every((s) => s.kind === 'filler') || w.length >= 6);
});

// Month and day names are written with capitals: a capitalised word may be a misspelt one ("Septmber").
const calendarWords = ['january', 'february', 'march', 'april', 'june', 'july', 'august', 'september', 'october', 'november', 'december', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

/**
 * Shorthands written out: "w/o" and "w/" as "without" and "with", "phone no." as "phone number", "email = empty" as
 * "email is empty", and a date with slashes or dots whose day cannot be its month ("25/09/2026", "9/25/2026",
 * "15.09.2026") as the date itself. A date that could be read either way ("3/4/2026") is left to be asked about.
 */
const spelledOut = (text: string) => text
  .replace(/\bw\/o\b/gi, 'without').replace(/\bw\/(?=\s)/gi, 'with ')
  .replace(/\b(phone|mobile|contact|cell) no\b\.?/gi, '$1 number')
  .replace(/\b(email|e-mail|phone|mobile|city|country|name)\s*(?:=|==)\s*(?:empty|blank|null|none|'')(?=\W|$)/gi, '$1 is empty')
  .replace(/\b(\d{1,2})[./](\d{1,2})[./](\d{4})\b/g, (whole, a: string, b: string, year: string) => {
    const [x, y] = [Number(a), Number(b)];
    const [day, month] = x > 12 && y <= 12 ? [x, y] : y > 12 && x <= 12 ? [y, x] : [0, 0];
    return day && day <= 31 ? `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}` : whole;
  });

/** Tokens, typos corrected where one known word is near enough, then grouped into items. */
export function readItems(text: string, grounding: Grounding): { items: Item[]; corrections: Correction[] } {
  // Quotation marks only mark out names ("Mumbai", "saree"); the names are read the same without them.
  const tokens = joinSplitWords(splitKnownParts(tokenize(spelledOut(text)).filter((t) => t.norm !== '"'), grounding), grounding);
  const corrections: Correction[] = [];
  for (const t of tokens) {
    if (t.type !== 'word' || /\d/.test(t.norm)) continue;
    const common = commonTypos[t.norm];
    if (common) {
      t.corrected = t.norm;
      t.norm = common;
      continue;
    }
    if (t.norm.length < 4 || known(t.norm, grounding)) continue;
    const limit = allowedEdits(t.norm);
    // A capitalised word inside a sentence is likely a name: it may be a misspelt place or product, not a CRM word.
    // So is a capitalised first word that heads the request ("Leeds: who …") or owns something ("Noida's top 10").
    const name = /^[A-Z]/.test(t.text) && (t.start > 0 || tokens[tokens.indexOf(t) + 1]?.norm === ':' || /'s$/i.test(t.text));
    // The nearest among the CRM's words, places, products, tags and mail providers; on a tie, in that order.
    const lexical = name ? correction(t.norm, calendarWords, limit) : correction(t.norm, correctable, limit, sameSense);
    // A letter changed into another makes a different name too easily ("printer" and "printed", "Pune" and "Pine"):
    // names are corrected over letters missing, added or swapped only.
    const place = correction(t.norm, grounding.placeWords, limit, undefined, 2);
    const product = correction(t.norm, grounding.productWords.keys(), limit, undefined, 2) ?? correction(singular(t.norm), grounding.productWords.keys(), 1, undefined, 2);
    const other = correction(t.norm, grounding.tags.keys(), limit) ?? correction(t.norm, grounding.domains.map((d) => d.split('.')[0]), limit);
    // The nearest among the CRM's words, places, products, tags and mail providers; on a tie, in that order — except
    // beside a product's word ("cake tnis"), where the product's words come first.
    const previousWord = tokens[tokens.indexOf(t) - 1]?.norm ?? '';
    const inProduct = grounding.isProductWord(previousWord) && !lexicon.has(previousWord);
    const candidates = (inProduct ? [product, lexical, place, other] : [lexical, place, product, other]).filter((c): c is { to: string; distance: number } => !!c);
    const fixed = candidates.sort((a, b) => a.distance - b.distance)[0]?.to;
    if (fixed) {
      corrections.push({ from: t.text, to: /^[A-Z]/.test(t.text) ? fixed.replace(/\b[a-z]/g, (c) => c.toUpperCase()) : fixed });
      t.corrected = t.norm;
      t.norm = fixed;
    }
  }
  const items: Item[] = [];
  for (let i = 0; i < tokens.length;) {
    const previous = items.at(-1)?.words;
    // "Neither A nor B": "nor" joins with the negation carried ("and not").
    if (tokens[i].norm === 'nor') {
      items.push({ tokens: [tokens[i]], words: 'and', senses: lexicon.get('and')!.find((e) => e.words.length === 1)!.senses });
      items.push({ tokens: [tokens[i]], words: 'not', senses: lexicon.get('not')!.find((e) => e.words.length === 1)!.senses });
      i++;
      continue;
    }
    // "w/" and "w/o", as people write "with" and "without".
    if (tokens[i].norm === 'w' && tokens[i + 1]?.norm === '/') {
      const without = tokens[i + 2]?.norm === 'o';
      const n = without ? 3 : 2;
      items.push({ tokens: tokens.slice(i, i + n), words: without ? 'w/o' : 'w/', senses: lexicon.get(without ? 'without' : 'with')!.find((e) => e.words.length === 1)!.senses });
      i += n;
      continue;
    }
    const phrase = longestPhrase(tokens, i);
    const place = longestPlace(tokens, i, grounding, previous);
    const peopleNext = lexicon.get(tokens[i + (place?.length ?? 0)]?.norm ?? '')?.some((e) => e.senses.some((s) => s.kind === 'people'));
    if (place && (!phrase || place.length > phrase.length || place.length >= phrase.length && (previous !== undefined && placeBefore.has(previous) || peopleNext))) {
      items.push({ tokens: tokens.slice(i, i + place.length), words: place.words, senses: [], place: place.place });
      i += place.length;
      continue;
    }
    const demonym = [2, 1].map((n) => ({ n, p: grounding.demonyms.get(tokens.slice(i, i + n).map((t) => t.norm).join(' ')) })).find((x) => x.p && i + x.n <= tokens.length);
    if (demonym?.p && (!phrase || demonym.n >= phrase.length)) {
      items.push({ tokens: tokens.slice(i, i + demonym.n), words: tokens.slice(i, i + demonym.n).map((t) => t.norm).join(' '), senses: phrase?.length === demonym.n ? phrase.senses : [], demonym: demonym.p });
      i += demonym.n;
      continue;
    }
    if (phrase && !(tokens[i].type === 'number')) {
      items.push({ tokens: tokens.slice(i, i + phrase.length), words: phrase.words, senses: phrase.senses });
      i += phrase.length;
      continue;
    }
    items.push({ tokens: [tokens[i]], words: tokens[i].norm, senses: [], token: tokens[i] });
    i += 1;
  }
  return { items, corrections };
}

function longestPhrase(tokens: Token[], i: number) {
  const candidates = lexicon.get(tokens[i].norm);
  if (!candidates) return null;
  for (const c of candidates) {
    if (i + c.words.length > tokens.length) continue;
    if (c.words.every((w, k) => tokens[i + k].norm === w)) {
      // "subscribed or not" ends a clause; "… or not placed an order …" is "or" then "not".
      if (c.words.join(' ') === 'or not' && tokens[i + 2] && !['.', ',', ';', '?', '!', ')', '—', '–'].includes(tokens[i + 2].norm)) continue;
      // "and less than 10" is "and" then "less than": a phrase ending in "less" or "more" does not swallow "than"'s word.
      if (c.words.length > 1 && /^(more|less|fewer|greater|higher|lower|over|under)$/.test(c.words.at(-1)!) && tokens[i + c.words.length]?.norm === 'than') continue;
      // "may" is a month only beside a day or a year, after a word of time, or ending a range of months.
      const monthBefore = /^(jan|feb|mar|apr|jun|jul|aug|sep|oct|nov|dec)/.test(tokens[i - 2]?.norm ?? '') && ['and', 'to', 'through', 'till', 'until', '-'].includes(tokens[i - 1]?.norm ?? '');
      if (c.words.length === 1 && c.words[0] === 'may' && !(monthBefore || /^\d/.test(tokens[i + 1]?.norm ?? '') || /^\d/.test(tokens[i - 1]?.norm ?? '') || ['in', 'since', 'before', 'after', 'during', 'of'].includes(tokens[i - 1]?.norm))) continue;
      return { length: c.words.length, words: c.words.join(' '), senses: c.senses };
    }
  }
  return null;
}

function longestPlace(tokens: Token[], i: number, grounding: Grounding, previous: string | undefined) {
  for (let n = Math.min(grounding.longestPlace, tokens.length - i); n >= 1; n--) {
    const words = tokens.slice(i, i + n).map((t) => t.norm);
    if (words.some((w, k) => tokens[i + k].type === 'sign' && w !== '.')) continue;
    const place = grounding.place(words);
    if (!place) continue;
    // "US customers": a short alias right before a word for people is the place too.
    const people = lexicon.get(tokens[i + n]?.norm ?? '')?.some((e) => e.senses.some((s) => s.kind === 'people'));
    if (n === 1 && ambiguousPlaces.has(words[0]) && !(previous && placeBefore.has(previous)) && !people) continue;
    return { length: n, words: words.join(' '), place };
  }
  return null;
}

/** "newsletter-tagged", "kurta-buyers": a hyphenated word the data does not know, split where each part is known. */
function splitKnownParts(tokens: Token[], grounding: Grounding): Token[] {
  return tokens.flatMap((t) => {
    if (t.type !== 'word' || !t.norm.includes('-') || known(t.norm, grounding) || lexicon.has(t.norm)) return [t];
    const parts = t.norm.split('-');
    if (!parts.every((p) => known(p, grounding))) return [t];
    let at = t.start;
    return parts.map((p) => {
      const part = { ...t, text: t.text.slice(at - t.start, at - t.start + p.length), norm: p, start: at, end: at + p.length };
      at += p.length + 1;
      return part;
    });
  });
}

/** An item as a product's description spells it: a size keeps its unit ("5l", "250g"). */
export const productWord = (item: Item) => (item.token?.type === 'number' ? item.token.text.toLowerCase() : item.words);

/** "smart watch", "ear buds": two words the catalogue writes as one ("smartwatch", "earbuds"). */
function joinSplitWords(tokens: Token[], grounding: Grounding): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const next = tokens[i + 1];
    const joined = next && tokens[i].type === 'word' && next.type === 'word' ? tokens[i].norm + next.norm : '';
    if (joined && !grounding.isProductWord(tokens[i].norm) && grounding.isProductWord(joined)) {
      out.push({ ...tokens[i], text: `${tokens[i].text} ${next.text}`, norm: joined, end: next.end });
      i++;
      continue;
    }
    out.push(tokens[i]);
  }
  return out;
}

/** A word for buying or ordering ("bought", "ordered"), after which a product may be named. */
export const isBuyingWord = (item: Item | undefined) => !!item?.senses.some((s) => s.kind === 'head' && (s.head === 'buy' || s.head === 'order'));

/** A word for the people who buy something ("kurta buyers", "tea lovers"), before which a product may be named. */
export const isBuyerWord = (item: Item | undefined) => has(item, 'people') && /^(buyers?|purchasers?|shoppers?|lovers?|fans?|owners?)$/.test(item!.words);
