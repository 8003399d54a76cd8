import { conditionRange, disjoint, type RuleContext } from './condition-range.js';
import { fields } from './rule-fields.js';
import { RuleError, type FieldCondition, type RuleNode } from './rule.js';
import { describeCondition } from './rule-sentence.js';

/**
 * Finds "all" groups that no customer can ever match because two of their conditions on the same field exclude
 * each other ("spend over 10,000 and under 5,000", "is set and is empty", "city is Pune and city is Delhi"). Such a
 * rule is almost always a typing mistake, so it is refused with both conditions named rather than counted as zero.
 */
export function findContradictions(node: RuleNode, ctx: RuleContext, currency: string, path = ''): { path: string; message: string }[] {
  if (node.kind === 'not') return findContradictions(node.rule, ctx, currency, `${path ? `${path}.` : ''}not`);
  if (node.kind !== 'all' && node.kind !== 'any') return [];
  const here = `${path ? `${path}.` : ''}${node.kind}`;
  const found = node.rules.flatMap((child, i) => findContradictions(child, ctx, currency, `${here}.${i}`));
  if (node.kind === 'all') {
    const conditions = node.rules.filter((r): r is FieldCondition => r.kind === 'field');
    for (let i = 0; i < conditions.length; i++) {
      for (let j = i + 1; j < conditions.length; j++) {
        if (excludeEachOther(conditions[i], conditions[j], ctx)) {
          found.push({ path: here, message: `no customer can match both "${describeCondition(conditions[i], currency)}" and "${describeCondition(conditions[j], currency)}"` });
        }
      }
    }
  }
  return found;
}

function excludeEachOther(a: FieldCondition, b: FieldCondition, ctx: RuleContext): boolean {
  if (a.field !== b.field) return false;
  const type = fields[a.field].type;
  const empty = (c: FieldCondition) => c.op === 'is_empty';
  // Every operator other than is_empty needs a value, so none of them can hold for an empty field.
  if (empty(a) !== empty(b)) return true;
  if (type === 'boolean') return a.value !== b.value;
  if (type === 'text') {
    const set = (c: FieldCondition) => (c.op === 'equals' ? [String(c.value).toLowerCase()] : c.op === 'in' ? (c.value as string[]).map((v) => v.toLowerCase()) : null);
    const [sa, sb] = [set(a), set(b)];
    return !!sa && !!sb && !sa.some((v) => sb.includes(v));
  }
  const [ra, rb] = [conditionRange(a, ctx), conditionRange(b, ctx)];
  return !!ra && !!rb && disjoint(ra, rb);
}

export function assertSatisfiable(node: RuleNode, ctx: RuleContext, currency: string) {
  const problems = findContradictions(node, ctx, currency);
  if (problems.length) throw new RuleError(problems);
}
