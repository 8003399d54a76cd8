import { CronExpressionParser } from 'cron-parser';
import { z } from 'zod';
import { BadInput } from '../errors.js';

const weekdays = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time such as "10:00"');

/** How often a recurring campaign runs, in the business's time zone: daily, weekly, monthly at a time, or a cron expression. */
export const recurrenceInput = z.union([
  z.object({ every: z.literal('day'), at: time }).strict(),
  z.object({ every: z.literal('week'), on: z.enum(weekdays), at: time }).strict(),
  z.object({ every: z.literal('month'), day: z.number().int().min(1).max(28).describe('1–28, so every month has it'), at: time }).strict(),
  z.object({ cron: z.string().trim().min(9).max(100).describe('Five fields: minute hour day-of-month month day-of-week, e.g. "0 10 * * 1" for Mondays at 10:00') }).strict(),
]);
export type Recurrence = z.output<typeof recurrenceInput>;

/** The cron expression a recurrence stands for. */
export function cronOf(r: Recurrence): string {
  if ('cron' in r) return r.cron;
  const [hour, minute] = r.at.split(':').map(Number);
  if (r.every === 'day') return `${minute} ${hour} * * *`;
  if (r.every === 'week') return `${minute} ${hour} * * ${weekdays.indexOf(r.on)}`;
  return `${minute} ${hour} ${r.day} * *`;
}

/**
 * The next `count` run times after `from`, in the zone (daylight-saving days handled by the cron library: a time
 * the clock skips runs at the next time that exists, a repeated one once). Refused with a sentence: an expression
 * that does not parse, one that never comes round (30 February), and one that runs more than once an hour.
 */
export function nextRuns(cron: string, zone: string, from: Date, count: number): Date[] {
  let expression;
  try {
    if (cron.trim().split(/\s+/).length !== 5) throw new Error('it needs five fields: minute hour day-of-month month day-of-week');
    expression = CronExpressionParser.parse(cron, { currentDate: from, tz: zone, strict: false });
  } catch (error) {
    throw new BadInput([{ path: 'schedule', message: `"${cron}" is not a schedule this CRM can run: ${(error as Error).message}` }]);
  }
  const runs: Date[] = [];
  for (let i = 0; i < Math.max(count, 2); i++) {
    try {
      runs.push(expression.next().toDate());
    } catch {
      break;
    }
  }
  if (!runs.length) throw new BadInput([{ path: 'schedule', message: `"${cron}" never comes round` }]);
  if (runs.length > 1 && runs[1].getTime() - runs[0].getTime() < 3_600_000) throw new BadInput([{ path: 'schedule', message: `"${cron}" runs more than once an hour; a recurring campaign runs at most hourly` }]);
  return runs.slice(0, count);
}
