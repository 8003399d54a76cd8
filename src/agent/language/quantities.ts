import { has, sense, type Item } from './items.js';
import type { PeriodUnit } from './lexicon.js';

// Numbers, money, periods and calendar dates as people write them, read from a run of items.

/** A number as written, with the scale that multiplied it (1 when none: "10k" has 1,000). */
export interface Quantity { value: number; money: boolean; length: number; factor: number }
export interface Period { amount: number; unit: PeriodUnit; length: number }
/** A stretch of calendar days (YYYY-MM-DD, both included). */
export interface DaySpan { first: string; last: string; length: number; day: boolean }

const suffixScale: Record<string, number> = { k: 1e3, l: 1e5, lakh: 1e5, lakhs: 1e5, lac: 1e5, lacs: 1e5, cr: 1e7, crore: 1e7, crores: 1e7, m: 1e6, mn: 1e6 };
const suffixUnit: Record<string, PeriodUnit> = { d: 'days', day: 'days', days: 'days', w: 'weeks', wk: 'weeks', wks: 'weeks', week: 'weeks', weeks: 'weeks', mo: 'months', mos: 'months', month: 'months', months: 'months', y: 'years', yr: 'years', yrs: 'years', year: 'years', years: 'years' };

const round2 = (n: number) => Math.round(n * 100) / 100;

/** A number or an amount at items[i]: "₹10,000", "10k", "1.5 lakh", "rs 500", "ten thousand", "a lakh". */
export function readQuantity(items: Item[], i: number): Quantity | null {
  let k = i;
  let money = false;
  if (has(items[k], 'currency')) {
    money = true;
    k++;
    if (items[k]?.words === '.') k++;
  }
  const item = items[k];
  if (!item) return null;
  let value: number | undefined;
  let scaled = false;
  let factor = 1;
  if (item.token?.type === 'number' && !/^(st|nd|rd|th|%)$/.test(item.token.suffix ?? '') && !suffixUnit[(item.token.suffix ?? '').replace('+', '')]) {
    value = item.token.value!;
    const suffix = (item.token.suffix ?? '').replace('+', '');
    if (suffixScale[suffix]) {
      value *= suffixScale[suffix];
      factor *= suffixScale[suffix];
      scaled = true;
    }
  } else if (sense(item, 'number')) {
    // "a"/"an" are numbers only before a scale ("a lakh"); other number words stand alone.
    const n = sense(item, 'number')!.value;
    if ((item.words === 'a' || item.words === 'an') && !has(items[k + 1], 'scale')) return null;
    value = n;
    // "twenty five"
    const next = sense(items[k + 1], 'number');
    if (next && n >= 20 && n % 10 === 0 && next.value < 10 && !['a', 'an'].includes(items[k + 1].words)) {
      value += next.value;
      k++;
    }
  }
  if (value === undefined) return null;
  k++;
  while (has(items[k], 'scale')) {
    value *= sense(items[k], 'scale')!.factor;
    factor *= sense(items[k], 'scale')!.factor;
    scaled = true;
    k++;
  }
  if (has(items[k], 'currency')) {
    money = true;
    k++;
  }
  // "Rs 5,000/-": the Indian way of closing an amount.
  if (items[k]?.words === '/' && items[k + 1]?.words === '-') k += 2;
  return { value: round2(value), money: money || scaled, length: k - i, factor };
}

/** A period at items[i]: "90 days", "3 months", "a year", "six weeks", "90d", "a fortnight". */
export function readPeriod(items: Item[], i: number): Period | null {
  const item = items[i];
  if (!item) return null;
  const glued = item.token?.type === 'number' ? suffixUnit[item.token.suffix ?? ''] : undefined;
  if (glued) return { amount: item.token!.value!, unit: glued, length: 1 };
  const alone = sense(item, 'period');
  if (alone?.amount) return { amount: alone.amount, unit: alone.unit, length: 1 };
  let k = i;
  let amount: number | undefined;
  if (item.words === 'a' || item.words === 'an' || item.words === 'one') {
    amount = 1;
    k++;
  } else {
    const q = readQuantity(items, i);
    if (!q || q.money) return null;
    amount = q.value;
    k += q.length;
  }
  if (items[k]?.words === 'more' || items[k]?.words === 'full') k++;
  const unit = sense(items[k], 'period');
  if (!unit) {
    // "a year" written "1 yr" is covered above; a lone "a" before "fortnight": "a fortnight".
    return null;
  }
  return { amount: amount * (unit.amount ?? 1), unit: unit.unit, length: k - i + 1 };
}

const iso = (y: number, m: number, d: number) => `${y}-${String(m + 1).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
const lastDayOf = (y: number, m: number) => new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
const isYear = (item: Item | undefined) => item?.token?.type === 'number' && !item.token.suffix && /^\d{4}$/.test(item.token.text) && item.token.value! >= 1990 && item.token.value! <= 2100;
const dayNumber = (item: Item | undefined) => {
  const t = item?.token;
  if (!t || t.type !== 'number' || !Number.isInteger(t.value) || t.value! < 1 || t.value! > 31) return undefined;
  return !t.suffix || /^(st|nd|rd|th)$/.test(t.suffix) ? t.value : undefined;
};

/**
 * A calendar date at items[i], resolved against `today` (YYYY-MM-DD where the business is): "1 March", "March 1st
 * 2025", "2026-03-01", "March", "March 2025", "2025", "this month", "last year", "the start of March", "the end of
 * last month". A month or year without a year is the latest one not after today.
 */
export function readDaySpan(items: Item[], i: number, today: string): DaySpan | null {
  const [ty, tm, td] = today.split('-').map(Number);
  const item = items[i];
  if (!item) return null;
  const edge = sense(item, 'edge');
  if (edge) {
    let k = i + 1;
    if (items[k]?.words === 'the') k++;
    const inner = readDaySpan(items, k, today);
    if (!inner) return null;
    const day = edge.edge === 'start' ? inner.first : inner.last;
    return { first: day, last: day, length: k - i + inner.length, day: true };
  }
  if (item.token?.type === 'date') {
    const d = item.token.norm;
    return Number.isNaN(Date.parse(d)) ? null : { first: d, last: d, length: 1, day: true };
  }
  // "Q1 2025", "the first quarter of 2025": three months; without a year, the latest such quarter begun by today.
  const quarter = sense(item, 'quarter');
  if (quarter) {
    const yearGiven = isYear(items[i + 1]);
    const first = quarter.quarter * 3;
    const year = yearGiven ? items[i + 1].token!.value! : latestYear(first, 1, ty, tm, td);
    return { first: iso(year, first, 1), last: iso(year, first + 2, lastDayOf(year, first + 2)), length: yearGiven ? 2 : 1, day: false };
  }
  const calendar = sense(item, 'calendar');
  if (calendar) return { ...calendarSpan(calendar.which, ty, tm - 1, td), length: 1, day: calendar.which === 'today' || calendar.which === 'yesterday' };
  // "1 March [2025]", "1st of March"
  const d0 = dayNumber(item);
  if (d0 !== undefined) {
    let k = i + 1;
    if (items[k]?.words === 'of') k++;
    const month = sense(items[k], 'month');
    if (!month) return null;
    k++;
    const year = isYear(items[k]) ? items[k++].token!.value! : latestYear(month.month, d0, ty, tm, td);
    if (d0 > lastDayOf(year, month.month)) return null;
    return { first: iso(year, month.month, d0), last: iso(year, month.month, d0), length: k - i, day: true };
  }
  const month = sense(item, 'month');
  if (month) {
    let k = i + 1;
    const d = dayNumber(items[k]);
    const dayGiven = d !== undefined && !isYear(items[k]);
    if (dayGiven) k++;
    if (items[k]?.words === ',' ) k++;
    let year: number;
    if (isYear(items[k])) year = items[k++].token!.value!;
    else {
      if (items[k - 1]?.words === ',') k--;
      year = latestYear(month.month, dayGiven ? d! : 1, ty, tm, td);
    }
    if (dayGiven) {
      if (d! > lastDayOf(year, month.month)) return null;
      return { first: iso(year, month.month, d!), last: iso(year, month.month, d!), length: k - i, day: true };
    }
    return { first: iso(year, month.month, 1), last: iso(year, month.month, lastDayOf(year, month.month)), length: k - i, day: false };
  }
  if (isYear(item)) {
    const y = item.token!.value!;
    return { first: iso(y, 0, 1), last: iso(y, 11, 31), length: 1, day: false };
  }
  return null;
}

function latestYear(month: number, day: number, ty: number, tm: number, td: number) {
  return month + 1 > tm || (month + 1 === tm && day > td) ? ty - 1 : ty;
}

function calendarSpan(which: string, y: number, m: number, d: number): { first: string; last: string } {
  const day = (offset: number) => new Date(Date.UTC(y, m, d + offset)).toISOString().slice(0, 10);
  switch (which) {
    case 'today': return { first: day(0), last: day(0) };
    case 'yesterday': return { first: day(-1), last: day(-1) };
    case 'this_month': return { first: iso(y, m, 1), last: day(0) };
    case 'last_month': {
      const py = m === 0 ? y - 1 : y;
      const pm = (m + 11) % 12;
      return { first: iso(py, pm, 1), last: iso(py, pm, lastDayOf(py, pm)) };
    }
    case 'this_year': return { first: iso(y, 0, 1), last: day(0) };
    case 'last_year': return { first: iso(y - 1, 0, 1), last: iso(y - 1, 11, 31) };
    case 'this_quarter': return { first: iso(y, Math.floor(m / 3) * 3, 1), last: day(0) };
    case 'last_quarter': {
      const q = Math.floor(m / 3) * 3 - 3;
      const qy = q < 0 ? y - 1 : y;
      const qm = (q + 12) % 12;
      return { first: iso(qy, qm, 1), last: iso(qy, qm + 2, lastDayOf(qy, qm + 2)) };
    }
    default: {
      // Weeks start on Monday.
      const weekday = (new Date(Date.UTC(y, m, d)).getUTCDay() + 6) % 7;
      return which === 'this_week' ? { first: day(-weekday), last: day(0) } : { first: day(-weekday - 7), last: day(-weekday - 1) };
    }
  }
}

/** The day before a YYYY-MM-DD day: "since 1 March" (1 March included) is "after 28 February". */
export function dayBefore(day: string) {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

/** Whole days in a period, for conditions counted in days ("bought in the last 3 months" → 91 days). */
export function periodDays(p: { amount: number; unit: PeriodUnit }) {
  return p.unit === 'days' ? p.amount : p.unit === 'weeks' ? p.amount * 7 : Math.round(p.amount * (p.unit === 'years' ? 365.25 : 30.4375));
}
