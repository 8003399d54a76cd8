import type { Queryable } from '../../db/sql.js';
import { PURCHASED } from '../segments/rule-compiler.js';
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
 * purchases (pending or completed; refunds and cancellations do not). Computed from the orders as they are now, so
 * late imports change the report.
 */
export async function campaignReport(db: Queryable, campaignId: number, defaults: { attributionDays: number }): Promise<CampaignReport | null> {
  const { rows: [campaign] } = await db.query<{ launchedAt: Date | null; days: number | null; percent: number | null; tracking: boolean }>(
    `select launched_at as "launchedAt", attribution_days as days, holdout_percent::float8 as percent, tracking from campaigns where id = $1`, [campaignId],
  );
  if (!campaign) return null;
  const days = campaign.days ?? defaults.attributionDays;
  const { rows } = await db.query<{ grp: 'sent' | 'holdout'; customers: number; converted: number; orders: number; revenue: string; open: boolean }>(
    `with members as (
       select 'sent' as grp, m.customer_id, coalesce(m.sent_at, m.created_at) as at from communication_logs m
       where m.campaign_id = $1 and m.status in ('sent', 'delivered')
       union all
       select 'holdout', h.customer_id, k.launched_at from campaign_holdouts h join campaigns k on k.id = h.campaign_id where h.campaign_id = $1
     ), outcome as (
       select g.grp, g.customer_id, g.at, count(o.id) as orders, coalesce(sum(o.total), 0) as revenue
       from members g
       left join orders o on o.customer_id = g.customer_id and o.placed_at > g.at and o.placed_at <= g.at + make_interval(days => $2)
         and ${PURCHASED}
         and (g.grp = 'holdout' or not exists (
           select 1 from communication_logs later where later.customer_id = g.customer_id and later.campaign_id <> $1
             and later.status in ('sent', 'delivered') and coalesce(later.sent_at, later.created_at) > g.at
             and coalesce(later.sent_at, later.created_at) < o.placed_at))
       group by g.grp, g.customer_id, g.at
     )
     select grp, count(*) as customers, count(*) filter (where orders > 0) as converted, coalesce(sum(orders), 0) as orders,
       coalesce(sum(revenue), 0)::text as revenue, bool_or(at + make_interval(days => $2) > now()) as open
     from outcome group by grp`,
    [campaignId, days],
  );
  const group = (name: 'sent' | 'holdout') => {
    const r = rows.find((x) => x.grp === name);
    return { customers: r?.customers ?? 0, converted: r?.converted ?? 0, orders: Number(r?.orders ?? 0), revenue: Number(r?.revenue ?? 0) };
  };
  const [sent, holdout] = [group('sent'), group('holdout')];
  const { rows: [e] } = await db.query<{ delivered: number; opened: number; clicked: number; machineOpens: number; machineClicks: number }>(
    `select (select count(*) from communication_logs where campaign_id = $1 and status in ('sent', 'delivered')) as delivered,
       count(distinct e.log_id) filter (where not e.machine) as opened,
       count(distinct e.log_id) filter (where e.kind = 'click' and not e.machine) as clicked,
       count(*) filter (where e.kind = 'open' and e.machine) as "machineOpens",
       count(*) filter (where e.kind = 'click' and e.machine) as "machineClicks"
     from message_events e join communication_logs l on l.id = e.log_id where l.campaign_id = $1`,
    [campaignId],
  );
  const rate = (n: number) => (e.delivered ? Math.round((n / e.delivered) * 10_000) / 10_000 : null);
  return {
    campaignId, attributionDays: days, holdoutPercent: campaign.percent ?? 0, sent, holdout,
    windowOpen: rows.some((r) => r.open), lift: compareGroups(sent, holdout), abTest: await abTestReport(db, campaignId, days),
    engagement: { tracking: campaign.tracking, ...e, openRate: rate(e.opened), clickRate: rate(e.clicked) },
  };
}
