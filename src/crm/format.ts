// How the CRM writes figures for people, on every surface (server replies, Slack, MCP, the web app, which imports
// this file): money in the CRM's currency, counts grouped as that currency's people group them, and dates as
// "3 Dec 2026" in the business time zone. Only Intl, so the web bundle can take it as it is.

// en-US writes other currencies plainly ($100, £100, €100), where en-GB would write US$100.
const localeOf = (currency: string) => (currency === 'INR' ? 'en-IN' : 'en-US');
const moneyFormats = new Map<string, Intl.NumberFormat>();
const countFormats = new Map<string, Intl.NumberFormat>();

/** An amount as people of the CRM's currency write it: ₹1,00,000 for rupees, $100,000 for dollars (paise and cents kept unless `whole`). */
export function formatMoney(amount: number | string, currency: string, whole = false): string {
  const key = `${currency}:${whole}`;
  let format = moneyFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(localeOf(currency), { style: 'currency', currency, minimumFractionDigits: 0, maximumFractionDigits: whole ? 0 : 2 });
    moneyFormats.set(key, format);
  }
  return format.format(Number(amount));
}

/** An amount short enough for a chart's bar or axis: ₹4.9L and ₹1.2Cr for rupees, $490K and $1.2M for dollars. */
export function formatMoneyShort(amount: number | string, currency: string): string {
  return new Intl.NumberFormat(localeOf(currency), { style: 'currency', currency, notation: 'compact', maximumFractionDigits: 1 }).format(Number(amount));
}

/** A count of things: 1,00,000 customers in India, 100,000 elsewhere. */
export function formatCount(value: number | string, currency = 'INR'): string {
  let format = countFormats.get(currency);
  if (!format) {
    format = new Intl.NumberFormat(localeOf(currency), { maximumFractionDigits: 0 });
    countFormats.set(currency, format);
  }
  return format.format(Number(value));
}

/** A day as people write it, "3 Dec 2026", in the given time zone. */
export function formatDate(value: Date | string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone }).format(new Date(value));
}

/** A calendar day written as YYYY-MM-DD (no time, so no time zone), as people write it: "3 Dec 2026". */
export function formatDay(day: string): string {
  return formatDate(`${day.slice(0, 10)}T12:00:00Z`, 'UTC');
}

/** A month written as YYYY-MM, as people write it: "Dec 2026". */
export function formatMonth(month: string): string {
  return new Intl.DateTimeFormat('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${month.slice(0, 7)}-15T12:00:00Z`));
}

/** A moment, "3 Dec 2026, 14:05", in the given time zone. */
export function formatDateTime(value: Date | string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }).format(new Date(value));
}

/** The sign of the currency as people write it: ₹ for INR, $ for USD. */
export function currencySymbol(currency: string): string {
  return new Intl.NumberFormat(localeOf(currency), { style: 'currency', currency }).formatToParts(0).find((p) => p.type === 'currency')?.value ?? currency;
}
