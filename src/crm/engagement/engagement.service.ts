import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { Config } from '../../config/config.schema.js';
import { CONFIG } from '../../config/config.token.js';
import { Sql } from '../../db/sql.js';
import { unsubscribeKey } from '../consent/unsubscribe-link.js';
import { messageLinks, readShortTrackingToken, readTrackingToken } from './tracking-link.js';
import { EventBatch } from './event-batch.js';
import { logger } from '../../logging/logger.js';

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
   * Opens and clicks are written through a pool of their own whose commits do not wait for the disk, a batch at a
   * time: the busiest writes of the CRM (every reader of every email) cost neither a disk flush nor a wait each.
   */
  private readonly events: Sql;
  private readonly batch: EventBatch;
  // Each message's links, read once: a frozen message never changes. Reads of several messages go in one statement.
  private readonly links = new Map<number, Promise<string[] | null>>();
  private wanted = new Map<number, ((links: string[] | null) => void)[]>();
  private reading?: NodeJS.Timeout;

  constructor(private readonly sql: Sql, @Inject(CONFIG) private readonly config: Config) {
    this.events = new Sql(sql.url, { max: 8, asyncCommit: true, statementTimeoutMs: 10_000 });
    this.batch = new EventBatch(this.events, { tooSoonSeconds: TOO_SOON_MS / 1000, burstLinks: CLICK_BURST.links, burstSeconds: CLICK_BURST.withinMs / 1000 });
  }

  async onModuleDestroy() {
    clearTimeout(this.reading);
    await this.batch.flush();
    await this.events.close();
  }

  /** Waits until every open and click received so far is stored (reports read them from the database). */
  settled() {
    return this.batch.flush();
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
    await this.batch.add({ logId: target.logId, kind: 'open', link: null, machineAgent: this.machine(userAgent), userAgent: userAgent.slice(0, 300), at: new Date() });
  }

  /**
   * Records a click (of an email link, or of a text's short link when `short`) and returns where the link goes, or
   * null when the token names no link of a message. The token's MAC already proves the link position was made for
   * that very (frozen) message; the destination is read from the message itself.
   */
  async click(token: string, userAgent = '', short = false): Promise<string | null> {
    const target = await this.target(token, short);
    if (!target || target.link === null) return null;
    const destination = (await this.linksOf(target.logId))?.[target.link] ?? null;
    if (destination) await this.batch.add({ logId: target.logId, kind: 'click', link: target.link, machineAgent: this.machine(userAgent), userAgent: userAgent.slice(0, 300), at: new Date() });
    return destination;
  }

  private linksOf(logId: number): Promise<string[] | null> {
    let links = this.links.get(logId);
    if (!links) {
      links = new Promise<string[] | null>((resolve) => this.wanted.set(logId, [...(this.wanted.get(logId) ?? []), resolve]));
      this.links.set(logId, links);
      // A bounded cache: the oldest messages are forgotten first.
      if (this.links.size > 50_000) this.links.delete(this.links.keys().next().value!);
      this.reading ??= setTimeout(() => void this.readLinks(), 2);
    }
    return links;
  }

  private async readLinks() {
    this.reading = undefined;
    const wanted = this.wanted;
    this.wanted = new Map();
    try {
      const rows = await this.events.rows<{ id: number; message: string }>(`select id, message from communication_logs where id = any($1::bigint[])`, [[...wanted.keys()]]);
      const found = new Map(rows.map((r) => [r.id, messageLinks(r.message)]));
      for (const [id, waiting] of wanted) for (const resolve of waiting) resolve(found.get(id) ?? null);
    } catch (error) {
      // Not kept: the next click reads again.
      for (const [id, waiting] of wanted) { this.links.delete(id); for (const resolve of waiting) resolve(null); }
      logger.warn('tracked links not read', { reason: (error as Error).message });
    }
  }
}
