const formats = new Map<string, Intl.NumberFormat>();

/** An amount as people of the CRM's currency write it: ₹1,00,000 for rupees, $100,000 for dollars. */
export function formatMoney(amount: number | string, currency: string): string {
  let format = formats.get(currency);
  if (!format) {
    format = new Intl.NumberFormat(currency === 'INR' ? 'en-IN' : 'en-US', { style: 'currency', currency, minimumFractionDigits: 0, maximumFractionDigits: 2 });
    formats.set(currency, format);
  }
  return format.format(Number(amount));
}

/** The sign of the currency as people write it: ₹ for INR, $ for USD. */
export function currencySymbol(currency: string): string {
  return new Intl.NumberFormat(currency === 'INR' ? 'en-IN' : 'en-US', { style: 'currency', currency }).formatToParts(0).find((p) => p.type === 'currency')?.value ?? currency;
}
