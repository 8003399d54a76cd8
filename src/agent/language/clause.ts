import type { Grounding } from './grounding.js';
import { has, isFiller, productWord, sense, type Item } from './items.js';
import { readLabel } from './labels.js';
import type { Head, Op } from './lexicon.js';
import { dayBefore, periodDays, type Period } from './quantities.js';
import type { RuleJson } from './rule-json.js';
import type { Found, Value } from './values.js';
import { placeFollows } from './place-list.js';
import type { Vocabulary } from './vocabulary.js';

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

const f = (field: string, op: string, value?: unknown): RuleJson => (value === undefined ? { field, op } : { field, op, value });
const not = (rule: RuleJson): RuleJson => ({ not: rule });
const words = (items: Item[]) => items.map((i) => i.tokens.map((t) => t.text).join(' ')).join(' ');
// How the sentence writer and careful writers introduce a product's words: "a product described as "lantern"".
const describedAs = new Set(['product', 'products', 'item', 'items', 'described as', 'described', 'as', 'called', 'named', 'a product described as', '"']);
const articles = new Set(['a', 'an', 'the', 'some', 'any', 'our', 'their', 'of', 'one', 'both', 'either', 'these', 'those']);

/** A period as the rule language counts it (years are twelve months). */
const rulePeriod = (p: Period) => (p.unit === 'years' ? { amount: p.amount * 12, unit: 'months' } : { amount: p.amount, unit: p.unit });
/** "Haven't ordered in 90 days": days count on the days-since figure, weeks as 7 days, months on the calendar. */
const silence = (p: Period): RuleJson => (p.unit === 'days' || p.unit === 'weeks' ? f('days_since_last_order', 'gte', p.unit === 'weeks' ? p.amount * 7 : p.amount) : f('last_order_date', 'more_than_ago', rulePeriod(p)));
const spanEnd = (v: Extract<Value, { kind: 'span' }>) => (v.until ?? v.span).last;

/** A date field (last order, first order, joined) compared with a period or a span, as the words say. */
function dated(field: string, v: Value, today: string): RuleJson | null {
  if (v.kind === 'period') {
    const before = v.ago || v.op === 'gt' || v.op === 'gte' || v.prep === 'for' || v.prep === 'before';
    if (field === 'last_order_date' && before) return silence(v.p);
    return f(field, before ? 'more_than_ago' : 'within_last', rulePeriod(v.p));
  }
  if (v.kind !== 'span') return null;
  if (v.prep === 'before') return f(field, 'before', v.span.first);
  if (v.prep === 'until') return f(field, 'before', nextDayOf(spanEnd(v)));
  if (v.prep === 'after') return f(field, 'after', spanEnd(v));
  if (v.prep === 'since') return v.until ? f(field, 'between', [v.span.first, v.until.last]) : f(field, 'after', dayBefore(v.span.first));
  // "This year", "this month": from its first day to today, which is "after the day before".
  if (!v.until && v.span.last === today) return f(field, 'after', dayBefore(v.span.first));
  return v.span.first === spanEnd(v) && !v.until ? f(field, 'between', [v.span.first, v.span.first]) : f(field, 'between', [v.span.first, spanEnd(v)]);
}

function compare(field: string, v: Extract<Value, { kind: 'quantity' }>, bare: Op, copula = false): RuleJson {
  if (copula && !v.op && !v.upper) return f(field, 'eq', v.q.value);
  if (v.upper) return f(field, 'between', [Math.min(v.q.value, v.upper.value), Math.max(v.q.value, v.upper.value)]);
  return f(field, v.op ?? bare, v.q.value);
}

const count = (v: Value): { n: number; op?: Op; upper?: number } | null => (v.kind === 'times' ? { n: v.n, op: v.op } : v.kind === 'quantity' && !v.q.money ? { n: v.q.value, op: v.op, upper: v.upper?.value } : null);

/** Which values a kind of condition can take. */
function fits(head: Head, v: Value): boolean {
  switch (head) {
    case 'spend':
    case 'aov': return v.kind === 'quantity' && !v.unit;
    case 'count':
    case 'days': return v.kind === 'quantity' && !v.q.money;
    case 'sku': return false;
    case 'order':
    case 'buy': return v.kind === 'times' || v.kind === 'period' || v.kind === 'span' || v.kind === 'quantity' && (v.unit || !v.q.money && !!v.op);
    case 'quiet':
    case 'last':
    case 'first':
    case 'joined': return v.kind === 'period' || v.kind === 'span';
    case 'failed': return v.kind === 'period';
  }
}

export function readClause(items: Item[], start: number, end: number, values: Found[], ctx: ParseContext, carry?: Carry): ClauseReading {
  const out: ClauseReading = { conditions: [], asks: [], definitions: [] };
  const here = values.filter((v) => v.from >= start && v.to <= end);
  const inValue = (i: number) => here.some((v) => i >= v.from && i < v.to);
  const use = (from: number, to: number) => { for (let i = from; i < to; i++) items[i].used = true; };
  const add = (rule: RuleJson, from: number, to: number, extra: Item[] = []) => {
    out.conditions.push({ rule, words: words([...items.slice(from, to), ...extra]), at: Math.min(from, ...extra.map((e) => items.indexOf(e))) });
    use(from, to);
    for (const e of extra) e.used = true;
  };
  // Heads, and the product a buying word names.
  type HeadAt = { i: number; head: Head; product?: { value: string; from: number; to: number; sku?: boolean }; values: Found[]; neg: number; implicit?: boolean; carriedNegation?: boolean };
  const negatedAt = (i: number) => {
    let before = -1;
    for (let k = i - 1; k >= start && before < 0; k--) {
      if (has(items[k], 'neg') && !items[k].used) before = k;
      else if (has(items[k], 'head') || items[k].place || has(items[k], 'label')) break;
    }
    // "… is not 3": the negation after the words for the figure.
    const copula = ['is', 'are', 'was', 'were'].includes(items[i + 1]?.words ?? '');
    const next = copula ? i + 2 : i + 1;
    // Straight after the words, only before the figure itself ("spend != 500"), not before another condition.
    const after = has(items[next], 'neg') && items[next].words !== 'no' && next < end && (copula || items[next + 1]?.token?.type === 'number' || has(items[next + 1], 'currency')) ? next : -1;
    if (before >= 0 && after >= 0) {
      // "Not … is not 3": the two cancel out.
      items[before].used = true;
      items[after].used = true;
      return -1;
    }
    return before >= 0 ? before : after;
  };
  const heads: HeadAt[] = [];
  for (let i = start; i < end; i++) {
    if (inValue(i) || items[i].used) continue;
    const h = items[i].senses.filter((s) => s.kind === 'head').map((s) => (s as { head: Head }).head);
    if (sense(items[i], 'flag')?.flag === 'bounced') h.push('failed');
    // "no orders in 90 days", "customers with orders": the word for orders stands for ordering.
    if (!h.length && has(items[i], 'unit') && ['orders', 'purchases', 'order', 'visits', 'transactions'].includes(items[i].words)) h.push('order');
    if (!h.length) continue;
    const head = h.includes('buy') ? 'buy' : h[0];
    const at: HeadAt = { i, head, values: [], neg: negatedAt(i) };
    if (head === 'sku') {
      // "Bought product 85123A", "SKU KUR-001": a product code, as written.
      const code = items[i + 1];
      if (code?.token && /\d/.test(code.token.text) && !inValue(i + 1)) {
        heads.push({ ...at, head: 'buy', product: { value: code.token.text.toUpperCase(), from: i + 1, to: i + 2, sku: true } });
        code.used = true;
      }
      continue;
    }
    if (head === 'buy' || head === 'order') {
      let product = readProduct(items, i + 1, end, ctx.grounding, inValue);
      // "Kurta sets bought in October": the product may come before the word for buying.
      if (!(product && 'value' in product) && head === 'buy') product = productBefore(items, start, i, ctx.grounding, inValue) ?? product;
      if (product && 'value' in product) {
        at.head = 'buy';
        at.product = product;
        use(product.from, product.to);
      } else if (product && 'unknown' in product && head === 'buy') {
        out.asks.push({ words: product.unknown, question: `No product in the catalogue is described as "${product.unknown}".${suggest(ctx.grounding.nearestProducts(product.unknown))}` });
        use(product.from, product.to);
        items[i].used = true;
        continue;
      } else if (head === 'buy') at.head = 'order';
    }
    heads.push(at);
  }
  // "Kurta buyers", "paper chain kit buyers from the last 3 months": a product named before a word for its buyers.
  for (let i = start; i < end; i++) {
    if (items[i].used || !has(items[i], 'people') || !/^(buyers?|purchasers?|shoppers?|lovers?|fans?|owners?)$/.test(items[i].words)) continue;
    for (let from = Math.max(start, i - 6); from < i; from++) {
      const run = items.slice(from, i);
      const long = run.length >= 2;
      if (run.some((x) => x.used && x.token?.type !== 'number' || x.place || x.demonym || ctx.grounding.absentDemonyms.has(x.words) || has(x, 'label') && !long || has(x, 'join') && !x.inName || has(x, 'neg') && run.length < 3 || x.token?.type === 'sign' || inValue(items.indexOf(x)))) continue;
      // "Cheerful shoppers": a lone describing word is not a product, whatever a description holds.
      if (!long && /(ful|ous|ish|less|able|ive|ic|al|ly)$/.test(run[0].words)) continue;
      if (has(run[0], 'filler') && !ctx.grounding.isProductWord(run[0].words)) continue;
      const match = ctx.grounding.productMatches(run.map(productWord).join(' '));
      if (match.count > 0) {
        heads.push({ i, head: 'buy', product: { value: match.value, from, to: i }, values: [], neg: negatedAt(from) });
        break;
      }
    }
  }
  // A clause that leaves its kind out ("… or kurtas", "but never a pressure cooker") takes the previous clause's.
  if (!heads.length && carry?.head === 'buy') {
    let k = start;
    while (k < end && (has(items[k], 'neg') || articles.has(items[k].words))) k++;
    const product = readProduct(items, k, end, ctx.grounding, inValue);
    if (product && 'value' in product) {
      const own = negatedAt(product.from);
      // The negation of "never bought sarees or kurtas" covers the kurtas too.
      if (own < 0 && carry.negated) out.neither = true;
      out.carriedProduct = own < 0;
      heads.push({ i: product.from, head: 'buy', product, values: [], neg: own, carriedNegation: own < 0 && !!carry.negated });
    }
  }
  // Each figure goes to the nearest kind of condition that can take it, before it if possible.
  for (const v of here) {
    let best: HeadAt | undefined;
    let bestDistance = Infinity;
    for (const h of heads) {
      const distance = h.i < v.from ? v.from - h.i : (h.i - v.to) + 1.5;
      if (distance < bestDistance && fits(h.head, v.value)) {
        best = h;
        bestDistance = distance;
      }
    }
    // "Spent over 10k in the last 6 months": total spend counts every order ever, so the period cannot apply to it.
    const spendBefore = heads.filter((h) => (h.head === 'spend' || h.head === 'aov') && h.i < v.from).at(-1);
    if ((v.value.kind === 'period' || v.value.kind === 'span') && spendBefore && (!best || best.i < spendBefore.i)) {
      out.asks.push({ words: words(items.slice(v.from, v.to)), question: `Total spend and average order value count every order ever, so I cannot limit them to "${words(items.slice(v.from, v.to))}". Should I count customers who spent that much in all, and ordered in that time?` });
      use(v.from, v.to);
      continue;
    }
    if (best) best.values.push(v);
    // A bare number that reads as a year ("2025") is not an amount: left unread, it is asked about.
    else if (v.value.kind === 'quantity' && !v.value.q.money && !v.value.unit && !v.value.op && /^(19|20)\d\d$/.test(String(v.value.q.value))) continue;
    else if (!heads.length && v.value.kind !== 'quantity' || !heads.length && v.value.kind === 'quantity' && (v.value.unit || !v.value.q.money && v.value.q.value < 100)) {
      // No word says what the figure is about: an order, for counts and times ("2+ orders in September").
      if (carry?.head === 'buy' && carry.product && v.value.kind !== 'quantity') {
        heads.push({ i: v.from, head: 'buy', product: { ...carry.product, from: v.from, to: v.from }, values: [v], neg: negatedAt(v.from) });
        out.refinesCarry = true;
      }
      else heads.push({ i: v.from, head: implicitHead(v.value), values: [v], neg: negatedAt(v.from), implicit: true });
    } else if (carry?.head === 'buy' && carry.product && v.value.kind !== 'quantity' && !heads.some((h) => h.head !== 'buy')) {
      heads.push({ i: v.from, head: 'buy', product: { ...carry.product, from: v.from, to: v.from }, values: [v], neg: negatedAt(v.from) });
    } else heads.push({ i: v.from, head: implicitHead(v.value), values: [v], neg: -1 });
  }
  const fallbacks: { h: HeadAt; rule: RuleJson; definition?: string }[] = [];
  // "Alarm clocks in the last 30 days": no word for buying, but a product named beside the time.
  if (heads.length && heads.every((h) => h.implicit && h.head === 'order')) {
    const run = items.slice(start, end).map((x, k) => ({ x, k: start + k })).filter(({ x, k }) => !x.used && !inValue(k) && x.token?.type === 'word' && (!x.senses.length || ctx.grounding.isProductWord(x.words)) && !has(x, 'people') && !isFiller(x));
    if (run.length && run.at(-1)!.k - run[0].k === run.length - 1) {
      const match = ctx.grounding.productMatches(run.map(({ x }) => productWord(x)).join(' '));
      if (match.count > 0) Object.assign(heads[0], { head: 'buy', product: { value: match.value, from: run[0].k, to: run[0].k + run.length } });
    }
  }
  // "Gone 5 months without ordering": the negated ordering only repeats the silence beside it.
  if (heads.some((h) => h.head === 'quiet' && h.values.length)) {
    for (const h of heads.filter((x) => x.head === 'order' && x.neg >= 0 && !x.values.length)) {
      items[h.i].used = true;
      items[h.neg].used = true;
      heads.splice(heads.indexOf(h), 1);
    }
  }
  // "Minimum spend of 30k", "max order value 2,000": a comparison said before the figure's name.
  for (const h of heads) {
    const before = items[h.i - 1];
    const c = before && !before.used && !inValue(h.i - 1) ? before.senses.find((x) => x.kind === 'cmp' && !x.after) as { op: Op } | undefined : undefined;
    const v = h.values.find((x) => x.value.kind === 'quantity' && !x.value.op && !x.value.upper);
    if (c && v) {
      (v.value as { op?: Op }).op = c.op;
      before.used = true;
    }
  }
  for (const h of heads) {
    const reading = headCondition(h, items, ctx);
    const spanItems = (found: Found[]) => found.flatMap((v) => items.slice(v.from, v.to));
    if ('ask' in reading) {
      out.asks.push({ words: words([items[h.i], ...spanItems(h.values)]), question: reading.ask });
      items[h.i].used = true;
      for (const v of h.values) use(v.from, v.to);
      continue;
    }
    if (!reading.rule) continue;
    if (reading.fallback) {
      fallbacks.push({ h, rule: h.neg >= 0 ? not(reading.rule) : reading.rule, definition: reading.definition });
      continue;
    }
    const extra = [...spanItems(h.values), ...(h.product ? items.slice(h.product.from, h.product.to) : []), ...(h.neg >= 0 ? [items[h.neg]] : [])];
    const negated = (h.neg >= 0 || !!h.carriedNegation) && reading.negatable;
    add(negated ? not(reading.rule) : reading.rule, h.i, h.i + 1, extra);
    if (reading.definition) out.definitions.push(reading.definition);
    out.carry = { head: h.head, product: h.product, negated };
  }
  readSelfContained(items, start, end, ctx, out, add, negatedAt);
  // A clause that is only a product's name ("handloom dupattas", "charlotte bags") asks for its buyers.
  if (!out.conditions.length && !out.asks.length && !heads.length) {
    const run = items.slice(start, end).filter((x) => !x.used && !isFiller(x) && x.token?.type !== 'sign');
    const first = run.length ? items.indexOf(run[0]) : -1;
    if (run.length >= 2 && run.every((x) => !x.senses.length || ctx.grounding.isProductWord(x.words)) && items.indexOf(run.at(-1)!) - first === run.length - 1) {
      const match = ctx.grounding.productMatches(run.map(productWord).join(' '));
      if (match.count > 0) {
        add({ bought: { contains: match.value } }, first, first + run.length);
        out.carry = { head: 'buy', product: { value: match.value } };
      }
    }
  }
  // "Customers who have ordered" alone means at least one order; beside other conditions ("who got campaign 3",
  // "who ordered more than once") the verb only carries them.
  for (const { h, rule, definition } of fallbacks) {
    if (!out.conditions.length && !out.asks.length) {
      add(rule, h.i, h.i + 1, h.neg >= 0 ? [items[h.neg]] : []);
      if (definition) out.definitions.push(definition);
    } else items[h.i].used = true;
  }
  // In the order they were said, so the rule reads like the request (and its form lists them so).
  out.conditions.sort((a, b) => (a.at ?? 0) - (b.at ?? 0));
  return out;
}

function implicitHead(v: Value): Head {
  if (v.kind === 'quantity') return v.q.money || (!v.unit && v.q.value >= 100) ? 'spend' : 'order';
  return 'order';
}

function suggestCountries(ctx: ParseContext) {
  const countries = ctx.vocabulary.countries.slice(0, 6);
  return countries.length ? ` The countries with the most customers: ${countries.join(', ')}.` : '';
}

function suggest(names: string[]) {
  return names.length ? ` Did you mean ${names.map((n) => `"${n}"`).join(', ')}?` : '';
}

type HeadReading = { rule: RuleJson | null; negatable: boolean; definition?: string; fallback?: boolean } | { ask: string };

function headCondition(h: { i: number; head: Head; product?: { value: string; sku?: boolean }; values: Found[]; neg: number }, items: Item[], ctx: ParseContext): HeadReading {
  const vals = h.values.map((v) => v.value);
  // "Total spend is ₹500", "is not ₹500": after "is", a bare figure is that figure exactly.
  const at = h.values.find((v) => v.value.kind === 'quantity')?.from ?? -1;
  const before = has(items[at - 1], 'neg') ? items[at - 2] : items[at - 1];
  const copula = at > 0 && ['is', 'was', 'are', 'were', '=', 'equals', 'of exactly'].includes(before?.words ?? '');
  const quantity = vals.find((v): v is Extract<Value, { kind: 'quantity' }> => v.kind === 'quantity');
  const time = vals.find((v) => v.kind === 'period' || v.kind === 'span');
  const times = vals.map(count).find(Boolean);
  const negated = h.neg >= 0;
  switch (h.head) {
    case 'spend':
      return quantity ? { rule: compare('total_spend', quantity, 'gte', copula), negatable: true } : { rule: null, negatable: false };
    case 'aov':
      return quantity ? { rule: compare('average_order_value', quantity, 'gte', copula), negatable: true } : { rule: null, negatable: false };
    case 'count':
      return quantity ? { rule: compare('order_count', quantity, 'eq', copula), negatable: true } : { rule: null, negatable: false };
    case 'days':
      return quantity ? { rule: compare('days_since_last_order', quantity, 'gte', copula), negatable: true } : { rule: null, negatable: false };
    case 'failed':
      return { rule: { deliveryFailed: time?.kind === 'period' ? { withinDays: periodDays(time.p) } : {} }, negatable: true };
    case 'sku':
      return { rule: null, negatable: false };
    case 'quiet': {
      if (time?.kind === 'period') return { rule: silence(time.p), negatable: true };
      if (time?.kind === 'span') return { rule: f('last_order_date', 'before', time.span.first), negatable: true };
      const label = readLabel('lapsed', items[h.i].words, ctx.vocabulary, ctx.currency);
      return { rule: label!.rules, negatable: true, definition: label!.definition };
    }
    case 'last':
    case 'first':
    case 'joined': {
      const field = h.head === 'last' ? 'last_order_date' : h.head === 'first' ? 'first_order_date' : 'created_at';
      if (!time) return { rule: null, negatable: false };
      return { rule: dated(field, time, ctx.today), negatable: true };
    }
    case 'buy': {
      if (!h.product) return { ask: 'Which product? Name it as the catalogue describes it.' };
      const bought: Record<string, unknown> = h.product.sku ? { sku: h.product.value } : { contains: h.product.value };
      if (times) {
        if (times.op === 'lt' || times.op === 'lte' || (times.op === 'eq' && times.n > 1)) return { ask: `I can count customers who bought "${h.product.value}" at least a number of times, not at most or exactly. Should I take "at least ${times.n}"?` };
        const n = times.op === 'gt' ? times.n + 1 : times.n;
        if (n > 1) bought.atLeast = n;
      }
      if (time?.kind === 'period') bought.withinDays = periodDays(time.p);
      if (time?.kind === 'span') Object.assign(bought, spanBounds(time, ctx.today));
      // A rule's "contains" finds the words inside longer ones too ("pen" in "pendant"): say so when it does.
      const inside = h.product.sku ? [] : ctx.grounding.containing(h.product.value);
      const whole = h.product.sku ? 0 : ctx.grounding.productMatches(h.product.value).count;
      const definition = inside.length > whole
        ? `"${h.product.value}": this finds every product whose description contains it — ${inside.length} products, among them ${inside.filter((d) => !new RegExp(`\\b${h.product!.value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`).test(d)).slice(0, 2).map((d) => `"${d}"`).join(' and ')}`
        : undefined;
      return { rule: { bought }, negatable: true, definition };
    }
    case 'order': {
      // "Zero orders in 7 months": a count of none in a time is silence.
      if (times && times.n === 0 && !times.upper && (!times.op || times.op === 'eq') && time) {
        if (time.kind === 'period') return { rule: silence(time.p), negatable: false };
        if (time.prep === 'since' || time.prep === 'after') return { rule: f('last_order_date', 'before', time.prep === 'after' ? nextDayOf(spanEnd(time)) : time.span.first), negatable: false };
        return { rule: { not: { ordered: spanBounds(time, ctx.today) } }, negatable: false };
      }
      // "Not placed an order on or after 1 March" (the sentence writer's words) is the plain negation; "haven't
      // ordered since 1 March" means ordered before it.
      const literal = /^placed\b/.test(items[h.i].words) && items[h.neg]?.words === 'not';
      if (negated && !literal && !(times && time)) {
        if (time?.kind === 'period') return { rule: silence(time.p), negatable: false };
        // "No longer buying", "stopped ordering": they used to, and have not for a while.
        if (!time && !times && /^(no longer|stopped)$/.test(items[h.neg].words)) {
          const label = readLabel('lapsed', `${items[h.neg].words} ${items[h.i].words}`, ctx.vocabulary, ctx.currency)!;
          return { rule: label.rules, negatable: false, definition: label.definition };
        }
        if (time?.kind === 'span' && (time.prep === 'since' || time.prep === 'after')) return { rule: f('last_order_date', 'before', time.prep === 'after' ? dayBefore(spanEnd(time)) : time.span.first), negatable: false };
        if (time?.kind === 'span') return { rule: { ordered: spanBounds(time, ctx.today) }, negatable: true };
        if (times) return { rule: orderCount(times), negatable: true };
        return { rule: f('order_count', 'eq', 0), negatable: false };
      }
      if (times && time) {
        if (times.op === 'lt' || times.op === 'lte' || times.op === 'eq' && times.n > 1) return { ask: `I can count customers with at least a number of orders in a time, not at most or exactly. Should I take "at least ${times.n}"?` };
        const atLeast = times.op === 'gt' ? times.n + 1 : times.n;
        const when = time.kind === 'period' ? { withinDays: periodDays(time.p) } : spanBounds(time, ctx.today);
        return { rule: { ordered: { ...when, ...(atLeast > 1 ? { atLeast } : {}) } }, negatable: true };
      }
      if (times) return { rule: orderCount(times), negatable: true };
      if (time?.kind === 'period') return { rule: dated('last_order_date', time, ctx.today), negatable: true };
      if (time?.kind === 'span') {
        if (time.prep === 'since' && !time.until || time.prep === 'after' || spanEnd(time) === ctx.today && !time.until) return { rule: dated('last_order_date', time.prep ? time : { ...time, prep: 'since' }, ctx.today), negatable: true };
        if (time.prep === 'before') return { rule: f('first_order_date', 'before', time.span.first), negatable: true };
        return { rule: { ordered: spanBounds(time, ctx.today) }, negatable: true };
      }
      // "Customers who are active": the stated definition of active customers.
      if (/^(active|engaged|transacting)$/.test(items[h.i].words)) {
        const label = readLabel('active', items[h.i].words, ctx.vocabulary, ctx.currency)!;
        return { rule: label.rules, negatable: true, definition: label.definition, fallback: true };
      }
      // "Customers who have ordered", "with orders": at least one — unless the clause says more (see readClause).
      return { rule: f('order_count', 'gte', 1), negatable: true, fallback: true };
    }
  }
}

const orderCount = (c: { n: number; op?: Op; upper?: number }) => (c.upper !== undefined ? f('order_count', 'between', [Math.min(c.n, c.upper), Math.max(c.n, c.upper)]) : f('order_count', c.op ?? 'eq', c.n));
const spanBounds = (v: Extract<Value, { kind: 'span' }>, today: string) => {
  if (v.prep === 'before') return { to: dayBefore(v.span.first) };
  if (v.prep === 'until') return { to: spanEnd(v) };
  if (v.prep === 'after') return { from: nextDayOf(spanEnd(v)) };
  if (v.prep === 'since' && !v.until) return { from: v.span.first };
  if (!v.until && v.span.last === today) return { from: v.span.first };
  return { from: v.span.first, to: spanEnd(v) };
};
const nextDayOf = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** The longest run of words just before items[at] that the catalogue holds ("kurta sets bought …"). */
function productBefore(items: Item[], start: number, at: number, grounding: Grounding, inValue: (i: number) => boolean) {
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
function readProduct(items: Item[], from: number, end: number, grounding: Grounding, inValue: (i: number) => boolean):
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

/** Conditions that carry their own meaning: places, labels, consent, campaigns, tags, domains, missing contacts. */
function readSelfContained(items: Item[], start: number, end: number, ctx: ParseContext, out: ClauseReading,
  add: (rule: RuleJson, from: number, to: number, extra?: Item[]) => void, negatedAt: (i: number) => number) {
  for (let i = start; i < end; i++) {
    const item = items[i];
    if (item.used) continue;
    // Places, with the places listed after them ("Mumbai, Pune or Delhi").
    if (item.place || item.demonym && demonymUsed(items, i, end)) {
      const places = [item.place ?? item.demonym!];
      let k = i + 1;
      while (k + 1 < end && ['or', 'and', ',', '/', 'and/or', '&'].includes(items[k].words) && placeFollows(items, k + 1) && placeFollows(items, k + 1) < end
        && !places.some((p) => p.value === (items[placeFollows(items, k + 1)].place ?? items[placeFollows(items, k + 1)].demonym)!.value)) {
        k = placeFollows(items, k + 1);
        places.push(items[k].place ?? items[k].demonym!);
        k++;
      }
      const rule = placeRule(places);
      const before = items[i - 1]?.words === 'the' ? i - 2 : i - 1;
      const outside = has(items[before], 'outside') ? before : items[before]?.words === 'in' && has(items[before - 1], 'neg') ? before - 1 : -1;
      const neg = outside >= 0 ? outside : negatedAt(i);
      add(neg >= 0 ? not(rule) : rule, i, k, neg >= 0 ? [items[neg]] : []);
      i = k - 1;
      continue;
    }
    if (item.group) {
      // "country NOT IN ('United Kingdom','Germany')"
      const neg2 = has(items[i - 1], 'outside') ? i - 1 : negatedAt(i);
      add(neg2 >= 0 ? not(item.group) : item.group, i, i + 1, neg2 >= 0 ? [items[neg2]] : []);
      continue;
    }
    // "No email but a phone number": a contact named on its own in its clause is one the customer has.
    const contact = sense(item, 'textfield')?.field ?? (['email', 'email address'].includes(item.words) ? 'email' : undefined);
    if ((contact === 'phone' || contact === 'email') && !out.conditions.length && !sense(items[i + 1], 'textop') && !has(items[i + 1], 'presence')
      && items.slice(start, end).every((x) => x === item || x.used || isFiller(x) || has(x, 'neg') || sense(x, 'flag')?.flag === 'email_users' || ['a', 'an', 'with', 'has', 'have', 'w/'].includes(x.words))) {
      const neg2 = negatedAt(i);
      add(f(contact, neg2 >= 0 ? 'is_empty' : 'is_set'), i, i + 1, neg2 >= 0 ? [items[neg2]] : []);
      continue;
    }
    // "Phone is empty", "city is set".
    const presence = sense(item, 'presence');
    if (presence) {
      const fieldItem = items[i - 1];
      const field = sense(fieldItem, 'textfield')?.field ?? ({ city: 'city', country: 'country', email: 'email', emails: 'email', phone: 'phone', name: 'name', tags: 'tags' } as Record<string, string>)[fieldItem?.words ?? ''];
      if (field) {
        const neg2 = negatedAt(i - 1);
        const set = presence.set !== neg2 >= 0;
        add(f(field, set ? 'is_set' : 'is_empty'), i - 1, i + 1, neg2 >= 0 ? [items[neg2]] : []);
        continue;
      }
    }
    const absent = ctx.grounding.absentDemonyms.get(item.words);
    if (absent && !item.place) {
      out.asks.push({ words: item.words, question: `There are no customers in ${absent} in the data.${suggestCountries(ctx)}` });
      item.used = true;
      continue;
    }
    const label = sense(item, 'label');
    if (label) {
      const reading = readLabel(label.label, item.tokens.map((t) => t.text).join(' '), ctx.vocabulary, ctx.currency);
      if (reading) {
        const neg = negatedAt(i);
        add(neg >= 0 ? not(reading.rules) : reading.rules, i, i + 1, neg >= 0 ? [items[neg]] : []);
        if (reading.definition) out.definitions.push(reading.definition);
      }
      continue;
    }
    const flag = sense(item, 'flag');
    const neg = negatedAt(i);
    const withNeg = (rule: RuleJson) => (neg >= 0 ? not(rule) : rule);
    const negItems = neg >= 0 ? [items[neg]] : [];
    if (flag?.flag === 'subscribed') { add(f('unsubscribed', 'is', neg >= 0), i, i + 1, negItems); continue; }
    if (flag?.flag === 'unsubscribed') { add(f('unsubscribed', 'is', neg < 0), i, i + 1, negItems); continue; }
    if (flag?.flag === 'no_email' || flag?.flag === 'no_phone') { add(f(flag.flag === 'no_email' ? 'email' : 'phone', 'is_empty'), i, i + 1); continue; }
    if (flag?.flag === 'has_email' || flag?.flag === 'has_phone') { add(f(flag.flag === 'has_email' ? 'email' : 'phone', neg >= 0 ? 'is_empty' : 'is_set'), i, i + 1, negItems); continue; }
    // "received campaign 12", "didn't get campaign #12"
    const skipThe = ['the', 'our'].includes(items[i + 1]?.words ?? '') ? 1 : 0;
    const campaignAt = has(items[i], 'campaign') ? i : (flag?.flag === 'received' || has(item, 'head')) && has(items[i + 1 + skipThe], 'campaign') ? i + 1 + skipThe : -1;
    if (campaignAt >= 0) {
      let k = campaignAt + 1;
      if (items[k]?.words === '#') k++;
      const id = items[k]?.token?.type === 'number' ? items[k].token!.value! : undefined;
      if (id !== undefined && Number.isInteger(id)) {
        add(withNeg({ received: { campaign: id } }), i, k + 1, negItems);
        i = k;
        continue;
      }
    }
    // "Whose name contains Khan", "email starts with priya", "phone numbers starting with +971".
    const textField = sense(item, 'textfield')?.field ?? (['email', 'email address', 'emails', 'email id'].includes(item.words) ? 'email' : undefined);
    const textOp = sense(items[i + 1], 'textop');
    if (textField && textOp) {
      let k = i + 2;
      const taken: Item[] = [];
      while (k < end && !(has(items[k], 'join') && items[k].token?.type !== 'sign') && !(items[k].token?.type === 'sign' && !['+', '-', '@', '_'].includes(items[k].words))) taken.push(items[k++]);
      if (taken.length) {
        const value = taken.map((x, n) => (n > 0 && x.tokens[0].start === taken[n - 1].tokens.at(-1)!.end ? '' : ' ') + x.tokens.map((t) => t.text).join(' ')).join('').trim();
        add(withNeg(f(textField, textOp.op, value)), i, k, negItems);
        i = k - 1;
        continue;
      }
    }
    // Tags: "tagged wholesale", "tagged loyalty or newsletter", "with the loyalty tag", "tag = app-user", "the wholesale
    // and festive-shopper tags", or a tag alone in its clause ("… but not loyalty", "Segment: Mumbai | loyalty").
    const alone = (k: number) => items.slice(start, end).every((x, n) => start + n === k || x.used || isFiller(x) || x.token?.type === 'sign' || has(x, 'neg'));
    const tagAt = (k: number) => !!items[k] && ctx.grounding.tags.has(items[k].words) && !items[k].used;
    let first = -1;
    if (flag?.flag === 'tag') {
      let k = i + 1;
      while (['=', ':', 'is', 'are', 'as'].includes(items[k]?.words ?? '')) k++;
      if (tagAt(k)) first = k;
      else {
        // The list before "tags": walk back over "and", "or", commas.
        let b = i - 1;
        while (tagAt(b) && (b - 1 < start || !['and', 'or', ',', '&'].includes(items[b - 1]?.words ?? '') || !tagAt(b - 2))) break;
        while (tagAt(b - 2) && ['and', 'or', ',', '&'].includes(items[b - 1]?.words ?? '')) b -= 2;
        if (tagAt(b)) first = b;
      }
    } else if (tagAt(i) && (has(items[i + 1], 'people') || items[i + 1]?.words === 'members' || items[i - 1]?.words === 'in' || alone(i))) first = i;
    if (first >= 0) {
      const list = listOf(items, first, end, (x) => (x.used ? undefined : ctx.grounding.tags.get(x.words)));
      const values = list.values as string[];
      const rule = values.length === 1 ? f('tags', 'contains', values[0]) : list.join === 'or' ? f('tags', 'in', values) : { all: values.map((v) => f('tags', 'contains', v)) };
      const from = Math.min(first, i);
      let to = Math.max(list.to, i + 1);
      if (sense(items[to], 'flag')?.flag === 'tag' || has(items[to], 'people')) to++;
      const tagNeg = negatedAt(from);
      add(tagNeg >= 0 ? not(rule) : rule, from, to, tagNeg >= 0 ? [items[tagNeg]] : []);
      i = to - 1;
      continue;
    }
    // Email domains: "gmail users", "@gmail.com or @tcs.com", "gmail or outlook.com users".
    if (item.token?.type === 'domain' && !ctx.grounding.domains.includes(item.words) && !item.used) {
      out.asks.push({ words: item.words, question: ctx.grounding.domains.length ? `No customer has an email address at ${item.words}.${suggest(ctx.grounding.domains.slice(0, 3))}` : `This data holds no email addresses, so I cannot look for ${item.words}.` });
      item.used = true;
      continue;
    }
    const domainOf = (x: Item) => (x.token?.type === 'domain' ? x.words : ctx.grounding.domain(x.words.replace(/^@/, '')));
    const domain = domainOf(item);
    if (domain) {
      const list = listOf(items, i, end, (x) => (x.words === '@' ? undefined : domainOf(x)), true);
      const after = items[list.to];
      const marked = item.token?.type === 'domain' || ['@', 'on', 'using', 'use'].includes(items[i - 1]?.words ?? '') || sense(after, 'flag')?.flag === 'email_users' || has(after, 'people')
        || items.slice(start, end).every((x) => x === item || x.used || isFiller(x) || x.token?.type === 'sign');
      if (marked) {
        const values = list.values as string[];
        const to = sense(after, 'flag')?.flag === 'email_users' || has(after, 'people') ? list.to + 1 : list.to;
        add(withNeg(values.length === 1 ? f('email_domain', 'equals', values[0]) : f('email_domain', 'in', values)), i, to, negItems);
        i = to - 1;
        continue;
      }
    }
  }
}

/** A country's adjective stands for the country before a word for people, also at the head of a list of them. */
function demonymUsed(items: Item[], i: number, end: number) {
  // "Canadians", "Brits": the plural names the people themselves.
  if (/[^s]s$/.test(items[i].words)) return true;
  let k = i + 1;
  while (k + 1 < end && ['or', 'and', ',', '/'].includes(items[k].words) && items[k + 1].demonym) k += 2;
  return has(items[k], 'people') || ['are', 'is'].includes(items[i - 1]?.words ?? '');
}

/**
 * A list of names of one kind starting at items[from]: "loyalty or newsletter", "@infosys.com or @tcs.com". Returns
 * the values, how they were joined, and where the list ends.
 */
function listOf(items: Item[], from: number, end: number, name: (x: Item) => string | undefined, skipAt = false) {
  const values = [name(items[from])];
  let join: 'and' | 'or' = 'or';
  let k = from + 1;
  for (;;) {
    let next = k;
    if (!['or', 'and', ',', '/', 'and/or'].includes(items[next]?.words ?? '')) break;
    const joinWord = items[next].words;
    next++;
    if (skipAt && items[next]?.words === '@') next++;
    const value = next < end ? name(items[next]) : undefined;
    if (!value) break;
    if (joinWord === 'and') join = 'and';
    values.push(value);
    k = next + 1;
  }
  return { values, join, to: k };
}

function placeRule(listed: { field: 'city' | 'country'; value: string; city?: string }[]): RuleJson {
  // Among cities, a name that is a city and a country (Singapore) is the city.
  const places = listed.some((p) => p.field === 'city') ? listed.map((p) => (p.city ? { field: 'city' as const, value: p.city } : p)) : listed;
  const byField = (field: 'city' | 'country') => [...new Set(places.filter((p) => p.field === field).map((p) => p.value))];
  const parts = (['city', 'country'] as const).map((field) => ({ field, values: byField(field) })).filter((p) => p.values.length)
    .map((p) => (p.values.length === 1 ? f(p.field, 'equals', p.values[0]) : f(p.field, 'in', p.values)));
  return parts.length === 1 ? parts[0] : { any: parts };
}

// Kinds of words that only connect or qualify: left over, they change nothing a person meant.
const functionKinds = new Set(['filler', 'people', 'join', 'prep', 'recent', 'currency', 'edge', 'scale', 'everyone', 'textfield']);
const ignorable = (i: Item) => i.words === 'a' || i.words === 'an' || i.words === '=' || i.senses.some((s) => s.kind === 'people' || s.kind === 'filler' || s.kind === 'flag' && s.flag === 'email_users')
  || i.senses.length > 0 && i.senses.every((s) => functionKinds.has(s.kind));

/** Items no condition took that still carry meaning: what the parser must ask about rather than ignore. */
export function leftover(items: Item[]): Item[] {
  // "Only" and "just" add nothing where no figure took them ("but only in Bengaluru").
  return items.filter((i) => !i.used && !(i.token?.type === 'sign') && !isFiller(i) && !ignorable(i) && !['only', 'just'].includes(i.words) || !i.used && has(i, 'neg') && !has(i, 'filler'));
}
