import { z } from 'zod';
import { BadInput } from '../errors.js';
import { formatDateTime } from '../format.js';
import type { Queryable } from '../../db/sql.js';
import { PURCHASED, SqlParams } from '../segments/rule-compiler.js';
import { DAY_MS } from '../time/clock.js';
import { instantAt } from '../time/time-zone.js';

/** A customer needs this many orders before their own best hour is trusted over the shop's. */
export const MIN_ORDERS_FOR_OWN_HOUR = 3;
const MAX_AHEAD_DAYS = 365;

export const scheduleFields = {
  sendAt: z.string().trim().max(40).optional().describe('When to send: a local time where the business is ("2026-12-05 10:00") or an ISO time with its offset ("2026-12-05T10:00:00+05:30"); at once when not given'),
  bestHour: z.boolean().optional().describe("Send each customer at their own best hour (the hour they most often order, from 3 orders on; the shop's best hour otherwise), the first such hour after sendAt (or after launch)"),
};

/** The moment a plan asks to send at, checked: a real time, not in the past, at most a year ahead. */
export function readSendAt(text: string, zone: string, now: Date): Date {
  const local = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})$/.exec(text);
  const at = local ? instantAt(local[1], local[2], zone) : /[zZ]|[+-]\d{2}:?\d{2}$/.test(text) ? new Date(text) : new Date(NaN);
  const [y, mo, d] = (local?.[1] ?? text.slice(0, 10)).split('-').map(Number);
  const calendar = new Date(Date.UTC(y, mo - 1, d));
  if (Number.isNaN(at.getTime()) || calendar.getUTCMonth() !== mo - 1 || calendar.getUTCDate() !== d) {
    throw new BadInput([{ path: 'sendAt', message: `"${text}" is not a time: write a local time such as "2026-12-05 10:00" (${zone}) or an ISO time with its offset` }]);
  }
  // A minute's grace, for a plan made "now" and approved a moment later.
  if (at.getTime() < now.getTime() - 60_000) throw new BadInput([{ path: 'sendAt', message: `${formatDateTime(at, zone)} (${zone}) is in the past; it is now ${formatDateTime(now, zone)}` }]);
  if (at.getTime() > now.getTime() + MAX_AHEAD_DAYS * DAY_MS) throw new BadInput([{ path: 'sendAt', message: `${formatDateTime(at, zone)} is more than a year away; schedule it nearer the time` }]);
  return at;
}

/**
 * SQL for when customer `c` should get the message: the first moment at or after `from` when the business's clock
 * shows their best hour. Their hour is the one they most often order in (once they have MIN_ORDERS_FOR_OWN_HOUR
 * orders), else the shop's. Local midnight plus the hour is converted back through the zone, so daylight-saving
 * days come out right.
 */
export function bestHourSql(params: SqlParams, from: Date, zone: string, shopHour: number) {
  const z = `${params.add(zone)}::text`;
  const start = `${params.add(from)}::timestamptz`;
  const hour = `coalesce((select extract(hour from o.placed_at at time zone ${z})::int from orders o where o.customer_id = c.id and ${PURCHASED}
      and c.order_count >= ${MIN_ORDERS_FOR_OWN_HOUR} group by 1 order by count(*) desc, 1 limit 1), ${params.add(shopHour)}::int)`;
  const today = `((date_trunc('day', ${start} at time zone ${z}) + make_interval(hours => ${hour})) at time zone ${z})`;
  return `(case when ${today} >= ${start} then ${today} else ((date_trunc('day', ${start} at time zone ${z}) + interval '1 day' + make_interval(hours => ${hour})) at time zone ${z}) end)`;
}

/** The shop's best hour in the business's time zone: when most purchases of the last year were placed (10:00 with none). */
export const shopHourSql = `select coalesce((select extract(hour from o.placed_at at time zone $1)::int from orders o
  where ${PURCHASED} and o.placed_at > now() - interval '365 days' group by 1 order by count(*) desc, 1 limit 1), 10) as hour`;

/** When a campaign is sent, if not at once, and the sentence every surface shows for it. */
export interface Schedule { sendAt: string | null; bestHour: boolean; sentence: string }

/** A draft's schedule in words, checked again (a time that has passed since the draft was made is refused). */
export function scheduleOf(draft: { sendAt: Date | null; sendAtBestHour: boolean }, zone: string, now: Date): Schedule | null {
  if (!draft.sendAt && !draft.sendAtBestHour) return null;
  const at = draft.sendAt ? readSendAt(new Date(draft.sendAt).toISOString(), zone, now) : null;
  const when = at ? `${formatDateTime(at, zone)} (${zone})` : null;
  const sentence = draft.sendAtBestHour
    ? `Each customer gets it at their own best hour${when ? ` after ${when}` : ''}: the hour they most often order in (from ${MIN_ORDERS_FOR_OWN_HOUR} orders), the shop's best hour otherwise.`
    : `Sent at ${when}.`;
  return { sendAt: at?.toISOString() ?? null, bestHour: draft.sendAtBestHour, sentence: `${sentence} Until then it can be cancelled, and anyone who opts out before is skipped.` };
}

/**
 * A scheduled campaign's frozen messages wait: until the time approved (or now, if that passed while the approval
 * waited), or each until its customer's best hour after it. Returns when the first is due.
 */
export async function holdUntilDue(client: Queryable, campaignId: number, schedule: Schedule, zone: string): Promise<Date | null> {
  const from = new Date(Math.max(Date.now(), schedule.sendAt ? Date.parse(schedule.sendAt) : 0));
  if (schedule.bestHour) {
    const [{ hour }] = (await client.query<{ hour: number }>(shopHourSql, [zone])).rows;
    const params = new SqlParams();
    const due = bestHourSql(params, from, zone, hour);
    await client.query(
      `update communication_logs l set next_attempt_at = ${due} from customers c where c.id = l.customer_id and l.campaign_id = ${params.add(campaignId)} and l.status = 'queued'`,
      params.values,
    );
  } else {
    await client.query(`update communication_logs set next_attempt_at = $2 where campaign_id = $1 and status = 'queued'`, [campaignId, from]);
  }
  const [{ first }] = (await client.query<{ first: Date }>(`select min(next_attempt_at) as first from communication_logs where campaign_id = $1 and status = 'queued'`, [campaignId])).rows;
  return first;
}
