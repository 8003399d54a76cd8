import type { webApi } from '@slack/bolt';
import type { Sql } from '../../db/sql.js';
import type { CrmEventsListener } from '../../events/crm-events-listener.js';
import type { CrmEvents } from '../../events/crm-events.js';
import { logger } from '../../logging/logger.js';
import { statsBlocks, type CampaignFigures } from './slack-blocks.js';

const UPDATE_EVERY_MS = 1000;

/**
 * Campaign figures posted in Slack, kept current in place (chat.update) as delivery receipts arrive. Updates are
 * at most one a second per campaign across all server processes (the messages are kept in the database, and the
 * process that claims an update makes it), and the last figures always land, so a finished campaign reads "completed".
 */
export class SlackStatsBoard {
  private readonly waiting = new Map<number, CrmEvents['campaign.progress']>();
  private readonly timers = new Map<number, NodeJS.Timeout>();
  private readonly unsubscribe: () => void;

  constructor(private readonly client: webApi.WebClient, listener: CrmEventsListener, private readonly sql: Sql) {
    this.unsubscribe = listener.subscribe((envelope) => {
      if (envelope.event !== 'campaign.progress') return;
      const progress = envelope.data as CrmEvents['campaign.progress'];
      this.schedule(progress);
    });
  }

  /** Posts the figures into a thread and follows them from then on. */
  async post(channel: string, threadTs: string, name: string, campaignId: number, figures: CampaignFigures) {
    const sent = await this.client.chat.postMessage({ channel, thread_ts: threadTs, text: `${name}: ${figures.status}`, blocks: statsBlocks(name, campaignId, figures) });
    if (!sent.ts) return;
    // Remembered in the database: the report is posted here days later, perhaps by another server process.
    await this.sql.query(`insert into slack_campaign_threads (campaign_id, channel, thread_ts) values ($1, $2, $3) on conflict do nothing`, [campaignId, channel, threadTs]);
    await this.sql.query(`insert into slack_stats_messages (campaign_id, channel, ts, name) values ($1, $2, $3, $4) on conflict do nothing`, [campaignId, channel, sent.ts, name]);
  }

  private schedule(progress: CrmEvents['campaign.progress']) {
    this.waiting.set(progress.campaignId, progress);
    if (this.timers.has(progress.campaignId)) return;
    this.timers.set(progress.campaignId, setTimeout(() => void this.flush(progress.campaignId), UPDATE_EVERY_MS).unref());
  }

  private async flush(campaignId: number) {
    this.timers.delete(campaignId);
    const progress = this.waiting.get(campaignId);
    this.waiting.delete(campaignId);
    if (!progress) return;
    // Claimed in the database: another process that updated this message within the second leaves it be — except
    // the final figures, which every process writes so that they land whoever heard them.
    const done = ['completed', 'cancelled'].includes(progress.status);
    const messages = await this.sql.rows<{ channel: string; ts: string; name: string }>(
      `update slack_stats_messages set updated_at = now() where campaign_id = $1 and ($2 or updated_at < now() - make_interval(secs => $3)) returning channel, ts, name`,
      [campaignId, done, (UPDATE_EVERY_MS - 100) / 1000],
    ).catch((error: Error) => { logger.warn('slack stats claim failed', { campaignId, reason: error.message }); return null; });
    // Another process updated these messages within the second (or the database did not answer): these figures wait
    // their turn instead of being dropped, unless newer ones came meanwhile.
    if (!messages || !messages.length && !done) {
      if (!this.waiting.has(campaignId) && (await this.followed(campaignId))) this.schedule(progress);
      return;
    }
    for (const message of messages) {
      await this.client.chat.update({ channel: message.channel, ts: message.ts, text: `${message.name}: ${progress.status}`, blocks: statsBlocks(message.name, campaignId, progress) })
        .catch((error: Error) => logger.warn('slack stats update failed', { campaignId, reason: error.message }));
    }
    if (done) await this.sql.query(`delete from slack_stats_messages where campaign_id = $1`, [campaignId]).catch(() => undefined);
  }

  /** Whether any process posted this campaign's figures in Slack (and they are not final yet). */
  private async followed(campaignId: number) {
    return (await this.sql.rows(`select 1 from slack_stats_messages where campaign_id = $1 limit 1`, [campaignId]).catch(() => [])).length > 0;
  }

  stop() {
    this.unsubscribe();
    for (const timer of this.timers.values()) clearTimeout(timer);
  }
}
