import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { Config } from '../../config/config.schema.js';
import { CONFIG } from '../../config/config.token.js';
import { Sql } from '../../db/sql.js';
import { unsubscribeKey } from '../consent/unsubscribe-link.js';
import { messageLinks, readShortTrackingToken, readTrackingToken } from './tracking-link.js';

// Machines that fetch images or follow links on a person's behalf: mail security scanners, link checkers, scripts.
// (Gmail's and Yahoo's image proxies fetch when the person opens the email, so they count as opens.)
const MACHINE_AGENT = /bot|spider|crawl|scanner|preview|python|curl|wget|headless|phantom|safelinks|barracuda|proofpoint|mimecast|urldefense|symantec|trendmicro|^$/i;
// An open or click this soon after the message was handed over is a scanner at the receiving end, not a reader.
const TOO_SOON_MS = 10_000;
// Several different links clicked within a moment: a scanner that clicks everything.
const CLICK_BURST = { links: 3, withinMs: 2000 };

/**
 * Opens and clicks of campaign emails. The tokens name a message and a link position only; the destination is read
 * from the frozen message itself, so no one can make this CRM redirect anywhere else.
 */
@Injectable()
export class EngagementService implements OnModuleDestroy {
  private key?: Promise<string>;
  /**
   * Opens and clicks are written through a pool of their own whose commits do not wait for the disk: a database
   * crash may lose the last fraction of a second of them, which no report would notice, and each open or click
   * then costs no disk flush (the busiest writes of the CRM: every reader of every email).
   */
  private readonly events: Sql;

  constructor(private readonly sql: Sql, @Inject(CONFIG) private readonly config: Config) {
    this.events = new Sql(sql.url, { max: 8, asyncCommit: true, statementTimeoutMs: 10_000 });
  }

  async onModuleDestroy() {
    await this.events.close();
  }

  private async target(token: string, short = false) {
    // Read once; a failed read (the database away) is tried again next time rather than kept.
    this.key ??= unsubscribeKey(this.sql, this.config.UNSUBSCRIBE_SECRET).catch((error) => { this.key = undefined; throw error; });
    return short ? readShortTrackingToken(await this.key, token) : readTrackingToken(await this.key, token);
  }

  private machine(userAgent: string) {
    return MACHINE_AGENT.test(userAgent.trim());
  }

  /** Records an open of the message the token names; a token that is not ours records nothing. */
  async open(token: string, userAgent = '') {
    const target = await this.target(token);
    if (!target || target.link !== null) return;
    await this.events.query(
      `insert into message_events (log_id, kind, machine, user_agent)
       select l.id, 'open', $2 or (l.sent_at is not null and now() - l.sent_at < make_interval(secs => $3)), $4
       from communication_logs l where l.id = $1`,
      [target.logId, this.machine(userAgent), TOO_SOON_MS / 1000, userAgent.slice(0, 300)],
    );
  }

  /**
   * Records a click (of an email link, or of a text's short link when `short`) and returns where the link goes, or null when the token names no link of a message. One
   * statement: the token's MAC already proves the link position was made for that very (frozen) message.
   */
  async click(token: string, userAgent = '', short = false): Promise<string | null> {
    const target = await this.target(token, short);
    if (!target || target.link === null) return null;
    const row = (await this.events.rows<{ message: string }>(
      `with l as (select id, message, sent_at from communication_logs where id = $1),
       recorded as (
         insert into message_events (log_id, kind, link_index, machine, user_agent)
         select l.id, 'click', $2,
           $3 or (l.sent_at is not null and now() - l.sent_at < make_interval(secs => $4))
             or (select count(distinct e.link_index) from message_events e where e.log_id = l.id and e.kind = 'click'
                   and e.at > now() - make_interval(secs => $5) and e.link_index <> $2) + 1 >= $6,
           $7
         from l returning log_id)
       select l.message from l`,
      [target.logId, target.link, this.machine(userAgent), TOO_SOON_MS / 1000, CLICK_BURST.withinMs / 1000, CLICK_BURST.links, userAgent.slice(0, 300)],
    ))[0];
    return (row && messageLinks(row.message)[target.link]) ?? null;
  }
}
