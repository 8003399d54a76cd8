import { readClause } from './clause.js';
import { suggest, type Ask, type Carry, type Condition, type ParseContext } from './conditions.js';
import { leftover } from './leftover.js';
import { listedAfterColon } from './listed-after-colon.js';
import { readRank, type Ranking } from './rank-reader.js';
import { has, isBuyerWord, isBuyingWord, isFiller, productWord, readItems, sense, type Correction, type Item } from './items.js';
import type { Join } from './lexicon.js';
import { readLabel } from './labels.js';
import type { RuleJson } from './rule-json.js';
import { findValues } from './values.js';
import { placeFollows } from './place-list.js';


/** What a request says about customers, with everything needed to answer honestly. */
export interface AudienceParse {
  rules: RuleJson | null;
  /** The request is about every customer ("how many customers do we have?"). */
  everyone: boolean;
  /** "Top 10 customers by spend": a ranking, with `rules` narrowing who is ranked. */
  rank?: Ranking;
  conditions: Condition[];
  corrections: Correction[];
  /** The stated meaning of each descriptive word used ("VIPs: I took the top 10% …"). */
  definitions: string[];
  /** Questions the parser asks instead of guessing. */
  asks: Ask[];
  /** Words that are neither a condition nor known filler. */
  unknown: string[];
  /** The request speaks of customers ("Abu Dhabi custs"): unknown capitalised words then name a group, not a person. */
  mentionsPeople?: boolean;
}

const boundary = new Set([',', '.', ';', '—', '–', '-', ':', '!', '?', 'then', 'now', 'and then', 'also', 'please', 'pls', 'kindly', '&', 'and', 'so', 'plus', '(', ')']);
const channelWords = new Set(['email', 'e-mail', 'mail', 'sms', 'text', 'message', 'whatsapp', 'newsletter', 'note', 'reminder', 'thank-you', 'coupon', 'voucher', 'discount', 'offer', 'promo', 'update', 'greeting', 'greetings', 'invite', 'invitation', 'announcement', 'nudge']);
const imperative = new Set(['email', 'text', 'sms', 'message', 'mail', 'whatsapp', 'ping', 'notify', 'send', 'target', 'reach', 'contact', 'offer']);

/** Parses the audience part of a request: conditions grounded in the data, their logic, and what to ask. */
export function parseAudience(text: string, ctx: ParseContext): AudienceParse {
  const { items: all, corrections } = readItems(listedAfterColon(text), ctx.grounding);
  const result = parseItems(audiencePart(all), ctx);
  result.corrections = corrections;
  return result;
}

/**
 * Brackets group: "not (total spend is over ₹10,000 or number of orders is at least 5)", as the sentence writer puts
 * them. Each innermost group is read on its own and stands in its place as one condition.
 */
function groupBrackets(items: Item[], ctx: ParseContext, result: AudienceParse): Item[] {
  for (;;) {
    const close = items.findIndex((x) => x.words === ')');
    if (close < 0) return items;
    const open = items.slice(0, close).map((x) => x.words).lastIndexOf('(');
    if (open < 0) return items.filter((_, k) => k !== close);
    const buying = items[open - 1]?.senses.some((s) => s.kind === 'head' && s.head === 'buy');
    const inner = parseItems(items.slice(open + 1, close), ctx, buying ? { head: 'buy' } : undefined);
    if (buying && inner.rules) items[open - 1].used = true;
    result.asks.push(...inner.asks);
    result.unknown.push(...inner.unknown);
    result.definitions.push(...inner.definitions);
    const tokens = items.slice(open, close + 1).flatMap((x) => x.tokens);
    const group: Item = { tokens, words: items.slice(open, close + 1).map((x) => x.words).join(' '), senses: [], group: inner.rules ?? undefined, used: !inner.rules };
    items = [...items.slice(0, open), group, ...items.slice(close + 1)];
  }
}

function parseItems(given: Item[], ctx: ParseContext, startCarry?: Carry): AudienceParse {
  const result: AudienceParse = { rules: null, everyone: false, conditions: [], corrections: [], definitions: [], asks: [], unknown: [] };
  const items = groupBrackets(cancelDoubleNegation(given), ctx, result);
  result.rank = readRank(items);
  if (result.rank?.notCustomers) {
    result.asks.push({ words: result.rank.notCustomers, question: `I can rank customers (by total spend, number of orders, average order value or last order), not ${result.rank.notCustomers}. The overview shows the best-selling figures.` });
    result.rank = undefined;
  }
  if (result.rank?.unclear) {
    result.asks.push({ words: result.rank.unclear, question: `I can rank customers by total spend, number of orders, average order value or their last order; which is "${result.rank.unclear}"?` });
    result.rank = undefined;
  }
  const top = readTopPercent(items, ctx);
  if (top) {
    result.rank = undefined;
    result.conditions.push(top.condition);
    result.definitions.push(top.definition);
  }
  claimTextValues(items);
  claimProductNames(items, ctx);
  const values = findValues(items, ctx.today);
  const inValue = (i: number) => values.some((v) => i >= v.from && i < v.to);

  // Clauses: split at joins ("and", "or", "except", "who", ","…) that are not inside a figure or a list of places.
  const clauses: Clause[] = [];
  let start = 0;
  let join: Join = 'and';
  let joinWord = '';
  let afterComma = false;
  for (let i = 0; i <= items.length; i++) {
    const item = items[i];
    const splits = i === items.length || (!inValue(i) && !item.used && isJoin(items, i, ctx));
    if (!splits) continue;
    if (i > start || i === items.length) {
      clauses.push({ start, end: i, join, joinWord, restrict: ['only', 'just'].includes(items[start]?.words ?? '') && clauses.length > 0, afterComma });
      join = 'and';
      joinWord = '';
      afterComma = false;
    }
    if (i < items.length) {
      const j = sense(item, 'join')?.join ?? 'and';
      // Joins in a row (", or who …", "but not") keep the strongest: an exception, then "or", then "and".
      join = join === 'except' || j === 'except' ? 'except' : join === 'or' || j === 'or' && !(clauses.length === 0 && i === 0) ? 'or' : 'and';
      // A comma before "who" or "or" is only a pause: the word after it says how the clauses join.
      joinWord = joinWord && joinWord !== ',' ? joinWord : item.words;
      afterComma ||= item.words === ',';
      item.used = true;
    }
    start = i + 1;
  }

  // "A, B or C": in a list, the commas join as its last word does.
  for (let k = 0; k < clauses.length; k++) {
    if (clauses[k].joinWord !== ',' || items[clauses[k].start]?.words === 'either') continue;
    const last = clauses.slice(k + 1).find((c) => c.joinWord !== ',');
    if (last?.join === 'or' && last.joinWord === 'or') clauses[k].join = 'or';
  }
  let carry: Carry | undefined = startCarry;
  for (const clause of clauses) {
    const reading = readClause(items, clause.start, clause.end, values, ctx, carry);
    carry = reading.carry ?? carry;
    result.asks.push(...reading.asks);
    result.definitions.push(...reading.definitions);
    result.conditions.push(...reading.conditions);
    clause.conditions = reading.conditions;
    if (reading.neither && clause.join === 'or') clause.join = 'and';
    const previous = clauses[clauses.indexOf(clause) - 1];
    // "Didn't get campaign 31 or campaign 32": the negation covers the second of the same kind (neither).
    const before = previous?.conditions?.at(-1)?.rule as { not?: Record<string, unknown> } | undefined;
    // Only for things named in lists (campaigns, products); a place or a figure after "or" is its own description.
    const kindOf = (r: Record<string, unknown> | undefined) => (r && ('received' in r || 'bought' in r) ? Object.keys(r).join() : null);
    const carriedKind = kindOf(before?.not);
    const ownVerb = items.slice(clause.start, clause.end).some((x) => has(x, 'head') || has(x, 'flag'));
    if (clause.join === 'or' && !ownVerb && carriedKind && reading.conditions.length === 1 && kindOf(reading.conditions[0].rule) === carriedKind) {
      reading.conditions[0] = { ...reading.conditions[0], rule: { not: reading.conditions[0].rule } };
      clause.conditions = reading.conditions;
      clause.join = 'and';
    }
    // "Bought a yoga mat or running shoes": the products are one choice, bound to their buying word.
    if (reading.carriedProduct && !reading.neither && clause.join === 'or' && previous?.conditions?.length && reading.conditions.length >= 1) {
      const last = previous.conditions.at(-1)!;
      const product = reading.conditions.find((c) => 'bought' in c.rule) ?? reading.conditions[0];
      // "Bought earrings or a necklace in the last 60 days": the time said once, at the end, is the choice's.
      const lastRule = withTimeOf(last.rule, product.rule);
      previous.conditions[previous.conditions.length - 1] = { ...last, rule: { any: [lastRule, product.rule] }, words: `${last.words} or ${product.words}` };
      // What else the clause says ("… or rice in Indore") describes the customers of both.
      clause.conditions = reading.conditions.filter((c) => c !== product);
      clause.join = 'and';
    }
    // "Steel tiffin box buyers, last 3 months": the time belongs to the product just named.
    if (reading.refinesCarry && clause.join === 'and' && [',', ''].includes(clause.joinWord) && previous?.conditions?.length && reading.conditions.length === 1) {
      const at = previous.conditions.findLastIndex((c) => !!(c.rule as { bought?: unknown }).bought);
      if (at >= 0) {
        previous.conditions[at] = { ...reading.conditions[0], words: `${previous.conditions[at].words}, ${reading.conditions[0].words}` };
        clause.conditions = [];
      }
    }
    // "Bought earbuds but not a smartwatch": "but not" before another product takes it out of that clause only.
    if (clause.join === 'except' && /^(but not|and not)$/.test(clause.joinWord) && reading.carriedProduct) {
      clause.conditions = clause.conditions.map((c) => ({ ...c, rule: { not: c.rule } }));
      clause.join = 'and';
    }
    clause.either = items[clause.start]?.words === 'either' || items[clause.start - 1]?.words === 'either';
    clause.namesPeople = has(items[clause.end - 1], 'people') && clause.end - 1 > clause.start;
    // A new subject: "those who …", or a place or nationality with its own word for people ("Delhi customers with …"),
    // not a description of the same customers ("loyal shoppers").
    const words = items.slice(clause.start, clause.end);
    const peopleAt = words.findIndex((x) => has(x, 'people'));
    clause.newSubject = words.some((x) => ['those', 'ones', 'anyone', 'anybody', 'everyone', 'the ones'].includes(x.words))
      || peopleAt > 0 && ['any', 'all', 'every', 'each'].includes(words[peopleAt - 1].words)
      || peopleAt >= 0 && words.some((x, k) => k !== peopleAt && (x.place || x.demonym || x.token?.type === 'domain' || ctx.grounding.domain(x.words) || ctx.grounding.tags.has(x.words) || has(x, 'label') && k < peopleAt));
  }
  // "All customers, subscribed or not", "whether or not they've ordered": a condition said either way is none.
  const eitherWay = items.findIndex((x) => x.words === 'or not' || x.words === 'whether or not');
  if (eitherWay >= 0) for (const clause of clauses) if (clause.start <= eitherWay + 1 && clause.end >= eitherWay - 1 || items[eitherWay].words === 'whether or not' && clause.start > eitherWay) clause.conditions = [];
  const parts = [...(top ? [top.condition.rule] : []), ...combine(clauses)];
  result.rules = parts.length === 0 ? null : parts.length === 1 ? parts[0] : { all: parts };

  for (const item of leftover(items)) {
    const previous = items[items.indexOf(item) - 1];
    const listed = ['or', 'and', ','].includes(previous?.words ?? '') && !!items[items.indexOf(item) - 2]?.place;
    if ((['in', 'from', 'at', 'based', 'near'].includes(previous?.words ?? '') || listed) && item.token?.type === 'word' && !item.senses.length) {
      result.asks.push({ words: item.words, question: `There is no city or country "${item.tokens[0].text}" in the data.${suggest(ctx.grounding.nearestPlaces(item.words))}` });
      item.used = true;
      continue;
    }
    result.unknown.push(item.tokens.map((t) => t.text).join(' '));
  }
  result.mentionsPeople = items.some((i) => has(i, 'people') && !/^(customer|client)$/.test(i.words));
  result.everyone = !result.rules && !result.asks.length && !result.unknown.length && (items.some((i) => has(i, 'everyone')) || items.some((i) => has(i, 'people')));
  return result;
}

interface Clause {
  start: number; end: number; join: Join; joinWord: string; restrict: boolean; conditions?: Condition[]; newSubject?: boolean; either?: boolean; afterComma?: boolean;
  /** Ends in a word for people ("UK customers"): a "who" after it describes them, not everyone. */
  namesPeople?: boolean;
}

const both = (conditions: Condition[]) => (conditions.length === 1 ? conditions[0].rule : { all: conditions.map((c) => c.rule) });
// Words after which the rest describes the customers named before: "Pune customers who …", "Jaipur only: …".
const relative = new Set(['who', 'whose', 'that', 'which', 'with', 'having', 'where', ':']);
const wideJoins = new Set(['as long as', 'so long as', 'provided', 'provided that', 'providing', 'on condition that']);

/**
 * The logic of the clauses. "And" binds tighter than "or" ("A but B, or C" is (A and B) or C), except that what comes
 * before "who"/"with" is the subject the rest describes: "customers in Pune who spent 20k+ or ordered 5+ times" is
 * Pune and (20k+ or 5+ orders) — unless the "or" starts a new subject ("…, or those who went quiet"). "But only …"
 * narrows everything before it; "except …" takes out what follows it.
 */
function combine(clauses: Clause[]): RuleJson[] {
  // "A or B, and who live in Pune", "X except Y, as long as they are subscribed": after a comma, "and" ends the choice
  // or the exception before it, and "as long as" always applies to everything before it.
  const wideAt = clauses.findIndex((c, k) => k > 0 && c.join === 'and'
    && (wideJoins.has(c.joinWord) || c.afterComma && c.joinWord === 'and' && clauses.slice(0, k).some((p) => p.join === 'or' || p.join === 'except')));
  if (wideAt > 0) return [...combine(clauses.slice(0, wideAt)), ...combine([{ ...clauses[wideAt], joinWord: '' }, ...clauses.slice(wideAt + 1)])];
  const restrict = clauses.filter((c) => c.restrict && c.join !== 'except').flatMap((c) => c.conditions ?? []);
  const rest = clauses.filter((c) => !(c.restrict && c.join !== 'except'));
  const exceptAt = rest.findIndex((c) => c.join === 'except');
  const positive = exceptAt < 0 ? rest : rest.slice(0, exceptAt);
  const excepted = exceptAt < 0 ? [] : rest.slice(exceptAt);
  const out: RuleJson[] = [];
  const r = positive.findIndex((c, k) => k > 0 && relative.has(c.joinWord) && positive.slice(0, k).some((p) => p.conditions?.length) && !positive.slice(1, k).some((p) => p.join === 'or'));
  // "Either A … or B …" opening the request is a choice between whole descriptions.
  // After a colon ("Jaipur only: big spenders or loyal shoppers") everything describes the subject before it.
  const subjectBinds = r > 0 && !positive[0].either && positive.slice(r + 1).some((c) => c.join === 'or')
    && (positive[r].joinWord === ':' || !positive.slice(r + 1).some((c) => c.join === 'or' && c.newSubject));
  if (subjectBinds) {
    out.push(...positive.slice(0, r).flatMap((c) => c.conditions ?? []).map((c) => c.rule));
    out.push(...orOf(positive.slice(r)));
  } else out.push(...orOf(positive));
  out.push(...restrict.map((c) => c.rule));
  // Each "except" group leaves out customers matching all of it; an "or" inside starts another group. A clause
  // starting "who"/"with" after the exception describes the customers again ("in India except Delhi who spent …").
  // But "apart from UK customers who have fewer than 3 orders": a clause that names its people keeps its "who".
  const groups: Condition[][] = [];
  for (const [k, c] of excepted.entries()) {
    if (c.join !== 'except' && relative.has(c.joinWord) && groups.at(-1)?.length && !excepted[k - 1]?.namesPeople) {
      out.push(...(c.conditions ?? []).map((x) => x.rule));
      continue;
    }
    if (c.join === 'except' || c.join === 'or' || !groups.length) groups.push([]);
    groups.at(-1)!.push(...(c.conditions ?? []));
  }
  out.push(...groups.filter((g) => g.length).map((g) => ({ not: both(g) })));
  return out;
}

/**
 * Clauses joined by "and" within groups, the groups by "or" — except that "either" opens a choice of its own:
 * "haven't ordered in 45 days and either spent 25k+ or have 6+ orders" is the silence and (the spend or the orders).
 */
function orOf(clauses: Clause[]): RuleJson[] {
  const either = clauses.findIndex((c) => c.either && c.join !== 'or');
  if (either >= 0 && clauses.slice(either + 1).some((c) => c.join === 'or')) {
    // The choice ends at ", and …" after its "or": "either A or B, and C" is (A or B) and C.
    const firstOr = clauses.findIndex((c, k) => k > either && c.join === 'or');
    let end = clauses.findIndex((c, k) => k > firstOr && c.join === 'and' && c.afterComma);
    if (end < 0) end = clauses.length;
    const choice = orOf(clauses.slice(either, end).map((c, k) => (k === 0 ? { ...c, join: 'and' as const, either: false } : c)));
    const choiceRule = choice.length === 1 ? choice : [{ all: choice }];
    return [...orOf(clauses.slice(0, either)), ...choiceRule, ...orOf(clauses.slice(end).map((c, k) => (k === 0 ? { ...c, join: 'and' as const } : c)))];
  }
  const groups: Condition[][] = [[]];
  for (const c of clauses) {
    if (c.join === 'or' && groups.at(-1)!.length) groups.push([]);
    groups.at(-1)!.push(...(c.conditions ?? []));
  }
  const rules = groups.filter((g) => g.length).map(both);
  return rules.length > 1 ? [{ any: rules }] : rules;
}

/** A product condition (or a choice of them) given the time of another where it has none of its own. */
function withTimeOf(rule: RuleJson, timed: RuleJson): RuleJson {
  const time = (timed as { bought?: Record<string, unknown> }).bought;
  const when = time && Object.fromEntries(Object.entries(time).filter(([k]) => ['withinDays', 'from', 'to'].includes(k)));
  if (!when || !Object.keys(when).length) return rule;
  const r = rule as { bought?: Record<string, unknown>; any?: RuleJson[] };
  if (r.any) return { any: r.any.map((x) => withTimeOf(x, timed)) };
  if (!r.bought || ['withinDays', 'from', 'to'].some((k) => k in r.bought!)) return rule;
  return { bought: { ...r.bought, ...when } };
}

/** The words after "name contains", "phone starting with" are text to match, not figures or conditions. */
function claimTextValues(items: Item[]) {
  for (let i = 1; i < items.length; i++) {
    if (!has(items[i], 'textop')) continue;
    for (let k = i + 1; k < items.length && !(has(items[k], 'join') && items[k].token?.type !== 'sign') && !(items[k].token?.type === 'sign' && !['+', '-', '@', '_'].includes(items[k].words)); k++) items[k].used = true;
  }
}

/**
 * Product names that hold numbers or joining words ("regency cakestand 3 tier", "green regency teacup and saucer",
 * "cook with wine metal sign") belong together: the longest run after a buying word, or before a word for its buyers,
 * that the catalogue holds claims its numbers (not figures) and its joining words (not joins).
 */
function claimProductNames(items: Item[], ctx: ParseContext) {
  const opener = (x: Item) => !x.senses.length || ctx.grounding.isProductWord(x.words) && !x.senses.some((s) => ['prep', 'join', 'cmp', 'neg', 'recent', 'filler', 'people'].includes(s.kind));
  for (let k = 0; k < items.length; k++) {
    const afterBuying = isBuyingWord(items[k - 1]) || ['a', 'an', 'the', 'some', 'any'].includes(items[k - 1]?.words ?? '') && isBuyingWord(items[k - 2]);
    if (!opener(items[k]) && items[k].token?.type !== 'number') continue;
    for (let to = Math.min(items.length, k + 8); to > k + 1; to--) {
      const run = items.slice(k, to);
      if (!afterBuying && !isBuyerWord(items[to])) continue;
      const numeric = (x: Item) => x.token?.type === 'number' || has(x, 'number') && !['a', 'an'].includes(x.words);
      if (!run.some((x) => numeric(x) || has(x, 'join')) || run.some((x) => x.token?.type === 'sign' && x.words !== '-' || x.used)) continue;
      if (ctx.grounding.productMatches(run.map(productWord).join(' ')).count > 0) {
        for (const x of run) {
          if (numeric(x)) x.used = true;
          if (has(x, 'join')) x.inName = true;
        }
        k = to - 1;
        break;
      }
    }
  }
}

/** "Not not X" is X. */
function cancelDoubleNegation(items: Item[]): Item[] {
  const out: Item[] = [];
  for (let i = 0; i < items.length; i++) {
    if (items[i].words === 'not' && items[i + 1]?.words === 'not') {
      i++;
      continue;
    }
    out.push(items[i]);
  }
  return out;
}


function isJoin(items: Item[], i: number, ctx: ParseContext) {
  const item = items[i];
  if (item.inName) return false;
  // Lists of one kind of name are one condition: "@infosys.com or @tcs.com", "tagged loyalty or newsletter".
  if (['or', 'and', ',', '/', 'and/or'].includes(item.words)) {
    const after = items[i + 1]?.words === '@' ? items[i + 2] : items[i + 1];
    const kind = (x: Item | undefined) => (!x ? '' : x.token?.type === 'domain' || ctx.grounding.domain(x.words) && x.token?.type === 'word' && !x.senses.length ? 'domain' : ctx.grounding.tags.has(x.words) ? 'tag' : '');
    if (kind(items[i - 1]) && kind(items[i - 1]) === kind(after)) return false;
  }
  if (!has(item, 'join') && !(item.token?.type === 'sign' && ['.', ';', '—', '–', '(', ')', '!', '?', ':', '|'].includes(item.words))) return false;
  // "spend: 7,500–15,000", "tags: loyalty or app-user": a colon after the name of a figure introduces its value.
  if (item.words === ':' && (has(items[i - 1], 'head') || has(items[i - 1], 'unit') || has(items[i - 1], 'textfield') || has(items[i - 1], 'flag') || has(items[i - 1], 'filler'))) return false;
  // Lists of places are one condition ("Mumbai, Pune or Delhi").
  const sameOrChoice = (k: number) => {
    const a = items[i - 1]?.place ?? items[i - 1]?.demonym;
    const b = items[k]?.place ?? items[k]?.demonym;
    // "Not in Jaipur, or in Jaipur with …" and "either in Lucknow, or in Jaipur and …" are two descriptions, not a list.
    return a?.value === b?.value || item.words === ',' && items.slice(Math.max(0, i - 4), i).some((x) => x.words === 'either');
  };
  if (['or', 'and', ',', '/', 'and/or', '&'].includes(item.words) && (items[i - 1]?.place || items[i - 1]?.demonym) && placeFollows(items, i + 1) && !sameOrChoice(placeFollows(items, i + 1))) return false;
  if (item.words === ',' && items[i + 1]?.words === 'or' && items[i + 2]?.place && items[i - 1]?.place) return false;
  // "Chandigarh, Lucknow, and Jaipur": the list's last word after its comma.
  if (['and', 'or'].includes(item.words) && items[i - 1]?.words === ',' && (items[i - 2]?.place || items[i - 2]?.demonym) && placeFollows(items, i + 1)
    && (items[i - 2]?.place ?? items[i - 2]?.demonym)?.value !== (items[placeFollows(items, i + 1)]?.place ?? items[placeFollows(items, i + 1)]?.demonym)?.value
    && !items.slice(Math.max(0, i - 5), i).some((x) => x.words === 'either')) return false;
  // "Either … or": the "either" only announces the choice.
  if (item.words === 'either') return false;
  return true;
}

/**
 * The request without its campaign part: "… — send them a 10% win-back offer" ends the audience at the send, and
 * "Email customers in Pune who …" starts it after the verb.
 */
function audiencePart(items: Item[]): Item[] {
  const first = items.findIndex((i) => !['please', 'pls', 'kindly', 'can you', 'could you', 'now', 'also', 'then', 'and'].includes(i.words) && i.token?.type !== 'sign');
  if (first >= 0 && (has(items[first], 'campaign') || imperative.has(items[first].words)) && items[first + 1]?.token?.type !== 'number') {
    // Campaign first: the audience follows "to" or "for" when one introduces it ("send an email to customers in
    // Pune"), else it follows the verb itself ("email Pune customers", "text lapsed customers").
    const audienceLike = (x: Item | undefined) => !!x && (has(x, 'people') || has(x, 'everyone') || has(x, 'label') || !!x.place || !!x.demonym || ['anyone', 'those', 'all', 'everybody'].includes(x.words));
    let start = first + 1;
    for (let i = first + 1; i < items.length; i++) {
      if (!['to', 'for'].includes(items[i].words)) continue;
      let k = i + 1;
      while (['the', 'our', 'all', 'my'].includes(items[k]?.words ?? '')) k++;
      if (audienceLike(items[k])) {
        start = i + 1;
        break;
      }
    }
    for (let k = 0; k < start; k++) items[k].used = true;
    const audience = items.slice(start);
    // "Send customers in Delhi a weekly email with 10% off": the audience ends where the message is named.
    const message = audience.findIndex((x, k) => has(x, 'campaign') || x.words === 'about' || channelWords.has(x.words) || ['a', 'an', 'the', 'our'].includes(x.words) && audience.slice(k + 1, k + 4).some((y) => has(y, 'campaign') || channelWords.has(y.words)));
    const part = message >= 0 ? audience.slice(0, message) : audience;
    for (const x of audience.slice(part.length)) x.used = true;
    // "Send them an email saying …": nothing but "them" — the audience already in the conversation.
    return part.every((x) => ['them', 'those', 'these', 'they'].includes(x.words) || x.token?.type === 'sign') ? [] : part;
  }
  // "…; invite them to our summer party", "…, we're running a marathon offer for them": a part after a pause that
  // speaks of "them", or of what we will do, is what to do with the audience, not more of its description.
  const pauses = ['—', '–', ';', ',', '-', ':', '.'];
  for (let i = 1; i < items.length; i++) {
    if (!pauses.includes(items[i].words)) continue;
    const next = items.findIndex((x, k) => k > i && pauses.includes(x.words));
    const part = items.slice(i + 1, next < 0 ? items.length : next);
    const ours = /^(we|we'll|we're|we'd|we've|we will|we are|let's|lets|let us|i'll|i will)$/i.test(part[0]?.tokens.map((t) => t.text).join(' ') ?? '');
    const them = part.some((x, k) => x.words === 'them' && !['who', 'whose', 'that'].includes(part[k + 1]?.words ?? '') && part[k - 1]?.words !== 'of');
    if (ours || them) {
      for (const x of items.slice(i)) x.used = true;
      return items.slice(0, i);
    }
  }
  for (let i = 1; i < items.length; i++) {
    const starts = has(items[i], 'campaign') || imperative.has(items[i].words) && ['them', 'those', 'these', 'everyone', 'all', 'a', 'an', 'the'].includes(items[i + 1]?.words ?? '');
    if (!starts || items[i + 1]?.token?.type === 'number' || items[i + 1]?.words === '#') continue;
    let cut = i;
    while (cut > 0 && boundary.has(items[cut - 1].words)) cut--;
    // "… because we want to email them …", "… so we can text them …": the reason starts the campaign part.
    for (let k = i - 1; k >= Math.max(0, i - 6) && cut === i; k--) {
      if (['because', 'so', 'as', 'since', 'then'].includes(items[k].words)) cut = k;
      else if (!isFiller(items[k]) && !['want', 'can', 'to', 'would', 'like', 'need', 'will', 'shall', 'could'].includes(items[k].words)) break;
    }
    if (cut < i || i === items.length - 1 || boundary.has(items[i - 1]?.words)) return items.slice(0, cut);
  }
  return items;
}

/** "The top 5% of customers by spend", "top 10% spenders": a VIP group of that size. */
function readTopPercent(items: Item[], ctx: ParseContext): { condition: Condition; definition: string } | null {
  const at = items.findIndex((i, k) => has(i, 'rank') && items[k + 1]?.token?.suffix === '%');
  if (at < 0) return null;
  const percent = items[at + 1].token!.value!;
  const reading = readLabel('vip', `The top ${percent}%`, ctx.vocabulary, ctx.currency, percent);
  if (!reading) return null;
  let end = at + 2;
  while (end < items.length && (items[end].words === 'of' || items[end].words === 'by' || has(items[end], 'people') || sense(items[end], 'label')?.label === 'vip' || sense(items[end], 'head')?.head === 'spend')) end++;
  for (let k = at; k < end; k++) items[k].used = true;
  return { condition: { rule: reading.rules, words: items.slice(at, end).map((i) => i.words).join(' ') }, definition: reading.definition };
}
