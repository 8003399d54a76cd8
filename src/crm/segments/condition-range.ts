import { DAY_MS, periodBefore } from '../time/clock.js';
import { nextDay, startOfDay } from '../time/time-zone.js';
import type { FieldCondition, Period } from './rule.js';
import { fields } from './rule-fields.js';

/** When a rule is evaluated and in which time zone its calendar dates are read. */
export interface RuleContext { now: Date; zone: string }

/**
 * The interval of column values a comparison accepts: numbers as numbers, dates as epoch milliseconds. Shared by the
 * compiler (which turns it into SQL bounds) and the contradiction check (which intersects them).
 */
export interface Range { lo?: number; loOpen?: boolean; hi?: number; hiOpen?: boolean }

const isDay = (v: string) => v.length === 10;
const dayStart = (v: string, ctx: RuleContext) => startOfDay(v, ctx.zone).getTime();

function dateRange(op: string, value: unknown, ctx: RuleContext): Range | null {
  switch (op) {
    case 'before': {
      const v = value as string;
      return { hi: isDay(v) ? dayStart(v, ctx) : Date.parse(v), hiOpen: true };
    }
    case 'after': {
      // "after 1 March" starts on 2 March: the named day itself is not after it.
      const v = value as string;
      return isDay(v) ? { lo: dayStart(nextDay(v), ctx) } : { lo: Date.parse(v), loOpen: true };
    }
    case 'between': {
      // Both ends are included; a day as the upper end includes that whole day.
      const [a, b] = value as [string, string];
      return {
        lo: isDay(a) ? dayStart(a, ctx) : Date.parse(a),
        ...(isDay(b) ? { hi: dayStart(nextDay(b), ctx), hiOpen: true } : { hi: Date.parse(b) }),
      };
    }
    case 'within_last': {
      const p = value as Period;
      return { lo: periodBefore(ctx.now, p.amount, p.unit).getTime() };
    }
    case 'more_than_ago': {
      const p = value as Period;
      return { hi: periodBefore(ctx.now, p.amount, p.unit).getTime(), hiOpen: true };
    }
  }
  return null;
}

function numberRange(op: string, value: unknown): Range | null {
  const v = value as number;
  switch (op) {
    case 'eq': return { lo: v, hi: v };
    case 'gt': return { lo: v, loOpen: true };
    case 'gte': return { lo: v };
    case 'lt': return { hi: v, hiOpen: true };
    case 'lte': return { hi: v };
    case 'between': return { lo: (value as [number, number])[0], hi: (value as [number, number])[1] };
  }
  return null;
}

/**
 * Days since the last order are whole days, rounded down: "more than 90 days" means at least 91 whole days, i.e. a
 * last order at or before now − 91 days. Turning the count into bounds on last_order_at lets PostgreSQL use its index.
 */
function daysSinceRange(op: string, value: unknown, ctx: RuleContext): Range | null {
  const cut = (days: number) => ctx.now.getTime() - days * DAY_MS;
  const v = value as number;
  switch (op) {
    case 'eq': return { lo: cut(v + 1), loOpen: true, hi: cut(v) };
    case 'gt': return { hi: cut(v + 1) };
    case 'gte': return { hi: cut(v) };
    case 'lt': return { lo: cut(v), loOpen: true };
    case 'lte': return { lo: cut(v + 1), loOpen: true };
    case 'between': {
      const [a, b] = value as [number, number];
      return { lo: cut(b + 1), loOpen: true, hi: cut(a) };
    }
  }
  return null;
}

/** The accepted interval of a comparison, or null for operators that are not intervals (neq, is_set, text …). */
export function conditionRange(condition: FieldCondition, ctx: RuleContext): Range | null {
  if (condition.field === 'days_since_last_order') return daysSinceRange(condition.op, condition.value, ctx);
  const type = fields[condition.field].type;
  if (type === 'number') return numberRange(condition.op, condition.value);
  if (type === 'date') return dateRange(condition.op, condition.value, ctx);
  return null;
}

/** Whether two intervals share no value. */
export function disjoint(a: Range, b: Range): boolean {
  const lo = Math.max(a.lo ?? -Infinity, b.lo ?? -Infinity);
  const hi = Math.min(a.hi ?? Infinity, b.hi ?? Infinity);
  if (lo > hi) return true;
  if (lo < hi) return false;
  const loOpen = (a.lo === lo && a.loOpen) || (b.lo === lo && b.loOpen);
  const hiOpen = (a.hi === hi && a.hiOpen) || (b.hi === hi && b.hiOpen);
  return Boolean(loOpen || hiOpen);
}
