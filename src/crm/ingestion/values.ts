// Cell values from files: exact amounts, whole quantities, and dates in ISO form or a given format.

export class CellError extends Error {
  /** The field at fault, when the code that found the problem knows it better than the row's current step. */
  constructor(message: string, readonly field?: string) {
    super(message);
  }
}

const AMOUNT = /^-?\d{1,15}(\.\d{1,3})?$/;

/** "1,299.50", "₹1299.5", " 12 " → "1299.50" style decimal strings; thousands separators and currency signs are dropped. */
export function parseAmount(raw: string): string {
  const cleaned = raw.trim().replace(/^[₹$£€]|,/g, '').replace(/^(-?)[₹$£€]/, '$1');
  if (!AMOUNT.test(cleaned)) throw new CellError(`"${clip(raw)}" is not an amount`);
  return cleaned;
}

export function parseQuantity(raw: string): number {
  const cleaned = raw.trim();
  if (!/^-?\d{1,7}$/.test(cleaned)) throw new CellError(`"${clip(raw)}" is not a whole number`);
  return Number(cleaned);
}

/**
 * A copy of a string that does not point into the text it was cut from. V8 keeps a whole chunk of the file alive for
 * any slice of it that lives on; keys held for the whole import (invoice numbers, dates) are detached with this.
 */
export const detach = (s: string): string => JSON.parse(JSON.stringify(s));

export const clip = (s: string, n = 40) => (s.length > n ? `${s.slice(0, n)}…` : s);

export type DateParser = (raw: string) => Date;

function build(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, ms = 0, offsetMinutes = 0): Date | null {
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return null;
  const time = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  const date = new Date(time);
  // Date.UTC rolls 30 February over to March; a date that does not survive the round trip does not exist.
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return new Date(time - offsetMinutes * 60_000);
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/;

/** ISO 8601 dates and times; without a zone they are UTC. */
export function isoDateParser(): DateParser {
  return (raw) => {
    const m = ISO.exec(raw.trim());
    const offset = m?.[8] && m[8] !== 'Z' ? (m[8][0] === '-' ? -1 : 1) * (Number(m[8].slice(1, 3)) * 60 + Number(m[8].slice(-2))) : 0;
    const date = m && build(+m[1], +m[2], +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0), Number((m[7] ?? '0').padEnd(3, '0').slice(0, 3)), offset);
    if (!date) throw new CellError(m ? `"${clip(raw)}" is not a real date` : `"${clip(raw)}" is not a date in ISO form (2026-03-01 or 2026-03-01T10:30:00Z); set another with --date-format`);
    return date;
  };
}

const TOKENS: Record<string, string> = { YYYY: '(?<Y>\\d{4})', MM: '(?<M>\\d{2})', M: '(?<M>\\d{1,2})', DD: '(?<D>\\d{2})', D: '(?<D>\\d{1,2})', HH: '(?<h>\\d{2})', H: '(?<h>\\d{1,2})', mm: '(?<m>\\d{2})', ss: '(?<s>\\d{2})' };

/** A format such as "DD/MM/YYYY HH:mm" or "M/D/YYYY H:mm"; a time part may be missing from a value. */
export function formatDateParser(format: string): DateParser {
  const parts = format.split(/(YYYY|MM|M|DD|D|HH|H|mm|ss)/).filter(Boolean);
  if (!parts.some((p) => p === 'YYYY') || !parts.some((p) => p.startsWith('M')) || !parts.some((p) => p.startsWith('D'))) {
    throw new CellError(`--date-format "${format}" needs YYYY, M or MM, and D or DD (and may have HH, mm, ss)`);
  }
  const pattern = parts.map((p) => TOKENS[p] ?? p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('');
  const timeStart = parts.findIndex((p) => p === 'HH' || p === 'H');
  const dateOnly = timeStart > 0 ? parts.slice(0, timeStart).join('').trim() : null;
  const full = new RegExp(`^${pattern}$`);
  const short = dateOnly ? new RegExp(`^${parts.slice(0, timeStart).map((p) => TOKENS[p] ?? p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('').trimEnd()}$`) : null;
  return (raw) => {
    const text = raw.trim();
    const g = (full.exec(text) ?? short?.exec(text))?.groups;
    const date = g && build(+g.Y, +g.M, +g.D, +(g.h ?? 0), +(g.m ?? 0), +(g.s ?? 0));
    if (!date) throw new CellError(g ? `"${clip(raw)}" is not a real date` : `"${clip(raw)}" does not match the date format ${format}`);
    return date;
  };
}

/**
 * Remembers answers for the values a file repeats: an export has a few thousand distinct timestamps and prices over
 * hundreds of thousands of lines. A value that fails is not remembered (it throws every time, naming its line).
 */
export function memoised<T>(parse: (raw: string) => T): (raw: string) => T {
  const memo = new Map<string, T>();
  return (raw) => {
    let value = memo.get(raw);
    if (value === undefined) {
      value = parse(raw);
      if (memo.size > 100_000) memo.clear();
      memo.set(detach(raw), value);
    }
    return value;
  };
}
