import type { Queryable, Sql } from '../../db/sql.js';
import { workOffStale } from './attributions.js';
import { compareGroups, type GroupResult, type Lift } from './lift.js';
import { variantLabel, type AbDecision, type AbMetric } from './ab-decision.js';
import { variantResults } from '../campaigns/ab-winner.js';
import type { AbTestDefinition } from '../campaigns/ab-test.js';

export interface CampaignReport {
  campaignId: number;
  attributionDays: number;
  holdoutPercent: number;
  /** Customers in each group, those who ordered in the window, their orders and revenue. */
  sent: GroupResult & { orders: number };
  holdout: GroupResult & { orders: number };
  /** Messages whose window is still open: later orders may still count. */
  windowOpen: boolean;
  /**
   * Delivered → opened → clicked, counting each message once and leaving out opens and clicks made by machines
   * (counted apart). A click counts as an open too: many mail programs block images.
   */
  engagement: { tracking: boolean; delivered: number; opened: number; clicked: number; openRate: number | null; clickRate: number | null; machineOpens: number; machineClicks: number };
  lift: Lift;
  /** The A/B test: each version's recipients and successes by the test's metric, and the decision once made. */
  abTest: AbTestReport | null;
}

export interface AbTestReport {
  metric: AbMetric; testPercent: number; decideAt: string | null; decidedAt: string | null;
  variants: { label: string; subject: string | null; recipients: number; successes: number; rate: number | null }[];
  winner: string | null; significant: boolean | null; sentence: string;
}

async function abTestReport(db: Queryable, campaignId: number, attributionDays: number): Promise<AbTestReport | null> {
  const { rows: [test] } = await db.query<{ variants: AbTestDefinition['variants']; metric: AbMetric; testPercent: number; decideAt: Date | null; decidedAt: Date | null; decision: AbDecision | null }>(
    `select variants, metric, test_percent::float8 as "testPercent", decide_at as "decideAt", decided_at as "decidedAt", decision from campaign_ab_tests where campaign_id = $1`,
    [campaignId],
  );
  if (!test) return null;
  const results = await variantResults(db, campaignId, test, attributionDays);
  const sentence = test.decision?.sentence
    ?? `Running: the ${test.metric} so far are ${results.map((r, i) => `${variantLabel(i)} ${r.successes} of ${r.recipients}`).join(', ')}; the winner is chosen${test.decideAt ? ` at ${test.decideAt.toISOString()}` : ' after launch'}.`;
  return {
    metric: test.metric, testPercent: test.testPercent, decideAt: test.decideAt?.toISOString() ?? null, decidedAt: test.decidedAt?.toISOString() ?? null,
    variants: results.map((r, i) => ({ label: variantLabel(i), subject: test.variants[i]?.subject ?? null, ...r, rate: r.recipients ? Math.round((r.successes / r.recipients) * 1e4) / 1e4 : null })),
    winner: test.decision ? variantLabel(test.decision.winner) : null, significant: test.decision?.significant ?? null, sentence,
  };
}

/**
 * What a campaign earned. A recipient converts with an order placed within `attributionDays` after their message was
 * handed over (and before any later message to them, which then claims the order: the latest message wins); a
 * member of the control group converts with an order within the same days after launch. Orders that count are
 * purchases (pending or completed; refunds and cancellations do not). Read from the attributions kept as orders and
 * messages change (see attributions.ts), after bringing this campaign's marked members up to date, so the report is
 * the orders as they are now: a late import changes it.
 */
export async function campaignReport(sql: Sql, campaignId: number, defaults: { attributionDays: number }): Promise<CampaignReport | null> {
  const { rows: [campaign] } = await sql.query<{ days: number | null; percent: number | null; tracking: boolean; open: boolean }>(
    `select attribution_days as days, holdout_percent::float8 as percent, tracking,
       coalesce((select max(sent_at) from communication_logs where campaign_id = $1), launched_at) + make_interval(days => coalesce(attribution_days, $2)) > now() as open
     from campaigns where id = $1`, [campaignId, defaults.attributionDays],
  );
  if (!campaign) return null;
  const days = campaign.days ?? defaults.attributionDays;
  // Orders and messages changed since their last reading: this campaign's members are brought up to date first.
  await workOffStale(sql, defaults.attributionDays, { members: campaignId });
  const { rows: [r] } = await sql.query<{ sent: number; held: number; converted: number; orders: number; revenue: string; heldConverted: number; heldOrders: number; heldRevenue: string }>(
    `select (select count(*) from communication_logs where campaign_id = $1 and status in ('sent', 'delivered')) as sent,
       (select count(*) from campaign_holdouts where campaign_id = $1) as held,
       count(distinct a.customer_id) as converted, count(a.*) as orders, coalesce(sum(a.total), 0)::text as revenue,
       (select count(distinct customer_id) from holdout_orders where campaign_id = $1) as "heldConverted",
       (select count(*) from holdout_orders where campaign_id = $1) as "heldOrders",
       (select coalesce(sum(total), 0)::text from holdout_orders where campaign_id = $1) as "heldRevenue"
     from order_attributions a where a.campaign_id = $1`,
    [campaignId],
  );
  const sent = { customers: r.sent, converted: r.converted, orders: r.orders, revenue: Number(r.revenue) };
  const holdout = { customers: r.held, converted: r.heldConverted, orders: r.heldOrders, revenue: Number(r.heldRevenue) };
  const { rows: [e] } = await sql.query<{ opened: number; clicked: number; machineOpens: number; machineClicks: number }>(
    `select count(distinct log_id) filter (where not machine) as opened,
       count(distinct log_id) filter (where kind = 'click' and not machine) as clicked,
       count(*) filter (where kind = 'open' and machine) as "machineOpens",
       count(*) filter (where kind = 'click' and machine) as "machineClicks"
     from message_events where campaign_id = $1`,
    [campaignId],
  );
  const delivered = sent.customers;
  const rate = (n: number) => (delivered ? Math.round((n / delivered) * 10_000) / 10_000 : null);
  return {
    campaignId, attributionDays: days, holdoutPercent: campaign.percent ?? 0, sent, holdout,
    windowOpen: campaign.open, lift: compareGroups(sent, holdout), abTest: await abTestReport(sql, campaignId, days),
    engagement: { tracking: campaign.tracking, delivered, ...e, openRate: rate(e.opened), clickRate: rate(e.clicked) },
  };
}
