import { Inject, Injectable } from '@nestjs/common';
import type { Config } from '../../config/config.schema.js';
import { CONFIG } from '../../config/config.token.js';
import { Sql } from '../../db/sql.js';
import { unsubscribeKey } from '../consent/unsubscribe-link.js';
import { messageLinks, readTrackingToken } from './tracking-link.js';

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
export class EngagementService {
  private key?: Promise<string>;

  constructor(private readonly sql: Sql, @Inject(CONFIG) private readonly config: Config) {}

  private async target(token: string) {
    this.key ??= unsubscribeKey(this.sql, this.config.UNSUBSCRIBE_SECRET);
    return readTrackingToken(await this.key, token);
  }

  private machine(userAgent: string, sentAt: Date | null) {
    return MACHINE_AGENT.test(userAgent.trim()) || (sentAt !== null && Date.now() - sentAt.getTime() < TOO_SOON_MS);
  }

  /** Records an open of the message the token names; a token that is not ours records nothing. */
  async open(token: string, userAgent = '') {
    const target = await this.target(token);
    if (!target || target.link !== null) return;
    await this.sql.query(
      `insert into message_events (log_id, kind, machine, user_agent)
       select l.id, 'open', $2 or (l.sent_at is not null and now() - l.sent_at < make_interval(secs => $3)), $4
       from communication_logs l where l.id = $1`,
      [target.logId, this.machine(userAgent, null), TOO_SOON_MS / 1000, userAgent.slice(0, 300)],
    );
  }

  /** Records a click and returns where the link goes, or null when the token names no link of a message. */
  async click(token: string, userAgent = ''): Promise<string | null> {
    const target = await this.target(token);
    if (!target || target.link === null) return null;
    const row = (await this.sql.rows<{ message: string; sentAt: Date | null; burst: number }>(
      `select l.message, l.sent_at as "sentAt",
         (select count(distinct e.link_index) from message_events e where e.log_id = l.id and e.kind = 'click'
            and e.at > now() - make_interval(secs => $2) and e.link_index <> $3) as burst
       from communication_logs l where l.id = $1`,
      [target.logId, CLICK_BURST.withinMs / 1000, target.link],
    ))[0];
    const destination = row ? messageLinks(row.message)[target.link] : undefined;
    if (!destination) return null;
    const machine = this.machine(userAgent, row.sentAt) || row.burst + 1 >= CLICK_BURST.links;
    await this.sql.query(
      `insert into message_events (log_id, kind, link_index, machine, user_agent) values ($1, 'click', $2, $3, $4)`,
      [target.logId, target.link, machine, userAgent.slice(0, 300)],
    );
    return destination;
  }
}
