import type { webApi } from '@slack/bolt';
import { systemActor } from '../../auth/actor.js';
import type { CampaignsService } from '../../crm/campaigns/campaigns.service.js';
import type { Sql } from '../../db/sql.js';
import type { CrmEventsListener } from '../../events/crm-events-listener.js';
import type { CrmEvents } from '../../events/crm-events.js';
import { logger } from '../../logging/logger.js';
import { reportBlocks } from './slack-report-blocks.js';

// A thread Slack keeps refusing (an archived channel, say) is given up after this many posts.
const MAX_ATTEMPTS = 3;

/**
 * Posts a campaign's report into every Slack thread it was launched or followed from, once its attribution window
 * has closed. Each server process hears the event; one of them takes each thread, so each thread gets the report once.
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
    const threads = await this.sql.rows<{ channel: string; threadTs: string }>(
      `select channel, thread_ts as "threadTs" from slack_campaign_threads where campaign_id = $1 and attempts < $2`, [campaignId, MAX_ATTEMPTS],
    );
    if (!threads.length) return;
    const report = await this.campaigns.report(systemActor('slack'), campaignId);
    for (const thread of threads) {
      // Each thread is taken on its own (another process that took it first posts it), and put back, one attempt
      // more, when Slack does not take the post: it is tried again with the next announcement, a few times at most.
      const taken = await this.sql.rows<{ attempts: number }>(
        `delete from slack_campaign_threads where campaign_id = $1 and channel = $2 and thread_ts = $3 returning attempts`, [campaignId, thread.channel, thread.threadTs],
      );
      if (!taken.length) continue;
      try {
        await this.client.chat.postMessage({ channel: thread.channel, thread_ts: thread.threadTs, text: `What "${report.name}" earned`, blocks: reportBlocks(report) });
      } catch (error) {
        await this.sql.query(`insert into slack_campaign_threads (campaign_id, channel, thread_ts, attempts) values ($1, $2, $3, $4) on conflict do nothing`,
          [campaignId, thread.channel, thread.threadTs, taken[0].attempts + 1]);
        throw error;
      }
    }
  }

  stop() {
    this.unsubscribe();
  }
}
