import type { AudienceParse } from '../language/audience-parser.js';
import type { RuleJson } from '../language/rule-json.js';

/**
 * A message that changes the audience just counted: "only those in Mumbai" (narrow), "exclude the unsubscribed"
 * (leave out), "what about 60 days?" (the same rule with another figure or place).
 */
export type FollowUp = { mode: 'narrow' | 'exclude' | 'replace'; reading: AudienceParse };

const NARROW = /^\s*(?:and\s+|but\s+|now\s+|ok(?:ay)?,?\s+|yes,?\s+|sure,?\s+)?(?:only|just|of (?:them|those|these)|among (?:them|those|these)|out of (?:them|those)|from (?:them|those|these)|narrow (?:it|them|that) (?:down )?to|limit (?:it|them|that) to|filter (?:them|those|it) (?:to|by)|keep only|which of (?:them|those|these)|how many of (?:them|those|these))\b/i;
const EXCLUDE = /^\s*(?:and\s+|but\s+|now\s+|ok(?:ay)?,?\s+|yes,?\s+|sure,?\s+)?(?:exclude|excluding|without|remove|drop|leave out|minus|except|take out|filter out|skip|not)\b/i;
const REPLACE = /^\s*(?:and\s+|ok(?:ay)?,?\s+|yes,?\s+|sure,?\s+)?(?:what about|how about|what if|and if|try|make it|change (?:it|that) to|instead)\b/i;

export function followUpMode(text: string): FollowUp['mode'] | null {
  if (REPLACE.test(text)) return 'replace';
  if (EXCLUDE.test(text)) return 'exclude';
  if (NARROW.test(text)) return 'narrow';
  return null;
}

/** The follow-up without its opening words: what to narrow by, leave out, or use instead. */
export function followUpBody(text: string): string {
  return text.replace(REPLACE, ' ').replace(EXCLUDE, ' ').replace(NARROW, ' ').replace(/^\s*(?:those|the ones|the|them|customers|people)\b/i, ' ').trim();
}

/** The earlier rule changed as the follow-up says; null when a "what about …" names nothing the rule has. */
export function applyFollowUp(previous: RuleJson, followUp: FollowUp): RuleJson | null {
  const added = followUp.reading.rules;
  if (!added) return null;
  if (followUp.mode === 'narrow') return { all: [...flatAll(previous), added] };
  if (followUp.mode === 'exclude') return { all: [...flatAll(previous), { not: added }] };
  // Replace: a bare period ("what about 60 days?") is a new length for the earlier rule's period, whatever its kind.
  const period = periodOf(added);
  if (period && flatAll(added).length === 1) {
    const withPeriod = setPeriod(previous, period);
    if (withPeriod) return withPeriod;
  }
  const amount = (added as { value?: unknown }).value;
  if ((added as { field?: string }).field === 'total_spend' && typeof amount === 'number' && flatAll(added).length === 1) {
    const withAmount = setMoney(previous, amount);
    if (withAmount) return withAmount;
  }
  // Otherwise each condition of the follow-up takes the place of the earlier one on the same figure, compared the
  // same way; one with nothing to replace is added.
  const replacements = flatAll(added);
  const used = new Set<RuleJson>();
  const swap = (node: RuleJson): RuleJson => {
    for (const key of ['all', 'any'] as const) if (Array.isArray(node[key])) return { [key]: (node[key] as RuleJson[]).map(swap) };
    if (node.not) return { not: swap(node.not as RuleJson) };
    const match = replacements.find((r) => sameFigure(r, node));
    if (match) {
      used.add(match);
      return match;
    }
    return node;
  };
  const result = swap(previous);
  if (!used.size) return null;
  const extra = replacements.filter((r) => !used.has(r));
  return extra.length ? { all: [...flatAll(result), ...extra] } : result;
}

const flatAll = (rule: RuleJson): RuleJson[] => (Array.isArray(rule.all) ? (rule.all as RuleJson[]) : [rule]);
const placeFields = ['city', 'country'];
const direction = (op: unknown) => (['gt', 'gte', 'more_than_ago', 'after'].includes(op as string) ? 'up' : ['lt', 'lte', 'within_last', 'before'].includes(op as string) ? 'down' : 'same');
function sameFigure(a: RuleJson, b: RuleJson) {
  if (placeFields.includes(a.field as string) && placeFields.includes(b.field as string)) return true;
  if (a.field && b.field) return a.field === b.field && direction(a.op) === direction(b.op);
  if (a.bought && b.bought) return (a.bought as { contains?: string }).contains === (b.bought as { contains?: string }).contains;
  return false;
}

function periodOf(rule: RuleJson): { days?: number; amount?: number; unit?: string } | null {
  const v = rule.value as { amount?: number; unit?: string } | number | undefined;
  if (rule.field === 'days_since_last_order' && typeof v === 'number') return { days: v };
  if ((rule.op === 'within_last' || rule.op === 'more_than_ago') && v && typeof v === 'object') return { amount: v.amount, unit: v.unit };
  return null;
}

function setPeriod(rule: RuleJson, p: { days?: number; amount?: number; unit?: string }): RuleJson | null {
  let changed = false;
  const days = p.days ?? (p.unit === 'days' ? p.amount : p.unit === 'weeks' ? p.amount! * 7 : undefined);
  const walk = (node: RuleJson): RuleJson => {
    for (const key of ['all', 'any'] as const) if (Array.isArray(node[key])) return { [key]: (node[key] as RuleJson[]).map(walk) };
    if (node.not) return { not: walk(node.not as RuleJson) };
    if (node.field === 'days_since_last_order' && days !== undefined) { changed = true; return { ...node, value: days }; }
    if ((node.op === 'within_last' || node.op === 'more_than_ago') && node.value && typeof node.value === 'object') {
      changed = true;
      return { ...node, value: p.days !== undefined ? { amount: p.days, unit: 'days' } : { amount: p.amount, unit: p.unit } };
    }
    if (node.bought && (node.bought as { withinDays?: number }).withinDays && days !== undefined) { changed = true; return { bought: { ...(node.bought as object), withinDays: days } }; }
    return node;
  };
  const result = walk(rule);
  return changed ? result : null;
}

function setMoney(rule: RuleJson, amount: number): RuleJson | null {
  let changed = false;
  const walk = (node: RuleJson): RuleJson => {
    for (const key of ['all', 'any'] as const) if (Array.isArray(node[key])) return { [key]: (node[key] as RuleJson[]).map(walk) };
    if (node.not) return { not: walk(node.not as RuleJson) };
    if ((node.field === 'total_spend' || node.field === 'average_order_value') && typeof node.value === 'number') { changed = true; return { ...node, value: amount }; }
    return node;
  };
  const result = walk(rule);
  return changed ? result : null;
}
