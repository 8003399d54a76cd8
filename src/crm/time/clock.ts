/** Where "now" comes from. Relative rules ("within the last 90 days") read it, so tests can fix the day. */
export type Clock = () => Date;
export const systemClock: Clock = () => new Date();

export const DAY_MS = 86_400_000;
export const periodUnits = ['days', 'weeks', 'months'] as const;
export type PeriodUnit = (typeof periodUnits)[number];

/** The instant `amount` units before `now`; months are calendar months, so "3 months ago" from 31 May is 2 or 3 March. */
export function periodBefore(now: Date, amount: number, unit: PeriodUnit): Date {
  if (unit === 'days') return new Date(now.getTime() - amount * DAY_MS);
  if (unit === 'weeks') return new Date(now.getTime() - amount * 7 * DAY_MS);
  const d = new Date(now.getTime());
  d.setUTCMonth(d.getUTCMonth() - amount);
  return d;
}

/** Nest token under which the clock is provided; tests give a fixed one. */
export const CLOCK = Symbol('clock');
