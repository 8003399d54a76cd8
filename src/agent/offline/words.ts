// The small vocabulary the offline model reads numbers, money, periods and dates with.

const smallNumbers: Record<string, number> = {
  a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, fifteen: 15, twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, ninety: 90, hundred: 100,
};

/** A count or amount in digits or words: "3", "1,200", "2.5", "three". */
export const NUMBER = String.raw`(\d[\d,]*(?:\.\d+)?|${Object.keys(smallNumbers).join('|')})`;

export function readNumber(text: string): number {
  const word = smallNumbers[text.toLowerCase()];
  return word ?? Number(text.replace(/,/g, ''));
}

const scales: Record<string, number> = { k: 1e3, thousand: 1e3, lakh: 1e5, lakhs: 1e5, lac: 1e5, lacs: 1e5, crore: 1e7, crores: 1e7, cr: 1e7, m: 1e6, mn: 1e6, million: 1e6 };

/** Money as people write it: "10k", "₹10,000", "rs 500", "1.5 lakh", "INR 2,000". Groups: number, scale. */
export const AMOUNT = String.raw`(?:₹|rs\.?|inr|\$|£|€)?\s*${NUMBER}\s*(k|thousand|lakhs?|lacs?|crores?|cr|mn|m|million)?\b(?:\s*(?:rupees|rs\.?|inr))?`;

export function readAmount(number: string, scale?: string): number {
  return Math.round(readNumber(number) * (scale ? scales[scale.toLowerCase()] : 1) * 100) / 100;
}

/** A period: "90 days", "3 months", "a year", "six weeks". Groups: number, unit. */
export const PERIOD = String.raw`${NUMBER}\s*(days?|d|weeks?|wks?|months?|mos?|years?|yrs?)\b`;

export type PeriodUnit = 'days' | 'weeks' | 'months';

export function readPeriod(number: string, unit: string): { amount: number; unit: PeriodUnit } {
  const amount = readNumber(number);
  const u = unit.toLowerCase();
  if (u.startsWith('y')) return { amount: amount * 12, unit: 'months' };
  if (u.startsWith('m')) return { amount, unit: 'months' };
  if (u.startsWith('w')) return { amount, unit: 'weeks' };
  return { amount, unit: 'days' };
}

/** Whole days in a period, for "days since the last order". */
export function periodDays(p: { amount: number; unit: PeriodUnit }) {
  return p.unit === 'days' ? p.amount : p.unit === 'weeks' ? p.amount * 7 : Math.round(p.amount * 30.4375);
}

/** How a comparison is said, from the words before the number (and "or more" after it). */
export const COMPARISON = String.raw`(more than|over|above|greater than|exceeding|upwards of|in excess of|at least|no less than|not less than|a minimum of|minimum of|min\.?|less than|fewer than|under|below|lower than|at most|no more than|not more than|up to|a maximum of|maximum of|max\.?|exactly|only|just|>=|<=|≥|≤|>|<|=)?`;

export type NumberOp = 'gt' | 'gte' | 'lt' | 'lte' | 'eq';

export function readComparison(words: string | undefined, after?: string): NumberOp {
  const w = (words ?? '').toLowerCase().replace(/\s+/g, ' ');
  const tail = (after ?? '').toLowerCase();
  if (/or more|\+|and up|or above|or over/.test(tail)) return 'gte';
  if (/or (?:less|fewer)|or below|or under/.test(tail)) return 'lte';
  if (/^(more than|over|above|greater than|exceeding|upwards of|in excess of|>)$/.test(w)) return 'gt';
  if (/^(at least|no less than|not less than|a minimum of|minimum of|min\.?|>=|≥)$/.test(w)) return 'gte';
  if (/^(less than|fewer than|under|below|lower than|<)$/.test(w)) return 'lt';
  if (/^(at most|no more than|not more than|up to|a maximum of|maximum of|max\.?|<=|≤)$/.test(w)) return 'lte';
  return 'eq';
}
