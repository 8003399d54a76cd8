import type { Sql } from '../../db/sql.js';
import type { EventBus } from '../../events/crm-events.js';
import { logger } from '../../logging/logger.js';
import { deliveryCounts } from '../campaigns/campaign-stats.js';

const THROTTLE_MS = 250;

/**
 * Announces `campaign.progress` for campaigns whose messages changed. Many batches a second touch the same
 * campaign, so each campaign is counted at most four times a second; the last change is always announced.
 */
export class CampaignProgress {
  private readonly waiting = new Map<number, NodeJS.Timeout>();

  constructor(private readonly sql: Sql, private readonly events?: EventBus) {}

  touch(campaignIds: Iterable<number>) {
    if (!this.events) return;
    for (const id of campaignIds) {
      if (this.waiting.has(id)) continue;
      this.waiting.set(id, setTimeout(() => {
        this.waiting.delete(id);
        void this.publish(id).catch((error) => logger.warn('campaign progress not published', { campaignId: id, reason: (error as Error).message }));
      }, THROTTLE_MS));
    }
  }

  async publish(campaignId: number) {
    const campaign = (await this.sql.rows<{ status: string; launchedBy: number | null; audienceSize: number | null }>(
      `select status, launched_by as "launchedBy", audience_size as "audienceSize" from campaigns where id = $1`, [campaignId],
    ))[0];
    if (!campaign) return;
    const counts = (await deliveryCounts(this.sql, [campaignId])).get(campaignId)!;
    await this.events!.publish('campaign.progress', campaign.launchedBy, { campaignId, status: campaign.status, ...counts });
  }

  stop() {
    for (const timer of this.waiting.values()) clearTimeout(timer);
    this.waiting.clear();
  }
}
