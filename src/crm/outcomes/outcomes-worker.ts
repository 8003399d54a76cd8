import type { Config } from '../../config/config.schema.js';
import type { Sql } from '../../db/sql.js';
import type { EventBus } from '../../events/crm-events.js';
import { JobQueue, queueNames } from '../../jobs/job-queue.js';
import { logger } from '../../logging/logger.js';
import { decideDueTests } from '../campaigns/ab-winner.js';
import { demoShoppers, simulateShoppers } from './simulated-shoppers.js';
import { workOffStale } from './attributions.js';
import { ToolCallLog } from '../../audit/tool-calls.js';
import { forgetExpired } from '../../db/housekeeping.js';
import type { CampaignsService } from '../campaigns/campaigns.service.js';
import { runDueAutomations } from '../automations/automation-runner.js';
import { advanceEntries, enterByEvent, enterBySegment } from '../automations/journey-engine.js';
import { announceJourneyNotices, noteJourneyDays } from '../automations/journey-notices.js';

/**
 * Campaigns whose attribution window has closed (every message's window, counted from the last one delivered) and
 * whose report was not announced yet: each is claimed once and announced, so Slack can post the final figures.
 */
async function announceClosedReports(sql: Sql, events: EventBus, attributionDays: number) {
  const closed = await sql.rows<{ id: number; name: string; launchedBy: number | null }>(
    `update campaigns k set report_posted_at = now()
     where (k.report_posted_at is null and k.status = 'completed'
       and (select max(coalesce(l.sent_at, l.created_at)) from communication_logs l where l.campaign_id = k.id)
           + make_interval(days => coalesce(k.attribution_days, $1)) <= now())
       -- A report Slack did not take (it was down) is announced again ten minutes later, up to three attempts in all.
       or (k.report_posted_at < now() - interval '10 minutes' and exists (select 1 from slack_campaign_threads t where t.campaign_id = k.id and t.attempts between 1 and 2))
     returning k.id, k.name, k.launched_by as "launchedBy"`,
    [attributionDays],
  );
  for (const c of closed) await events.publish('campaign.report', c.launchedBy, { campaignId: c.id, name: c.name });
}

/** Campaigns the demo shop's simulated customers have not all answered yet: delivered by the simulator, in the demo shop. */
async function answerAsDemoShoppers(sql: Sql, config: Config) {
  const campaigns = await sql.rows<{ id: number }>(
    `select k.id from campaigns k
     where exists (select 1 from demo_shop) and k.launched_at is not null and (k.plan -> 'delivery' ->> 'real')::boolean is false
       and exists (select 1 from communication_logs l where l.campaign_id = k.id and l.status in ('sent', 'delivered')
                   and not exists (select 1 from demo_shopper_answers a where a.campaign_id = k.id and a.customer_id = l.customer_id))`,
  );
  for (const { id } of campaigns) {
    const answered = await simulateShoppers(sql, id, demoShoppers(config));
    logger.info('demo shoppers answered a campaign', { campaignId: id, ...answered });
  }
}

/**
 * What happens after a send, now and then, in one worker at a time (an advisory lock): recurring campaigns whose
 * time has come run; journeys take in who entered and move customers through their due steps; A/B tests whose deadline has come are decided and the winner queued for the rest; reports whose window closed are announced; and in the demo
 * shop, simulated customers answer campaigns the simulator delivered; and attributions of changed customers are
 * brought up to date.
 */
export function startOutcomesWorker(sql: Sql, queue: JobQueue, events: EventBus, config: Config, campaigns: CampaignsService) {
  let running = false;
  // Each part on its own: one that fails (a journey whose segment was deleted, say) is logged and does not hold up the rest.
  const step = async (what: string, work: () => Promise<unknown>) => {
    await work().catch((error) => logger.warn(`${what} not brought up to date`, { reason: (error as Error).message }));
  };
  const tick = async () => {
    await sql.transaction(async (client) => {
      const { rows: [lock] } = await client.query<{ locked: boolean }>(`select pg_try_advisory_xact_lock(hashtext('crm.outcomes')) as locked`);
      if (!lock.locked) return;
      await step('A/B tests', async () => {
        for (const decided of await decideDueTests(sql, config)) {
          logger.info('A/B test decided', { campaignId: decided.campaignId, winner: decided.decision.winner, significant: decided.decision.significant, queued: decided.queued });
          await queue.send(queueNames.deliveryDispatch, { campaignId: decided.campaignId }, `dispatch:${decided.campaignId}`);
        }
      });
      await step('recurring campaigns', () => runDueAutomations(sql, campaigns, events, config));
      // Journeys: who entered (from what changed since the last pass, and new events), then every due step.
      const ctx = { now: new Date(), zone: config.TIME_ZONE };
      await step('journey entries', async () => { await enterBySegment(sql, ctx, config); await enterByEvent(sql, config); });
      await step('journey steps', () => advanceEntries(sql, queue, config, ctx));
      await step('journey notices', async () => { await noteJourneyDays(sql, config); await announceJourneyNotices(sql, events); });
      if (config.DEMO_SHOPPERS) await step('demo shoppers', () => answerAsDemoShoppers(sql, config));
      // Attributions of customers whose orders or messages changed, a bounded amount a tick.
      await step('attributions', () => workOffStale(sql, config.ATTRIBUTION_DAYS, { max: 100_000 }));
      await step('closed reports', () => announceClosedReports(sql, events, config.ATTRIBUTION_DAYS));
      await step('old tool calls', () => new ToolCallLog(sql).prune(config.TOOL_CALLS_KEEP_DAYS));
      await step('expired grants and uploads', () => forgetExpired(sql));
    });
  };
  let current: Promise<void> | null = null;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    current = tick().catch((error) => logger.warn('campaign outcomes not brought up to date', { reason: (error as Error).message })).finally(() => { running = false; });
  }, config.OUTCOMES_SECONDS * 1000);
  timer.unref();
  // Stopping waits for a pass under way, so the database is not closed under it.
  return async () => {
    clearInterval(timer);
    await current;
  };
}
