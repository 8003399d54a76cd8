import { has, sense, type Item } from './items.js';
import type { Op, PeriodUnit, Prep } from './lexicon.js';
import { readDaySpan, readPeriod, readQuantity, type DaySpan, type Period, type Quantity } from './quantities.js';

/**
 * A figure in a request with the words around it that say how it is meant: "over 10k", "between 2 and 4",
 * "in the last 90 days", "more than 3 months ago", "since 1 March", "twice". Found once over the whole request,
 * before it is split into clauses, so the "and" of "between 5k and 20k" is not taken for a join.
 */
export type Value =
  | { kind: 'quantity'; q: Quantity; op?: Op; upper?: Quantity; unit: boolean }
  | { kind: 'period'; p: Period; op?: Op; recent: boolean; ago: boolean; prep?: Prep }
  | { kind: 'span'; span: DaySpan; prep?: Prep; until?: DaySpan }
  | { kind: 'times'; n: number; op?: Op };

export interface Found { value: Value; from: number; to: number }

const rangeJoin = (item: Item | undefined) => !!item && ['and', 'to', '-', '–', '—', '&', 'till', 'until', 'through', 'thru'].includes(item.words);

/** Every value in the items, left to right; each item belongs to at most one. */
export function findValues(items: Item[], today: string): Found[] {
  const found: Found[] = [];
  // "Not ordered in 30 days but ordered in the last 90": a period without its unit takes the one said before it.
  let unit: PeriodUnit = 'days';
  for (let i = 0; i < items.length; i++) {
    // A campaign's number is its name, not a figure: "received campaign 12".
    if (items[i].used || ['campaign', '#', 'campaigns'].includes(items[i - 1]?.words ?? '')) continue;
    const v = valueAt(items, i, today, unit);
    if (v) {
      if (v.value.kind === 'period') unit = v.value.p.unit;
      found.push(v);
      i = v.to - 1;
    }
  }
  return found;
}

function valueAt(items: Item[], i: number, today: string, lastUnit: PeriodUnit): Found | null {
  // The words before the figure: a preposition, "last"/"past", a comparison — in any order, skipping "the".
  let j = i;
  let prep: Prep | undefined;
  let op: Op | undefined;
  let recent = false;
  let each = false;
  for (let guard = 0; guard < 6 && j < items.length; guard++) {
    const item = items[j];
    if (item.words === 'the' || item.words === 'of' && (prep || op)) { j++; continue; }
    // "In both 2025 and 2026" is each year, not the two years as one stretch.
    if (item.words === 'both' || item.words === 'either') { each = true; j++; continue; }
    const p = sense(item, 'prep');
    const c = sense(item, 'cmp');
    if (has(item, 'recent') && !sense(item, 'calendar')) { recent = true; j++; continue; }
    if (p && !prep && !op && !has(item, 'month')) { prep = p.prep; j++; continue; }
    if (c && !c.after && !op) { op = c.op; j++; continue; }
    break;
  }
  if (j >= items.length || items[j].used) return null;
  // Ranges: "between 2 and 4 orders", "from 5k to 20k", "between March and May 2025".
  const between = prep === 'between' || prep === 'since' && !op;
  // "In the last year", "over the past month": a unit alone after "last" is one of it.
  const unitAlone = recent && sense(items[j], 'period');
  const period = readPeriod(items, j) ?? (unitAlone ? { amount: unitAlone.amount ?? 1, unit: unitAlone.unit, length: 1 } : null);
  if (period) {
    let k = j + period.length;
    let ago = false;
    let after: Op | undefined;
    for (let guard = 0; guard < 3 && k < items.length; guard++) {
      if (sense(items[k], 'prep')?.prep === 'ago') { ago = true; k++; continue; }
      const c = items[k].senses.find((x) => x.kind === 'cmp' && x.after) as { op: Op } | undefined;
      if (c && items[k + 1]?.words !== 'than') { after = c.op; k++; continue; }
      if (items[k].words === 'or' && (items[k + 1]?.words === 'longer' || items[k + 1]?.words === 'more')) { after = 'gte'; k += 2; continue; }
      break;
    }
    const glued = items[j].token?.suffix?.includes('+');
    // "Over the past month", "within the last 6 months": a time in which something happened, not a comparison.
    if (recent && !ago && (op === 'gt' || op === 'lte') && !after) return { value: { kind: 'period', p: period, recent, ago, prep: 'in' }, from: i, to: k };
    return { value: { kind: 'period', p: period, op: after ?? (glued ? 'gte' : op), recent, ago, prep }, from: i, to: k };
  }
  // "Between 10 and 20 November", "between the 10th and the 20th of October": the first day takes the second's month.
  if (between && items[j].token?.type === 'number' && rangeJoin(items[j + 1])) {
    const skip = items[j + 2]?.words === 'the' ? 1 : 0;
    const second = readDaySpan(items, j + 2 + skip, today);
    const d = items[j].token!.value!;
    if (second?.day && Number.isInteger(d) && d >= 1 && d <= 31) {
      const first = `${second.first.slice(0, 8)}${String(d).padStart(2, '0')}`;
      if (first <= second.first && !Number.isNaN(Date.parse(first))) {
        return { value: { kind: 'span', span: { first, last: first, length: 1, day: true }, prep: 'between', until: second }, from: i, to: j + 2 + skip + second.length };
      }
    }
  }
  const span = readDaySpan(items, j, today);
  // A year alone is a year only after a word of time ("in 2025", "since 2024"), never after a comparison ("over 2000").
  const yearAlone = span && span.length === 1 && items[j].token?.type === 'number';
  if (span && !(yearAlone && (op || !prep))) {
    let k = j + span.length;
    let until: DaySpan | undefined;
    if ((between || prep === 'in' || prep === 'during' as Prep) && !each && rangeJoin(items[k])) {
      const second = readDaySpan(items, k + 1, today);
      if (second) {
        until = second;
        k += 1 + second.length;
      }
    }
    // "March to May 2025", "between 1 Jan and 31 Mar 2025": the first takes the year written once, with the second
    // (the year before, when that would put it after the second: "1 Dec and 31 Jan 2026").
    if (until && until.first.slice(0, 4) !== span.first.slice(0, 4) && !/\d{4}/.test(items.slice(j, j + span.length).map((x) => x.words).join(' '))) {
      const sameYear = `${until.first.slice(0, 4)}${span.first.slice(4)}`;
      const year = sameYear <= until.first ? until.first.slice(0, 4) : String(Number(until.first.slice(0, 4)) - 1);
      span.first = `${year}${span.first.slice(4)}`;
      span.last = `${year}${span.last.slice(4)}`;
    }
    // "last_order_date < 2026-03-01", "created_at >= 2026-01-01": a comparison before a date says which side of it.
    const byOp: Prep | undefined = op === 'lt' ? 'before' : op === 'gt' ? 'after' : op === 'gte' ? 'since' : op === 'lte' ? 'until' : undefined;
    const side: Prep | undefined = byOp && (!prep || ['at', 'on', 'in'].includes(prep)) ? byOp : prep;
    return { value: { kind: 'span', span, prep: side, until }, from: i, to: k };
  }
  if (recent) {
    const bare = readQuantity(items, j);
    const after = items[j + (bare?.length ?? 0)];
    if (bare && !bare.money && !has(after, 'unit') && !has(after, 'period')) {
      return { value: { kind: 'period', p: { amount: bare.value, unit: lastUnit, length: bare.length }, op, recent, ago: false, prep }, from: i, to: j + bare.length };
    }
  }
  const times = sense(items[j], 'times');
  if (times) {
    let k = j + 1;
    const c = sense(items[k], 'cmp');
    let after: Op | undefined;
    if (c?.after) { after = c.op; k++; }
    return { value: { kind: 'times', n: times.value, op: after ?? op }, from: i, to: k };
  }
  const q = readQuantity(items, j);
  if (q) {
    let k = j + q.length;
    if (items[j].token?.suffix === '%') return null;
    let upper: Quantity | undefined;
    if (rangeJoin(items[k]) && (between || !op)) {
      const second = readQuantity(items, k + 1);
      if (second && (between || items[k].words !== 'and')) {
        upper = second;
        k += 1 + second.length;
        // "5-10k", "between 2 and 5 lakh": a scale written once applies to both ends.
        if (second.factor > 1 && q.factor === 1 && q.value * second.factor <= second.value) Object.assign(q, { value: q.value * second.factor, money: true });
      }
    }
    let after: Op | undefined;
    const glued = [items[j], items[j + q.length - 1]].some((x) => x.token?.suffix?.includes('+'));
    // "10k or more", but not "3 orders and less than 10", where the comparison starts the next figure.
    // "… or more", but not "5 orders and over 5k", where "and over" starts the next figure.
    const tail = (x: number) => (items[x + 1]?.words === 'than' || /^(and|or) /.test(items[x]?.words ?? '') && (items[x + 1]?.token?.type === 'number' || has(items[x + 1], 'currency') || has(items[x + 1], 'number'))
      ? undefined : (items[x]?.senses.find((c) => c.kind === 'cmp' && c.after) as { op: Op } | undefined)?.op ?? (/^(exactly|precisely)$/.test(items[x]?.words ?? '') ? 'eq' : undefined));
    for (let guard = 0; guard < 2 && k < items.length; guard++) {
      const c = tail(k);
      if (c) { after = c; k++; continue; }
      break;
    }
    let unit = false;
    if (has(items[k], 'unit') || items[k]?.words === 'order' || items[k]?.words === 'purchase' || items[k]?.words === 'visit') {
      unit = true;
      k++;
      const c = tail(k);
      if (c) { after = c; k++; }
    }
    const money = q.money || !!upper?.money;
    return { value: { kind: 'quantity', q: { ...q, money }, op: after ?? (glued ? 'gte' : op), upper, unit }, from: prep && !between && !op && !unit ? j : i, to: k };
  }
  return null;
}
