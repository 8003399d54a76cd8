// Calendar dates as people write them ("1 March", "March 1st", "2026-03-01", "March"), read in the business time zone.

const months = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const MONTH = String.raw`(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)`;

/** One date; groups are read by readDate. */
export const DATE = String.raw`(\d{4}-\d{2}-\d{2}|\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?${MONTH}(?:,?\s+\d{4})?|${MONTH}\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+\d{4})?|${MONTH}(?:\s+\d{4})?)`;

const monthIndex = (name: string) => months.findIndex((m) => m.startsWith(name.toLowerCase().slice(0, 3)));
const iso = (y: number, m: number, d: number) => `${y}-${String(m + 1).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

export interface CalendarDate {
  /** The first day the words can mean (YYYY-MM-DD). */
  first: string;
  /** The last day they can mean: the same day, or the month's last day when only a month was given. */
  last: string;
}

/**
 * Reads one date written as DATE matches. With no year, it is the latest such date not after today: in November,
 * "1 March" is this year's, in February it is last year's.
 */
export function readDate(text: string, today: string): CalendarDate | null {
  const t = text.toLowerCase().replace(/(\d)(st|nd|rd|th)\b/g, '$1').replace(/\bof\s+/, '').replace(',', '');
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) return Number.isNaN(Date.parse(t)) ? null : { first: t, last: t };
  const [ty, tm, td] = today.split('-').map(Number);
  const parts = t.split(/\s+/);
  let day: number | undefined;
  let month = -1;
  let year: number | undefined;
  for (const p of parts) {
    if (/^\d{4}$/.test(p)) year = Number(p);
    else if (/^\d{1,2}$/.test(p)) day = Number(p);
    else month = monthIndex(p);
  }
  if (month < 0) return null;
  if (year === undefined) year = month + 1 > tm || (month + 1 === tm && (day ?? 1) > td) ? ty - 1 : ty;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  if (day !== undefined) return day >= 1 && day <= lastDay ? { first: iso(year, month, day), last: iso(year, month, day) } : null;
  return { first: iso(year, month, 1), last: iso(year, month, lastDay) };
}

/** The day before a YYYY-MM-DD day, so that "since 1 March" (1 March included) can be said as "after 28 February". */
export function dayBefore(day: string) {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}
