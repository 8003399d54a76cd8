import type { webApi } from '@slack/bolt';
import type { Sql } from '../../db/sql.js';
import type { CrmEventsListener } from '../../events/crm-events-listener.js';
import type { CrmEvents } from '../../events/crm-events.js';
import { formatCount } from '../../crm/format.js';
import { logger } from '../../logging/logger.js';
import { section } from './slack-blocks.js';

/**
 * Posts each run of a recurring campaign in SLACK_RUNS_CHANNEL (how many it sent, or why it stopped at a cap), and each
 * journey's notices (a stop, a day's work). Every server process hears them; the first to mark one posted posts it,
 * so it appears once.
 */
export class SlackRunsPoster {
  private readonly unsubscribe: () => void;

  constructor(private readonly client: webApi.WebClient, private readonly sql: Sql, private readonly channel: string, listener: CrmEventsListener) {
    this.unsubscribe = listener.subscribe((envelope) => {
      const posted = envelope.event === 'automation.run' ? this.post(envelope.data as CrmEvents['automation.run'])
        : envelope.event === 'journey.notice' ? this.postNotice(envelope.data as CrmEvents['journey.notice']) : null;
      void posted?.catch((error) => logger.warn('slack run not posted', { reason: (error as Error).message }));
    });
  }

  private async post(run: CrmEvents['automation.run']) {
    const claimed = await this.sql.query(
      `update automation_runs set slack_posted_at = now() where automation_id = $1 and campaign_id = $2 and slack_posted_at is null`, [run.automationId, run.campaignId],
    );
    if (!claimed.rowCount) return;
    const text = run.status === 'sent'
      ? `Recurring campaign *${run.name}* sent to ${formatCount(run.recipients)} customers (campaign ${run.campaignId}).`
      : `:warning: Recurring campaign *${run.name}* stopped and sent nothing: ${run.reason}. It is paused until someone resumes it or changes its caps.`;
    await this.client.chat.postMessage({ channel: this.channel, text: text.replace(/\*/g, ''), blocks: [section(text)] });
  }

  private async postNotice(notice: CrmEvents['journey.notice']) {
    const claimed = await this.sql.query(
      `update journey_notices set slack_posted_at = now() where automation_id = $1 and key = $2 and slack_posted_at is null`, [notice.automationId, notice.key],
    );
    if (!claimed.rowCount) return;
    await this.client.chat.postMessage({ channel: this.channel, text: notice.text.replace(/\*/g, ''), blocks: [section(notice.text)] });
  }

  stop() {
    this.unsubscribe();
  }
}
