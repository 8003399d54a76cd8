import type { webApi } from '@slack/bolt';
import { systemActor } from '../../auth/actor.js';
import type { CampaignsService } from '../../crm/campaigns/campaigns.service.js';
import type { Sql } from '../../db/sql.js';
import type { CrmEventsListener } from '../../events/crm-events-listener.js';
import type { CrmEvents } from '../../events/crm-events.js';
import { logger } from '../../logging/logger.js';
import { reportBlocks } from './slack-report-blocks.js';

/**
 * Posts a campaign's report into every Slack thread it was launched or followed from, once its attribution window
 * has closed. Each server process hears the event; one of them takes the threads, so each thread gets the report once.
 */
export class SlackReportPoster {
  private readonly unsubscribe: () => void;

  constructor(private readonly client: webApi.WebClient, private readonly sql: Sql, private readonly campaigns: CampaignsService, listener: CrmEventsListener) {
    this.unsubscribe = listener.subscribe((envelope) => {
      if (envelope.event !== 'campaign.report') return;
      const { campaignId } = envelope.data as CrmEvents['campaign.report'];
      void this.post(campaignId).catch((error) => logger.warn('slack report not posted', { campaignId, reason: (error as Error).message }));
    });
  }

  private async post(campaignId: number) {
    // The threads are taken under a lock while the report is posted, and let go only once it is: a failed post
    // leaves them for the next announcement, and another server process skips them meanwhile.
    await this.sql.transaction(async (client) => {
      const threads = (await client.query<{ channel: string; threadTs: string }>(
        `select channel, thread_ts as "threadTs" from slack_campaign_threads where campaign_id = $1 for update skip locked`, [campaignId],
      )).rows;
      if (!threads.length) return;
      const report = await this.campaigns.report(systemActor('slack'), campaignId);
      for (const thread of threads) {
        await this.client.chat.postMessage({ channel: thread.channel, thread_ts: thread.threadTs, text: `What "${report.name}" earned`, blocks: reportBlocks(report) });
        await client.query(`delete from slack_campaign_threads where campaign_id = $1 and channel = $2 and thread_ts = $3`, [campaignId, thread.channel, thread.threadTs]);
      }
    });
  }

  stop() {
    this.unsubscribe();
  }
}
