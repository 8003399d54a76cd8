import { z } from 'zod';
import { periodUnits } from '../time/clock.js';
import { isoDateParser } from '../ingestion/values.js';
import { fieldNames, fields, operatorAliases, operatorsByType, type FieldDefinition, type FieldName, type Operator } from './rule-fields.js';
import { RuleError, ruleLimits, type ConditionValue, type RuleNode } from './rule.js';

const ruleKeys = ['all', 'any', 'not', 'field', 'bought', 'ordered', 'received', 'deliveryFailed'];
const readIso = isoDateParser();
const realDay = (v: string) => { try { readIso(v); return true; } catch { return false; } };
const dateTime = z.iso.datetime({ offset: true });
// One message for both forms: a union would only say "Invalid input".
const instant = z.string().refine((v) => (/^\d{4}-\d{2}-\d{2}$/.test(v) ? realDay(v) : dateTime.safeParse(v).success), 'is not a real date written YYYY-MM-DD (or a time such as 2026-03-01T10:30:00Z)');
const text = z.string().trim().min(1, 'must not be empty').max(ruleLimits.textLength);
const textList = z.array(text).min(1, 'must list at least one value').max(ruleLimits.listValues, `may list at most ${ruleLimits.listValues} values`);
const number = z.number().finite().refine((n) => Math.abs(n) < 1e15, 'is too large');
const wholeNumber = z.number().int('must be a whole number').min(0).max(1e9);
const period = z.object({ amount: z.number().int('must be a whole number').min(1).max(100_000), unit: z.enum(periodUnits) }).strict();
const ordered = <T extends number | string>(pair: [T, T]) => pair[0] <= pair[1];

/** The value an operator takes, by field type; undefined means the operator takes no value. */
function valueSchema(definition: FieldDefinition, op: Operator): z.ZodType | undefined {
  if (op === 'is_set' || op === 'is_empty') return undefined;
  const n = 'whole' in definition && definition.whole ? wholeNumber : number;
  switch (definition.type) {
    case 'number':
      return op === 'between' ? z.tuple([n, n]).refine(ordered, 'must be [low, high] with low ≤ high') : n;
    case 'text':
      return op === 'in' ? textList : text;
    case 'tags':
      return op === 'in' ? textList : text;
    case 'boolean':
      return z.boolean();
    case 'date':
      if (op === 'within_last' || op === 'more_than_ago') return period;
      return op === 'between' ? z.tuple([instant, instant]).refine(([a, b]) => Date.parse(a) <= Date.parse(b), 'must be [from, to] with from ≤ to') : instant;
  }
}

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a day written YYYY-MM-DD').refine((d) => !Number.isNaN(Date.parse(d)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'is not a day of the calendar');
const orderDays = {
  from: day.optional().describe('First day an order counts (included)'),
  to: day.optional().describe('Last day an order counts (included)'),
  withinDays: z.number().int().min(1).max(100_000).optional(),
  atLeast: z.number().int().min(1).max(1_000_000).default(1),
};
const daysInOrder = (b: { from?: string; to?: string }) => !b.from || !b.to || b.from <= b.to;
const boughtSchema = z.object({ sku: text.optional(), contains: text.optional(), ...orderDays }).strict()
  .refine((b) => (b.sku === undefined) !== (b.contains === undefined), 'give either sku or contains (one of them)')
  .refine(daysInOrder, 'from must not be after to');
const orderedSchema = z.object(orderDays).strict().refine(daysInOrder, 'from must not be after to');
const receivedSchema = z.object({ campaign: z.number().int().positive() }).strict();
const failedSchema = z.object({ withinDays: z.number().int().min(1).max(100_000).optional() }).strict();

interface State { problems: { path: string; message: string }[]; conditions: number; behaviour: number }

function issues(state: State, path: string, error: z.ZodError) {
  for (const issue of error.issues) {
    const where = [path, ...issue.path.map(String)].filter(Boolean).join('.');
    state.problems.push({ path: where, message: issue.message });
  }
}

function parseField(raw: Record<string, unknown>, path: string, state: State): RuleNode | null {
  const extra = Object.keys(raw).filter((k) => !['field', 'op', 'value'].includes(k));
  if (extra.length) state.problems.push({ path, message: `a condition has field, op and value; ${extra.join(', ')} is not allowed` });
  const name = raw.field;
  // Own keys only: "constructor" or "__proto__" are names of every object, not fields.
  if (typeof name !== 'string' || !Object.hasOwn(fields, name)) {
    state.problems.push({ path: `${path}.field`, message: `unknown field ${JSON.stringify(name)}; valid fields: ${fieldNames.join(', ')}` });
    return null;
  }
  const definition: FieldDefinition = fields[name as FieldName];
  const valid = operatorsByType[definition.type] as readonly string[];
  const op = typeof raw.op === 'string' ? ((Object.hasOwn(operatorAliases, raw.op) ? operatorAliases[raw.op] : undefined) ?? raw.op) : raw.op;
  if (typeof op !== 'string' || !valid.includes(op)) {
    state.problems.push({ path: `${path}.op`, message: `unknown operator ${JSON.stringify(raw.op)} for ${name} (${definition.type}); valid operators: ${valid.join(', ')}` });
    return null;
  }
  const schema = valueSchema(definition, op as Operator);
  if (!schema) {
    if (raw.value !== undefined) state.problems.push({ path: `${path}.value`, message: `${op} takes no value` });
    return { kind: 'field', field: name as FieldName, op: op as Operator, value: undefined };
  }
  const parsed = schema.safeParse(raw.value);
  if (!parsed.success) {
    if (raw.value === undefined) state.problems.push({ path: `${path}.value`, message: `${op} needs a value` });
    else issues(state, `${path}.value`, parsed.error);
    return null;
  }
  return { kind: 'field', field: name as FieldName, op: op as Operator, value: parsed.data as ConditionValue };
}

function parseNode(raw: unknown, path: string, depth: number, state: State): RuleNode | null {
  if (depth > ruleLimits.depth) {
    state.problems.push({ path, message: `rules may nest at most ${ruleLimits.depth} levels deep` });
    return null;
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    state.problems.push({ path, message: `must be an object with one of: ${ruleKeys.join(', ')}` });
    return null;
  }
  const record = raw as Record<string, unknown>;
  const kinds = ruleKeys.filter((k) => Object.hasOwn(record, k));
  if (kinds.length !== 1) {
    state.problems.push({ path, message: kinds.length ? `has both ${kinds.join(' and ')}; use one per object` : `must have one of: ${ruleKeys.join(', ')}` });
    return null;
  }
  const [kind] = kinds;
  const here = (key: string) => (path ? `${path}.${key}` : key);
  if (kind === 'all' || kind === 'any') {
    if (Object.keys(record).length > 1) state.problems.push({ path, message: `a group has only "${kind}"` });
    const children = record[kind];
    if (!Array.isArray(children) || children.length === 0) {
      state.problems.push({ path: here(kind), message: 'must be a non-empty list of rules' });
      return null;
    }
    const rules = children.map((child, i) => parseNode(child, `${here(kind)}.${i}`, depth + 1, state));
    return rules.every(Boolean) ? { kind, rules: rules as RuleNode[] } : null;
  }
  if (kind === 'not') {
    if (Object.keys(record).length > 1) state.problems.push({ path, message: 'a "not" has only "not"' });
    const rule = parseNode(record.not, here('not'), depth + 1, state);
    return rule && { kind: 'not', rule };
  }
  if (++state.conditions > ruleLimits.conditions) {
    if (state.conditions === ruleLimits.conditions + 1) state.problems.push({ path, message: `a rule may have at most ${ruleLimits.conditions} conditions` });
    return null;
  }
  if (kind === 'field') return parseField(record, path, state);
  if (++state.behaviour === ruleLimits.behaviourConditions + 1) {
    state.problems.push({ path, message: `a rule may have at most ${ruleLimits.behaviourConditions} bought, ordered, received or delivery-failed conditions; split the audience into segments, or use fewer product words` });
  }
  const schema = kind === 'bought' ? boughtSchema : kind === 'ordered' ? orderedSchema : kind === 'received' ? receivedSchema : failedSchema;
  const parsed = schema.safeParse(record[kind]);
  if (!parsed.success) {
    issues(state, here(kind), parsed.error);
    return null;
  }
  if (kind === 'bought') return { kind: 'bought', ...(parsed.data as z.output<typeof boughtSchema>) };
  if (kind === 'ordered') return { kind: 'ordered', ...(parsed.data as z.output<typeof orderedSchema>) };
  if (kind === 'received') return { kind: 'received', campaignId: (parsed.data as z.output<typeof receivedSchema>).campaign };
  return { kind: 'delivery_failed', ...(parsed.data as z.output<typeof failedSchema>) };
}

/** Checks a rule's JSON and returns it parsed, or throws a RuleError naming every problem and where it is. */
export function parseRule(raw: unknown): RuleNode {
  const state: State = { problems: [], conditions: 0, behaviour: 0 };
  const node = parseNode(raw, '', 1, state);
  if (!node || state.problems.length) throw new RuleError(state.problems.length ? state.problems : [{ path: '', message: 'is not a rule' }]);
  return node;
}

/** The zod shape of a rule's JSON, for API documents; parseRule does the real checking. */
export const ruleJson = z.record(z.string(), z.unknown()).describe('A segment rule: {"all": [...]}, {"any": [...]}, {"not": rule}, {"field", "op", "value"}, {"bought": {...}}, {"ordered": {"from", "to", "withinDays", "atLeast"}}, {"received": {"campaign": id}} or {"deliveryFailed": {}}. See docs/rules.md.');
