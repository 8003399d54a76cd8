import { has, isBuyerWord, isFiller, productWord, sense, type Item } from './items.js';
import { nextDay } from '../../crm/time/time-zone.js';
import { readLabel } from './labels.js';
import type { Head, Op } from './lexicon.js';
import { dayBefore, periodDays, type Period } from './quantities.js';
import type { RuleJson } from './rule-json.js';
import type { Found, Value } from './values.js';
import { f, not, suggest, words, type Carry, type ClauseReading, type ParseContext } from './conditions.js';
import { articles, productBefore, readProduct } from './product-words.js';
import { readSelfContained } from './named-conditions.js';

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
  if (v.prep === 'until') return f(field, 'before', nextDay(spanEnd(v)));
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
    // "Never got campaign 23": getting a campaign is receiving it, not buying.
    const next = ['the', 'our'].includes(items[i + 1]?.words ?? '') ? items[i + 2] : items[i + 1];
    if (sense(items[i], 'flag')?.flag === 'received' && has(next, 'campaign')) continue;
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
    // "Bought neither earbuds nor a smartwatch": the negation sits after the verb.
    if ((head === 'buy' || head === 'order') && items[i + 1]?.words === 'neither' && at.neg < 0) at.neg = i + 1;
    if (head === 'buy' || head === 'order') {
      let product = readProduct(items, at.neg === i + 1 ? i + 2 : i + 1, end, ctx.grounding, inValue);
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
    if (items[i].used || !isBuyerWord(items[i])) continue;
    for (let from = Math.max(start, i - 6); from < i; from++) {
      const run = items.slice(from, i);
      const long = run.length >= 2;
      if (run.some((x) => x.used && x.token?.type !== 'number' || x.place || x.demonym || ctx.grounding.absentDemonyms.has(x.words) || has(x, 'label') && !long || has(x, 'join') && !x.inName || has(x, 'neg') && run.length < 3 || x.token?.type === 'sign' || inValue(items.indexOf(x)))) continue;
      // "The 30 shoppers with …": a number already read (a ranking's size) does not start a product's name.
      if (run[0].rankSize || run.every((x) => x.token?.type === 'number')) continue;
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
    // A bare number that reads as a year ("2025"), or a small number with nothing to say what it counts ("the LOVE
    // one"), is not a figure of anything: left unread, it is asked about.
    else if (v.value.kind === 'quantity' && !v.value.q.money && !v.value.unit && !v.value.op && !v.value.upper && (/^(19|20)\d\d$/.test(String(v.value.q.value)) || v.value.q.value < 100)) continue;
    else if (!heads.length && v.value.kind !== 'quantity' || !heads.length && v.value.kind === 'quantity' && (v.value.unit || !v.value.q.money && v.value.q.value < 100)) {
      // No word says what the figure is about: an order, for counts and times ("2+ orders in September").
      if (carry?.head === 'buy' && carry.product && v.value.kind !== 'quantity') {
        heads.push({ i: v.from, head: 'buy', product: { ...carry.product, from: v.from, to: v.from }, values: [v], neg: negatedAt(v.from) });
        out.refinesCarry = true;
      }
      // "Joined in November 2025 or November 2024": the second date is of the same kind as the first.
      else if (carry && ['joined', 'first', 'last'].includes(carry.head) && v.value.kind !== 'quantity') heads.push({ i: v.from, head: carry.head, values: [v], neg: negatedAt(v.from) });
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
        if (time.prep === 'since' || time.prep === 'after') return { rule: f('last_order_date', 'before', time.prep === 'after' ? nextDay(spanEnd(time)) : time.span.first), negatable: false };
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
  if (v.prep === 'after') return { from: nextDay(spanEnd(v)) };
  if (v.prep === 'since' && !v.until) return { from: v.span.first };
  if (!v.until && v.span.last === today) return { from: v.span.first };
  return { from: v.span.first, to: spanEnd(v) };
};

