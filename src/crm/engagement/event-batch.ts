import { logger } from '../../logging/logger.js';
import type { Sql } from '../../db/sql.js';

/** One open or click as the tracking address received it; whether a machine made it is settled when written. */
export interface TrackedEvent { logId: number; kind: 'open' | 'click'; link: number | null; machineAgent: boolean; userAgent: string; at: Date }

const FLUSH_MS = 10;
const MAX_BATCH = 1000;
// More than this waiting and callers wait for the writes (back-pressure) instead of the backlog growing in memory.
const MAX_WAITING = 20_000;

/**
 * Opens and clicks written a batch at a time: one insert every few milliseconds instead of one per request, so the
 * tracking addresses answer without waiting for PostgreSQL. The insert settles the machine flags as one request
 * at a time would: too soon after the message was handed over, or one of several different links of the message
 * clicked within a moment (counting the clicks already stored and those earlier in the same batch). An event waits
 * in memory at most FLUSH_MS; a crash in that moment loses it, which no report would notice.
 */
export class EventBatch {
  private pending: TrackedEvent[] = [];
  private timer?: NodeJS.Timeout;
  private writing: Promise<void> = Promise.resolve();
  private waiting = 0;

  constructor(private readonly sql: Sql, private readonly rules: { tooSoonSeconds: number; burstLinks: number; burstSeconds: number }) {}

  /** Queues an event; resolves at once, or once the backlog is written when PostgreSQL falls behind. */
  async add(event: TrackedEvent) {
    this.pending.push(event);
    this.waiting++;
    if (this.waiting > MAX_WAITING) return this.flush();
    if (this.pending.length >= MAX_BATCH) this.flushSoon(0);
    else this.flushSoon(FLUSH_MS);
  }

  private flushSoon(ms: number) {
    if (this.timer && ms > 0) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => { this.timer = undefined; void this.flush(); }, ms);
  }

  /** Writes what is waiting; resolves once everything added before the call is in the database. */
  flush(): Promise<void> {
    const batch = this.pending.splice(0);
    // Batches are written one after another, so a click's earlier clicks are always stored before it is judged.
    this.writing = this.writing.then(async () => {
      if (!batch.length) return;
      await this.write(batch);
      this.waiting -= batch.length;
    });
    return this.writing;
  }

  private async write(batch: TrackedEvent[]) {
    const { tooSoonSeconds, burstLinks, burstSeconds } = this.rules;
    await this.sql.query(
      `with b as (
         select * from unnest($1::bigint[], $2::text[], $3::int[], $4::bool[], $5::text[], $6::timestamptz[]) with ordinality as x(log_id, kind, link, agent, ua, at, n)
       )
       insert into message_events (log_id, campaign_id, kind, link_index, machine, user_agent, at)
       select b.log_id, l.campaign_id, b.kind, b.link,
         b.agent or (l.sent_at is not null and b.at - l.sent_at < make_interval(secs => $7))
           or (b.kind = 'click' and (select count(distinct k) from (
                 select e.link_index as k from message_events e where e.log_id = b.log_id and e.kind = 'click' and e.at > b.at - make_interval(secs => $8) and e.link_index <> b.link
                 union select y.link from b y where y.log_id = b.log_id and y.kind = 'click' and y.n < b.n and y.at > b.at - make_interval(secs => $8) and y.link <> b.link) z) + 1 >= $9),
         b.ua, b.at
       from b join communication_logs l on l.id = b.log_id
       order by b.n`,
      [batch.map((e) => e.logId), batch.map((e) => e.kind), batch.map((e) => e.link), batch.map((e) => e.machineAgent), batch.map((e) => e.userAgent), batch.map((e) => e.at),
        tooSoonSeconds, burstSeconds, burstLinks],
    ).catch((error) => logger.warn('opens and clicks not recorded', { events: batch.length, reason: (error as Error).message }));
  }
}
