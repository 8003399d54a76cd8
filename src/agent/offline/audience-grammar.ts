import { dayBefore, DATE, readDate } from './dates.js';
import { AMOUNT, COMPARISON, NUMBER, PERIOD, periodDays, readAmount, readComparison, readNumber, readPeriod } from './words.js';

/** A rule in the CRM rule language's JSON (docs/rules.md). */
export type RuleJson = Record<string, unknown>;

export interface AudienceReading {
  /** The rule the words describe, or null when no condition was recognised. */
  rules: RuleJson | null;
  /** Words that were neither a condition nor filler: the model asks about them instead of guessing. */
  unknown: string[];
}

interface Context { today: string }
interface Reader { pattern: string; read(g: string[], ctx: Context): RuleJson | null }

const field = (name: string, op: string, value?: unknown): RuleJson => (value === undefined ? { field: name, op } : { field: name, op, value });
const not = (rule: RuleJson): RuleJson => ({ not: rule });

// "haven't ordered in 90 days" in days reads the days-since field; weeks and months stay calendar periods.
const silentFor = (number: string, unit: string) => {
  const period = readPeriod(number, unit);
  return period.unit === 'days' ? field('days_since_last_order', 'gte', period.amount) : field('last_order_date', 'more_than_ago', period);
};
const moneyOp = (cmp: string | undefined, tail: string | undefined) => (cmp || tail ? readComparison(cmp, tail) : 'gte');
const TAIL = String.raw`(\s*(?:or more|or less|or fewer|or above|or over|or below|or under|and up|\+))?`;
const ORDERED = String.raw`(?:ordered|bought|purchased|shopped|visited|been back|come back|returned|placed an? orders?|made an? (?:order|purchase)|had an? orders?)`;
const LAST_ORDER = String.raw`(?:last (?:order(?:ed)?|purchased?|bought|visit(?:ed)?|shopped)(?:\s+(?:date|was|is|placed|made))*)`;
const FIRST_ORDER = String.raw`(?:first (?:order(?:ed)?|purchased?|bought|visit(?:ed)?|shopped)(?:\s+(?:date|was|is|placed|made))*|new customers?|first[- ]time (?:buyers?|customers?))`;
const JOINED = String.raw`(?:joined|signed up|registered|became (?:a )?customers?|customers? since|were acquired|acquired)`;
const NEGATED = String.raw`(?:haven'?t|have not|hasn'?t|has not|didn'?t|did not|don'?t|do not|not|no longer|never)`;
const RECENTLY = String.raw`(?:in|within|during|over)\s+(?:the\s+)?(?:last|past|previous)\s+`;
const DATE_WORD = String.raw`(before|after|since|prior to|earlier than|later than|between|in|during)`;
// Words that end a product or place name, so "bought lanterns in the last 90 days" keeps its period.
const STOP = String.raw`(?:in|within|during|over|for|from|the|last|past|and|or|but|who|whose|with|that|which|anything|something|again|recently|more|less|fewer|at|once|twice|before|after|since|between|ago|customers?|people|buyers?|users?|shoppers?|clients?|orders?|times|them|online|yet|ever|than|a|an|any|some|spent|spend|have|has|had|are|is|were|not|no|only|how|many|send|save|show|count|saying|says|message|messages|email|emails|sms|text|to|telling|offering|about|offer|campaign|who've|whose|then|so|please)`;
const PRODUCT = String.raw`(?:"([^"]+)"|'([^']+)'|((?!${STOP}\b)[a-z][a-z-]{2,}(?:\s+(?!${STOP}\b)[a-z][a-z-]{2,})?))`;
const PLACE = String.raw`(?!${STOP}\b)[a-z][a-z.'-]+(?:\s+(?!${STOP}\b)[a-z][a-z.'-]+){0,2}`;
const PLACES = String.raw`(${PLACE}(?:(?:\s*,\s*|\s*,?\s+or\s+|\s+and\s+|\s*/\s*)${PLACE})*)`;

const countries = new Set([
  'india', 'united kingdom', 'uk', 'united states', 'usa', 'us', 'france', 'germany', 'spain', 'italy', 'netherlands', 'belgium', 'switzerland',
  'portugal', 'australia', 'japan', 'singapore', 'norway', 'sweden', 'denmark', 'finland', 'austria', 'poland', 'ireland', 'eire', 'canada',
  'brazil', 'israel', 'greece', 'cyprus', 'iceland', 'malta', 'lebanon', 'bahrain', 'uae', 'united arab emirates', 'saudi arabia', 'czech republic',
  'lithuania', 'channel islands', 'south africa', 'sri lanka', 'nepal', 'bangladesh', 'pakistan', 'china', 'hong kong', 'mexico', 'new zealand',
]);
const countryNames: Record<string, string> = { uk: 'United Kingdom', usa: 'United States', us: 'United States', uae: 'United Arab Emirates', eire: 'EIRE' };
const titleCase = (s: string) => s.replace(/\b[a-z]/g, (c) => c.toUpperCase());

function places(text: string, negate: boolean): RuleJson {
  const names = text.split(/\s*,\s*or\s+|\s*,\s*|\s+or\s+|\s+and\s+|\s*\/\s*/).map((p) => p.trim()).filter(Boolean);
  const isCountry = names.every((n) => countries.has(n));
  const values = names.map((n) => (isCountry ? countryNames[n] ?? titleCase(n) : titleCase(n)));
  const rule = field(isCountry ? 'country' : 'city', values.length === 1 ? 'equals' : 'in', values.length === 1 ? values[0] : values);
  return negate ? not(rule) : rule;
}

function dated(name: string, word: string, first: string, second: string | undefined, ctx: Context): RuleJson | null {
  const a = readDate(first, ctx.today);
  const b = second ? readDate(second, ctx.today) : null;
  if (!a || (second && !b)) return null;
  const w = word.toLowerCase();
  if (w === 'between' && b) return field(name, 'between', [a.first, b.last]);
  if (w === 'in' || w === 'during') return field(name, 'between', [a.first, a.last]);
  if (w === 'since') return field(name, 'after', dayBefore(a.first));
  if (w === 'after' || w === 'later than') return field(name, 'after', a.last);
  return field(name, 'before', a.first);
}

const product = (g: string[]) => {
  const words = (g[0] ?? g[1] ?? g[2] ?? '').trim();
  // "lanterns" should find "LANTERN": descriptions are matched by containing text.
  return words.length > 4 && !g[0] && !g[1] ? words.replace(/(?<=[a-z]{3})(es|s)$/, (m) => (m === 'es' && /(ch|sh|x)es$/.test(words) ? '' : m === 'es' ? 'e' : '')) : words;
};

/**
 * The readers, most specific first: a later reader only sees text no earlier one claimed. Each pattern is matched
 * case-insensitively against the request with any quoted message removed.
 */
const readers: Reader[] = [
  // Behaviour first: "never bought candles" must not become "never ordered".
  { pattern: String.raw`${NEGATED}\s+(?:bought|buy|purchased|purchase|ordered|order)\s+(?:an?\s+|any\s+)?${PRODUCT}`,
    read: ([a, b, c]) => not({ bought: { contains: product([a, b, c]) } }) },
  { pattern: String.raw`(?:sku|product code|item code)\s+#?([a-z0-9-]+)`, read: ([sku]) => ({ bought: { sku: sku.toUpperCase() } }) },
  { pattern: String.raw`(?:bought|purchased|ordered)\s+(?:an?\s+|any\s+|some\s+|the\s+)?${PRODUCT}(?:\s+(?:at least\s+)?(${NUMBER}|twice|thrice)\s+times)?(?:\s+${RECENTLY}${PERIOD})?`,
    read: ([a, b, c, times, , n, unit]) => {
      const bought: Record<string, unknown> = { contains: product([a, b, c]) };
      if (times) bought.atLeast = times === 'twice' ? 2 : times === 'thrice' ? 3 : readNumber(times);
      if (n) bought.withinDays = periodDays(readPeriod(n, unit));
      return { bought };
    } },
  // Silence: "haven't ordered in 90 days", "went quiet for 3 months", "no orders in the last 6 weeks".
  { pattern: String.raw`${NEGATED}\s+${ORDERED}(?:\s+(?:anything|again|with us|from us))?\s+(?:in|for|within|during|over)\s+(?:the\s+)?(?:last\s+|past\s+)?(?:over\s+|more than\s+|at least\s+)?${PERIOD}`,
    read: ([n, unit]) => silentFor(n, unit) },
  { pattern: String.raw`(?:no|zero|0)\s+(?:orders?|purchases?|visits?)\s+(?:in|for|within|during|over)\s+(?:the\s+)?(?:last\s+|past\s+)?${PERIOD}`, read: ([n, unit]) => silentFor(n, unit) },
  { pattern: String.raw`(?:quiet|inactive|dormant|silent|lapsed|idle|away|absent|gone)\s+(?:for|in|over|since)\s+(?:the\s+)?(?:last\s+|past\s+)?(?:over\s+|more than\s+|at least\s+)?${PERIOD}(?:\s+or (?:more|longer))?`, read: ([n, unit]) => silentFor(n, unit) },
  { pattern: String.raw`${LAST_ORDER}\s+(?:more than\s+|over\s+|at least\s+)?${PERIOD}\s+ago`, read: ([n, unit]) => silentFor(n, unit) },
  { pattern: String.raw`${LAST_ORDER}\s+(?:less than|within(?: the last)?|under)\s+${PERIOD}(?:\s+ago)?`, read: ([n, unit]) => field('last_order_date', 'within_last', readPeriod(n, unit)) },
  // Absolute dates.
  { pattern: String.raw`(?:${LAST_ORDER}|(${NEGATED})\s+${ORDERED}(?:\s+anything)?)\s+${DATE_WORD}\s+${DATE}(?:\s+(?:and|to|-)\s+${DATE})?`,
    read: ([negated, word, a, b], ctx) => {
      if (!negated) return dated('last_order_date', word, a, b, ctx);
      // "haven't ordered since 1 March": the last order came before that day. Other negated dates are unclear.
      return /^(since|after)$/i.test(word) ? dated('last_order_date', 'before', a, b, ctx) : null;
    } },
  { pattern: String.raw`${FIRST_ORDER}\s+${DATE_WORD}\s+${DATE}(?:\s+(?:and|to|-)\s+${DATE})?`, read: ([word, a, b], ctx) => dated('first_order_date', word, a, b, ctx) },
  { pattern: String.raw`${JOINED}\s+${DATE_WORD}\s+${DATE}(?:\s+(?:and|to|-)\s+${DATE})?`, read: ([word, a, b], ctx) => dated('created_at', word, a, b, ctx) },
  { pattern: String.raw`${FIRST_ORDER}\s+${RECENTLY}${PERIOD}`, read: ([n, unit]) => field('first_order_date', 'within_last', readPeriod(n, unit)) },
  { pattern: String.raw`${JOINED}\s+${RECENTLY}${PERIOD}`, read: ([n, unit]) => field('created_at', 'within_last', readPeriod(n, unit)) },
  // Recent activity: "ordered in the last 30 days", "active in the past 2 weeks", "ordered recently".
  { pattern: String.raw`(?:${ORDERED}|active|shopping|buying|ordering)(?:\s+(?:something|anything|again|with us))?\s+${RECENTLY}${PERIOD}`, read: ([n, unit]) => field('last_order_date', 'within_last', readPeriod(n, unit)) },
  { pattern: String.raw`${RECENTLY}${PERIOD}`, read: ([n, unit]) => field('last_order_date', 'within_last', readPeriod(n, unit)) },
  // Money.
  { pattern: String.raw`(?:average order(?: value| size)?|aov|average basket(?: size| value)?|average spend per order|avg\.? order(?: value)?|spend per order)\s+(?:is\s+|was\s+|of\s+)?between\s+${AMOUNT}\s+(?:and|to|-)\s+${AMOUNT}`,
    read: ([a, s, b, t]) => field('average_order_value', 'between', [readAmount(a, s), readAmount(b, t)]) },
  { pattern: String.raw`(?:average order(?: value| size)?|aov|average basket(?: size| value)?|average spend per order|avg\.? order(?: value)?|spend per order)\s+(?:is\s+|was\s+|of\s+)?${COMPARISON}\s*${AMOUNT}${TAIL}`,
    read: ([cmp, n, s, tail]) => field('average_order_value', moneyOp(cmp, tail), readAmount(n, s)) },
  { pattern: String.raw`(?:spent|spend(?:s|ing|ers?)?|total spend(?:ing)?|lifetime (?:value|spend)|ltv|worth|revenue)\s+(?:is\s+|was\s+|of\s+|a total of\s+|in total\s+)?between\s+${AMOUNT}\s+(?:and|to|-)\s+${AMOUNT}`,
    read: ([a, s, b, t]) => field('total_spend', 'between', [readAmount(a, s), readAmount(b, t)]) },
  { pattern: String.raw`(?:spent|spend(?:s|ing|ers?)?|total spend(?:ing)?|lifetime (?:value|spend)|ltv|worth|revenue)\s+(?:is\s+|was\s+|of\s+|a total of\s+|in total\s+)?${COMPARISON}\s*${AMOUNT}${TAIL}`,
    read: ([cmp, n, s, tail]) => field('total_spend', moneyOp(cmp, tail), readAmount(n, s)) },
  // Counts.
  { pattern: String.raw`${NEGATED}\s+(?:ever\s+)?(?:ordered|bought|purchased|shopped)(?:\s+anything)?(?:\s+(?:yet|at all|ever))?|(?:no|zero)\s+orders?(?:\s+(?:yet|at all|ever))?|without (?:any )?orders?`,
    read: () => field('order_count', 'eq', 0) },
  { pattern: String.raw`between\s+${NUMBER}\s+(?:and|to|-)\s+${NUMBER}\s+(?:orders?|purchases?|visits?|times|transactions?)`, read: ([a, b]) => field('order_count', 'between', [readNumber(a), readNumber(b)]) },
  { pattern: String.raw`(?:orders?|order count|number of orders|purchases?|visits?)\s+(?:is\s+|of\s+)?${COMPARISON}\s*${NUMBER}${TAIL}(?!\s*(?:days?|weeks?|months?|years?|k\b|%))`,
    read: ([cmp, n, tail]) => field('order_count', readComparison(cmp, tail), readNumber(n)) },
  { pattern: String.raw`${COMPARISON}\s*${NUMBER}${TAIL}\s*(?:orders?|purchases?|visits?|times|transactions?)\b`, read: ([cmp, n, tail]) => field('order_count', readComparison(cmp, tail), readNumber(n)) },
  { pattern: String.raw`(?:only\s+|just\s+)?(once|twice|thrice)\b`, read: ([w]) => field('order_count', 'eq', w === 'once' ? 1 : w === 'twice' ? 2 : 3) },
  { pattern: String.raw`(?:one[- ]time|single[- ]order)\s+(?:buyers?|customers?|shoppers?)`, read: () => field('order_count', 'eq', 1) },
  { pattern: String.raw`(?:repeat|returning)\s+(?:buyers?|customers?|shoppers?)`, read: () => field('order_count', 'gte', 2) },
  // Messages and addresses.
  { pattern: String.raw`${NEGATED}\s+(?:receive|get|been sent)\s+campaign\s+#?(\d+)`, read: ([id]) => not({ received: { campaign: Number(id) } }) },
  { pattern: String.raw`(?:received|got|were sent|was sent)\s+campaign\s+#?(\d+)`, read: ([id]) => ({ received: { campaign: Number(id) } }) },
  { pattern: String.raw`(?:failed deliver(?:y|ies)|(?:messages?|emails?|sms|deliver(?:y|ies))\s+(?:that\s+)?failed|bounced)(?:\s+${RECENTLY}${PERIOD})?`,
    read: ([n, unit]) => ({ deliveryFailed: n ? { withinDays: periodDays(readPeriod(n, unit)) } : {} }) },
  { pattern: String.raw`(?:not unsubscribed|still subscribed|subscribed|opted[- ]in)`, read: () => field('unsubscribed', 'is', false) },
  { pattern: String.raw`(?:unsubscribed|opted[- ]out)`, read: () => field('unsubscribed', 'is', true) },
  { pattern: String.raw`(?:email(?: domain)?\s+(?:is\s+|at\s+|on\s+|ending in\s+)?@?|@)([a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,})`, read: ([d]) => field('email_domain', 'equals', d) },
  { pattern: String.raw`(gmail|yahoo|hotmail|outlook|rediffmail|icloud)(?:\.com)?\s+(?:users|addresses|emails?|accounts?|ids?)`, read: ([d]) => field('email_domain', 'equals', `${d}.com`) },
  { pattern: String.raw`(?:no|without an?|missing)\s+(email|phone)(?:\s+(?:address|number))?`, read: ([f]) => field(f, 'is_empty') },
  { pattern: String.raw`(?:tagged(?:\s+as)?|with (?:the )?tag|labell?ed(?:\s+as)?)\s+["']?([a-z0-9][\w-]*)["']?`, read: ([t]) => field('tags', 'contains', t) },
  // Places come last so that no other phrase with "in" is mistaken for one.
  { pattern: String.raw`(?:not in|not from|outside(?: of)?|except(?: those)? (?:in|from))\s+(?:the\s+)?${PLACES}`, read: ([p]) => places(p, true) },
  { pattern: String.raw`(?:in|from|based in|living in|located in|who live in|who are in|residing in|at)\s+(?:the\s+)?${PLACES}`, read: ([p]) => places(p, false) },
];
const compiled = readers.map((r) => ({ ...r, regex: new RegExp(String.raw`(?<![\w@])(?:${r.pattern})(?![\w@])`, 'gi') }));

// Words that carry no condition: they may surround conditions without making the request unclear.
const filler = new Set(`customers customer people users user buyers buyer shoppers shopper clients client members folks everyone everybody those them they
  who whom whose that which have has had having are is was were be been being the a an with and or but also show me find list get give count
  how many much there all our my of did do does for please can could you i we want would like to see preview segment audience group
  number total what about any in on at by just let's lets know tell look up ones still ever yet so far this these out who've they've
  us your their it its whether here now currently right then both either who're been were where if ok okay hey hi hello and/or plus
  mean i'm i'd what's how's fine sure kindly quick quickly size ordered went gone placed made bought purchased shopped spent spend
  order orders times living live lives based located residing staying`.split(/\s+/));

const everyone = /\b(everyone|everybody|all (?:of )?(?:our |my |the )?customers|every customer|whole (?:customer )?(?:base|list)|entire (?:customer )?(?:base|list))\b/i;

/** Reads an audience description into a rule (conditions joined by "and"/"but" bind tighter than "or"). */
export function readAudience(text: string, ctx: Context): AudienceReading {
  let rest = text.toLowerCase().replace(/[’‘]/g, "'").replace(/[“”]/g, '"');
  const found: { start: number; end: number; rule: RuleJson }[] = [];
  for (const reader of compiled) {
    reader.regex.lastIndex = 0;
    let m: RegExpExecArray | null;
    const masked: [number, number][] = [];
    while ((m = reader.regex.exec(rest))) {
      const rule = reader.read(m.slice(1), ctx);
      if (!rule) continue;
      found.push({ start: m.index, end: m.index + m[0].length, rule });
      masked.push([m.index, m.index + m[0].length]);
    }
    for (const [s, e] of masked) rest = rest.slice(0, s) + '\u0001'.repeat(e - s) + rest.slice(e);
  }
  found.sort((a, b) => a.start - b.start);
  const unknown = rest.replace(/\u0001+/g, ' ').split(/[^a-z0-9'@.₹%-]+/).map((w) => w.replace(/^[.'-]+|[.'-]+$/g, '')).filter((w) => w && !filler.has(w));
  if (!found.length) {
    return everyone.test(text) ? { rules: field('order_count', 'gte', 0), unknown: unknown.filter((w) => !/^(everyone|everybody|every|whole|entire|base)$/.test(w)) } : { rules: null, unknown };
  }
  // "A but B, or C": and-groups split by "or".
  const groups: RuleJson[][] = [[found[0].rule]];
  for (let i = 1; i < found.length; i++) {
    const between = text.slice(found[i - 1].end, found[i].start).toLowerCase();
    if (/\bor\b/.test(between)) groups.push([found[i].rule]);
    else groups[groups.length - 1].push(found[i].rule);
  }
  const joined = groups.map((g) => (g.length === 1 ? g[0] : { all: g }));
  return { rules: joined.length === 1 ? joined[0] : { any: joined }, unknown };
}
