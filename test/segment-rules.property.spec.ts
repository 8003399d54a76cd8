import fc from 'fast-check';
import { refreshCustomerAggregates } from '../src/crm/customers/customer-aggregates.js';
import { compileRule, SqlParams } from '../src/crm/segments/rule-compiler.js';
import { previewRule } from '../src/crm/segments/segment-preview.js';
import { parseRule } from '../src/crm/segments/rule-parser.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

// The reference: a small evaluator over plain objects, written here from the rule language's documented meaning
// (docs/rules.md), independently of the SQL compiler under test.
const DAY = 86_400_000;
// 18:30 UTC is midnight in India, so "now minus whole days" lands exactly on calendar-day boundaries there.
const now = new Date('2026-06-15T18:30:00Z');
const zones = { UTC: 'Z', 'Asia/Kolkata': '+05:30' } as const;
type Zone = keyof typeof zones;

interface Customer {
  id: number; name: string | null; email: string | null; phone: string | null; city: string | null; country: string | null;
  tags: string[]; created_at: Date; unsubscribed_at: Date | null;
  total_spend: string; order_count: number; average_order_value: string | null; first_order_at: Date | null; last_order_at: Date | null;
}
interface Order { id: number; customer_id: number; placed_at: Date; status: string; lines: { sku: string; description: string }[] }
interface Log { campaign_id: number; customer_id: number; status: string; receipt_at: Date | null }
interface World { customers: Customer[]; orders: Order[]; logs: Log[] }

const dayStart = (day: string, zone: Zone) => Date.parse(`${day}T00:00:00${zones[zone]}`);
const addDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + DAY).toISOString().slice(0, 10);
const isDay = (v: string) => v.length === 10;
function ago(p: { amount: number; unit: string }) {
  if (p.unit === 'days') return now.getTime() - p.amount * DAY;
  if (p.unit === 'weeks') return now.getTime() - p.amount * 7 * DAY;
  const d = new Date(now);
  d.setUTCMonth(d.getUTCMonth() - p.amount);
  return d.getTime();
}

function fieldValue(c: Customer, field: string): unknown {
  switch (field) {
    case 'total_spend': return Number(c.total_spend);
    case 'average_order_value': return c.average_order_value === null ? null : Number(c.average_order_value);
    case 'first_order_date': return c.first_order_at?.getTime() ?? null;
    case 'last_order_date': return c.last_order_at?.getTime() ?? null;
    case 'created_at': return c.created_at.getTime();
    case 'days_since_last_order': return c.last_order_at ? Math.floor((now.getTime() - c.last_order_at.getTime()) / DAY) : null;
    case 'email_domain': return c.email === null ? null : (c.email.split('@')[1] ?? '');
    case 'unsubscribed': return c.unsubscribed_at !== null;
    default: return (c as any)[field];
  }
}

const symbols: Record<string, string> = { '>': 'gt', '≥': 'gte', '≠': 'neq' };

function compareNumber(v: number | null, op: string, x: any): boolean {
  if (v === null) return false;
  switch (symbols[op] ?? op) {
    case 'eq': return v === x;
    case 'neq': return v !== x;
    case 'gt': return v > x;
    case 'gte': return v >= x;
    case 'lt': return v < x;
    case 'lte': return v <= x;
    case 'between': return v >= x[0] && v <= x[1];
  }
  throw new Error(op);
}

function compareDate(t: number | null, op: string, x: any, zone: Zone): boolean {
  if (t === null) return false;
  const start = (v: string) => (isDay(v) ? dayStart(v, zone) : Date.parse(v));
  switch (op) {
    case 'before': return t < start(x);
    case 'after': return isDay(x) ? t >= dayStart(addDay(x), zone) : t > Date.parse(x);
    case 'between': return t >= start(x[0]) && (isDay(x[1]) ? t < dayStart(addDay(x[1]), zone) : t <= Date.parse(x[1]));
    case 'within_last': return t >= ago(x);
    case 'more_than_ago': return t < ago(x);
  }
  throw new Error(op);
}

function matchField(c: Customer, rule: any, zone: Zone): boolean {
  const v = fieldValue(c, rule.field);
  const op = rule.op;
  if (rule.field === 'tags') {
    const tags = v as string[];
    if (op === 'is_set') return tags.length > 0;
    if (op === 'is_empty') return tags.length === 0;
    if (op === 'contains') return tags.includes(rule.value);
    return tags.some((t) => rule.value.includes(t));
  }
  if (rule.field === 'unsubscribed') return v === rule.value;
  if (['name', 'email', 'email_domain', 'phone', 'city', 'country'].includes(rule.field)) {
    const text = v as string | null;
    if (op === 'is_set') return (text ?? '') !== '';
    if (op === 'is_empty') return (text ?? '') === '';
    if (text === null) return false;
    const lower = text.toLowerCase();
    if (op === 'equals') return lower === rule.value.toLowerCase();
    if (op === 'in') return rule.value.some((x: string) => x.toLowerCase() === lower);
    if (op === 'contains') return lower.includes(rule.value.toLowerCase());
    return lower.startsWith(rule.value.toLowerCase());
  }
  if (op === 'is_set') return v !== null;
  if (op === 'is_empty') return v === null;
  if (['first_order_date', 'last_order_date', 'created_at'].includes(rule.field)) return compareDate(v as number | null, op, rule.value, zone);
  return compareNumber(v as number | null, op, rule.value);
}

function matches(c: Customer, rule: any, world: World, zone: Zone): boolean {
  if (rule.all) return rule.all.every((r: any) => matches(c, r, world, zone));
  if (rule.any) return rule.any.some((r: any) => matches(c, r, world, zone));
  if (rule.not) return !matches(c, rule.not, world, zone);
  if (rule.bought || rule.ordered) {
    const b = rule.bought ?? rule.ordered;
    // From and to are whole days where the business is, both included.
    const count = world.orders.filter((o) => o.customer_id === c.id && ['pending', 'completed'].includes(o.status)
      && (!b.withinDays || o.placed_at.getTime() >= now.getTime() - b.withinDays * DAY)
      && (!b.from || o.placed_at.getTime() >= dayStart(b.from, zone))
      && (!b.to || o.placed_at.getTime() < dayStart(addDay(b.to), zone))
      && (rule.ordered || o.lines.some((l) => (b.sku !== undefined ? l.sku === b.sku : l.description.toLowerCase().includes(b.contains.toLowerCase()))))).length;
    return count >= (b.atLeast ?? 1);
  }
  if (rule.received) return world.logs.some((l) => l.customer_id === c.id && l.campaign_id === rule.received.campaign && ['sent', 'delivered'].includes(l.status));
  if (rule.deliveryFailed) {
    const d = rule.deliveryFailed.withinDays;
    return world.logs.some((l) => l.customer_id === c.id && l.status === 'failed' && (!d || (l.receipt_at !== null && l.receipt_at.getTime() >= now.getTime() - d * DAY)));
  }
  return matchField(c, rule, zone);
}

// ---- random worlds ----
const texts = ['Mumbai', 'mumbai', 'Pune', 'New Delhi', 'India', 'UK', 'asha@gmail.com', 'ravi@example.in', 'gmail.com', '', '+91 98'];
const maybeText = fc.option(fc.constantFrom(...texts), { nil: null });
// Few distinct days, so that orders often fall exactly on a rule's boundary.
const someDays = fc.oneof({ arbitrary: fc.constantFrom(0, 1, 30, 90, 91), weight: 4 }, { arbitrary: fc.integer({ min: 0, max: 400 }), weight: 1 });
const instantAgo = fc.tuple(someDays, fc.constantFrom(0, 0, 0, 1, 12, 23)).map(([d, h]) => new Date(now.getTime() - d * DAY - h * 3_600_000));
const skus = ['A1', 'B2', 'C3'];
const descriptions = ['Brass lamp', 'Tea mug', 'LAMP shade', 'Cushion'];

const worldArb = fc.record({
  customers: fc.array(fc.record({
    name: maybeText, email: fc.option(fc.constantFrom('asha@gmail.com', 'ravi@example.in', 'no-at-sign', 'x@GMAIL.com'), { nil: null }),
    phone: fc.option(fc.constantFrom('+91 98', ''), { nil: null }), city: maybeText, country: maybeText,
    tags: fc.subarray(['vip', 'new', 'wholesale']), created_at: instantAgo, unsubscribed: fc.boolean(),
  }), { minLength: 1, maxLength: 40 }),
  orders: fc.array(fc.record({
    customer: fc.nat(39), placed_at: instantAgo, status: fc.constantFrom('pending', 'completed', 'completed', 'refunded', 'cancelled'),
    total: fc.constantFrom('0', '50', '100', '250.5', '1000', '4999.999', '-20'),
    lines: fc.array(fc.record({ sku: fc.constantFrom(...skus), description: fc.constantFrom(...descriptions) }), { minLength: 1, maxLength: 3 }),
  }), { maxLength: 80 }),
  logs: fc.array(fc.record({ campaign: fc.constantFrom(1, 2), customer: fc.nat(39), status: fc.constantFrom('queued', 'submitted', 'sent', 'failed', 'delivered', 'unconfirmed'), receipt_at: fc.option(instantAgo, { nil: null }) }), { maxLength: 30 }),
});

type WorldInput = typeof worldArb extends fc.Arbitrary<infer T> ? T : never;

// ---- random rules (JSON, as a person or the agent writes them) ----
const day = someDays.map((d) => new Date(now.getTime() - d * DAY).toISOString().slice(0, 10));
const period = fc.record({ amount: fc.integer({ min: 1, max: 14 }), unit: fc.constantFrom('days', 'weeks', 'months') });
const numberOps = (values: fc.Arbitrary<number>) => fc.oneof(
  fc.record({ op: fc.constantFrom('eq', 'neq', 'gt', 'gte', 'lt', 'lte', '>', '≥', '≠'), value: values }),
  fc.tuple(values, values).map(([a, b]) => ({ op: 'between', value: [Math.min(a, b), Math.max(a, b)] })),
  fc.record({ op: fc.constantFrom('is_set', 'is_empty') }),
);
const moneyValues = fc.constantFrom(0, 50, 100, 250.5, 1000, 1300, 5000);
const fieldRule = fc.oneof(
  fc.tuple(fc.constantFrom('total_spend', 'average_order_value'), numberOps(moneyValues)),
  fc.tuple(fc.constant('order_count'), numberOps(fc.integer({ min: 0, max: 5 }))),
  fc.tuple(fc.constant('days_since_last_order'), numberOps(someDays)),
  fc.tuple(fc.constantFrom('first_order_date', 'last_order_date', 'created_at'), fc.oneof(
    fc.record({ op: fc.constantFrom('before', 'after'), value: fc.oneof(day, instantAgo.map((d) => d.toISOString())) }),
    fc.tuple(day, day).map(([a, b]) => ({ op: 'between', value: a <= b ? [a, b] : [b, a] })),
    fc.record({ op: fc.constantFrom('within_last', 'more_than_ago'), value: period }),
    fc.record({ op: fc.constantFrom('is_set', 'is_empty') }),
  )),
  fc.tuple(fc.constantFrom('name', 'email', 'email_domain', 'phone', 'city', 'country'), fc.oneof(
    fc.record({ op: fc.constantFrom('equals', 'contains', 'starts_with'), value: fc.constantFrom('Mumbai', 'mum', 'PUNE', 'gmail.com', 'in', 'a', 'Delhi', '+91') }),
    fc.record({ op: fc.constant('in'), value: fc.subarray(['mumbai', 'Pune', 'UK', 'gmail.com'], { minLength: 1 }) }),
    fc.record({ op: fc.constantFrom('is_set', 'is_empty') }),
  )),
  fc.tuple(fc.constant('tags'), fc.oneof(
    fc.record({ op: fc.constant('contains'), value: fc.constantFrom('vip', 'new', 'VIP') }),
    fc.record({ op: fc.constant('in'), value: fc.subarray(['vip', 'new', 'wholesale'], { minLength: 1 }) }),
    fc.record({ op: fc.constantFrom('is_set', 'is_empty') }),
  )),
  fc.tuple(fc.constant('unsubscribed'), fc.record({ op: fc.constant('is'), value: fc.boolean() })),
).map(([field, rest]) => ({ field, ...rest }));
// A calendar day near the orders' own days (whole days before now), so that bounds fall on them.
const orderDay = fc.constantFrom(0, 1, 2, 30, 31, 89, 90, 91, 200).map((d) => new Date(now.getTime() + 5.5 * 3_600_000 - d * DAY).toISOString().slice(0, 10));
const behaviourRule = fc.oneof(
  fc.record({ bought: fc.record({ sku: fc.constantFrom(...skus), withinDays: fc.integer({ min: 1, max: 400 }), atLeast: fc.integer({ min: 1, max: 3 }) }, { requiredKeys: ['sku'] }) }),
  fc.record({ bought: fc.record({ contains: fc.constantFrom('lamp', 'MUG', 'shade'), withinDays: fc.integer({ min: 1, max: 400 }), atLeast: fc.integer({ min: 1, max: 3 }) }, { requiredKeys: ['contains'] }) }),
  fc.record({ bought: fc.record({ contains: fc.constantFrom('lamp', 'MUG', 'shade'), from: orderDay, to: orderDay, atLeast: fc.integer({ min: 1, max: 3 }) }, { requiredKeys: ['contains'] }) }),
  fc.record({ ordered: fc.record({ from: orderDay, to: orderDay, withinDays: fc.integer({ min: 1, max: 400 }), atLeast: fc.integer({ min: 1, max: 3 }) }, { requiredKeys: [] }) }),
  fc.record({ received: fc.record({ campaign: fc.constantFrom(1, 2) }) }),
  fc.record({ deliveryFailed: fc.record({ withinDays: fc.integer({ min: 1, max: 400 }) }, { requiredKeys: [] }) }),
).map((rule: any) => {
  // A span runs forwards: from is never after to.
  const b = rule.bought ?? rule.ordered;
  if (b?.from && b.to && b.from > b.to) [b.from, b.to] = [b.to, b.from];
  return rule;
});
const { rule: ruleArb } = fc.letrec<{ rule: any; group: any; not: any }>((tie) => ({
  rule: fc.oneof({ maxDepth: 4, depthIdentifier: 'rule' }, fieldRule, behaviourRule, tie('group'), tie('not')),
  group: fc.tuple(fc.constantFrom('all', 'any'), fc.array(tie('rule'), { minLength: 1, maxLength: 3 })).map(([kind, rules]) => ({ [kind]: rules })),
  not: tie('rule').map((rule) => ({ not: rule })),
}));

// ---- the database side ----
async function load(db: TestDatabase, world: WorldInput): Promise<World> {
  await db.sql.query('truncate customers, orders, order_lines, campaigns, communication_logs restart identity cascade');
  const n = world.customers.length;
  await db.sql.query(
    `insert into customers (external_id, name, email, phone, city, country, tags, created_at, unsubscribed_at)
     select 'C' || i, x.name, x.email, x.phone, x.city, x.country, array(select jsonb_array_elements_text(x.tags)), x.created_at, x.unsub
     from jsonb_to_recordset($1::jsonb) as x(name text, email text, phone text, city text, country text, tags jsonb, created_at timestamptz, unsub timestamptz, i int)
     order by x.i`,
    [JSON.stringify(world.customers.map((c, i) => ({ ...c, unsub: c.unsubscribed ? c.created_at : null, i: i + 1 })))],
  );
  const orders = world.orders.map((o, i) => ({ ...o, id: i + 1, customer: (o.customer % n) + 1 }));
  for (const o of orders) {
    await db.sql.query(`insert into orders (id, external_id, customer_id, placed_at, status, total) values ($1, $2, $3, $4, $5, $6)`, [o.id, `O${o.id}`, o.customer, o.placed_at, o.status, o.total]);
    for (const [position, line] of o.lines.entries()) {
      await db.sql.query(`insert into order_lines (order_id, position, sku, description, quantity, unit_price) values ($1, $2, $3, $4, 1, 1)`, [o.id, position, line.sku, line.description]);
    }
  }
  await db.sql.query(`insert into campaigns (id, name, rules, channel, template) values (1, 'one', '{}', 'email', 'x'), (2, 'two', '{}', 'sms', 'y')`);
  const seen = new Set<string>();
  const logs: Log[] = [];
  for (const l of world.logs) {
    const customer = (l.customer % n) + 1;
    if (seen.has(`${l.campaign}:${customer}`)) continue;
    seen.add(`${l.campaign}:${customer}`);
    await db.sql.query(`insert into communication_logs (campaign_id, customer_id, channel, address, message, status, receipt_at) values ($1, $2, 'email', 'a', 'm', $3, $4)`, [l.campaign, customer, l.status, l.receipt_at]);
    logs.push({ campaign_id: l.campaign, customer_id: customer, status: l.status, receipt_at: l.receipt_at });
  }
  await refreshCustomerAggregates(db.sql, world.customers.map((_, i) => i + 1));
  const customers = await db.sql.rows<Customer>('select * from customers order by id');
  return { customers, orders: orders.map((o) => ({ id: o.id, customer_id: o.customer, placed_at: o.placed_at, status: o.status, lines: o.lines })), logs };
}

describe('segment rules: SQL against the reference evaluator', () => {
  let db: TestDatabase;
  beforeAll(async () => { db = await createTestDatabase(); });
  afterAll(async () => { await db.drop(); });

  it('finds exactly the customers the reference finds, for random rules over random customers and orders', async () => {
    await fc.assert(fc.asyncProperty(worldArb, fc.array(ruleArb, { minLength: 10, maxLength: 20 }), fc.constantFrom<Zone>('UTC', 'Asia/Kolkata'), async (raw, rules, zone) => {
      const world = await load(db, raw);
      for (const json of rules) {
        const params = new SqlParams();
        const where = compileRule(parseRule(json), params, { now, zone });
        const found = (await db.sql.rows<{ id: number }>(`select c.id from customers c where ${where} order by c.id`, params.values)).map((r) => r.id);
        const expected = world.customers.filter((c) => matches(c, json, world, zone)).map((c) => c.id);
        expect({ rule: json, ids: found }).toEqual({ rule: json, ids: expected });

        // The preview's count and funnel: each top-level condition's own figure, and the running total of the
        // conditions so far, as the reference counts them (an "all" rule with behaviour conditions is counted from
        // its first set's customers, the others in one pass over everyone).
        const preview = await previewRule(db.sql, parseRule(json), { now, zone }, 'INR', { timeoutMs: 20_000 });
        const steps: any[] = json.all ?? json.any ?? [json];
        const count = (rule: any) => world.customers.filter((c) => matches(c, rule, world, zone)).length;
        const funnel = steps.map((_, i) => ({ alone: count(steps[i]), together: count({ [json.any ? 'any' : 'all']: steps.slice(0, i + 1) }) }));
        expect({ rule: json, count: preview.count, funnel: preview.funnel.map((f) => ({ alone: Number(f.alone), together: Number(f.together) })) })
          .toEqual({ rule: json, count: expected.length, funnel });
      }
    }), { numRuns: 80 });
  }, 120_000);
});
