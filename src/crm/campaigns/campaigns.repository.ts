import type { Queryable } from '../../db/sql.js';
import type { AbTestDefinition } from './ab-test.js';
import type { Channel } from './audience.js';
import type { CampaignPlan } from './campaigns.service.js';

export interface CampaignRow {
  id: number; name: string; description: string; channel: Channel; subject: string | null; preheader: string | null; template: string;
  holdoutPercent: number | null; attributionDays: number | null; tracking: boolean; rules: unknown; status: string;
  segmentId: number | null; segmentVersion: number | null; audienceSize: number | null; plan: CampaignPlan | null;
  createdBy: string | null; launchedBy: string | null; createdAt: string; launchedAt: string | null; completedAt: string | null;
  abTest: AbTestDefinition | null;
  sendAt: Date | null; sendAtBestHour: boolean;
}

const campaignColumns = `c.id, c.name, c.description, c.channel, c.subject, c.preheader, c.template,
  c.holdout_percent::float8 as "holdoutPercent", c.attribution_days as "attributionDays", c.tracking, c.rules, c.status, c.segment_id as "segmentId",
  c.segment_version as "segmentVersion", c.audience_size as "audienceSize", c.plan, cu.email as "createdBy", lu.email as "launchedBy",
  c.created_at as "createdAt", c.launched_at as "launchedAt", c.completed_at as "completedAt",
  (select jsonb_build_object('variants', t.variants, 'testPercent', t.test_percent::float8, 'metric', t.metric, 'hours', t.hours)
   from campaign_ab_tests t where t.campaign_id = c.id) as "abTest", c.send_at as "sendAt", c.send_at_best_hour as "sendAtBestHour"`;
const campaignFrom = `campaigns c left join users cu on cu.id = c.created_by left join users lu on lu.id = c.launched_by`;

export interface DraftFields {
  name: string; description: string; segmentId: number | null; segmentVersion: number | null; rules: unknown; channel: Channel;
  subject: string | null; preheader: string | null; template: string; createdBy: number | null; holdoutPercent: number | null;
  attributionDays: number | null; tracking: boolean; sendAt: Date | null; bestHour: boolean; automationId: number | null;
}

/**
 * Campaigns, their approvals and their A/B tests: fetch and store only. The statements that freeze an audience are
 * built from a compiled rule and stay with the service that compiles it.
 */
export const campaignsRepository = {
  async one(db: Queryable, id: number) {
    return (await db.query<CampaignRow>(`select ${campaignColumns} from ${campaignFrom} where c.id = $1`, [id])).rows[0] ?? null;
  },

  /** Newest first, before a campaign id when given. */
  async list(db: Queryable, limit: number, before: number | null) {
    return (await db.query<CampaignRow>(
      `select ${campaignColumns} from ${campaignFrom} where ($1::bigint is null or c.id < $1) order by c.created_at desc, c.id desc limit $2`, [before, limit],
    )).rows;
  },

  /** The ten commonest reasons the campaign's messages failed. */
  async failureReasons(db: Queryable, id: number) {
    return (await db.query<{ reason: string; count: number }>(
      `select coalesce(failure_reason, 'unknown') as reason, count(*) as count from communication_logs where campaign_id = $1 and status = 'failed' group by 1 order by 2 desc limit 10`, [id],
    )).rows;
  },

  async insertDraft(db: Queryable, d: DraftFields) {
    const { rows } = await db.query<{ id: number }>(
      `insert into campaigns (name, description, segment_id, segment_version, rules, channel, subject, preheader, template, created_by, holdout_percent, attribution_days, tracking, send_at, send_at_best_hour, automation_id)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) returning id`,
      [d.name, d.description, d.segmentId, d.segmentVersion, JSON.stringify(d.rules), d.channel, d.subject, d.preheader, d.template, d.createdBy,
        d.holdoutPercent, d.attributionDays, d.tracking, d.sendAt, d.bestHour, d.automationId],
    );
    return rows[0].id;
  },

  async insertAbTest(db: Queryable, campaignId: number, test: AbTestDefinition) {
    await db.query(`insert into campaign_ab_tests (campaign_id, variants, test_percent, metric, hours) values ($1, $2, $3, $4, $5)`,
      [campaignId, JSON.stringify(test.variants), test.testPercent, test.metric, test.hours]);
  },

  async insertApproval(db: Queryable, approval: { id: string; campaignId: number; plan: CampaignPlan; createdBy: number | null; expiresAt: Date }) {
    await db.query(`insert into campaign_approvals (id, campaign_id, plan, created_by, expires_at) values ($1, $2, $3, $4, $5)`,
      [approval.id, approval.campaignId, JSON.stringify(approval.plan), approval.createdBy, approval.expiresAt]);
  },

  async approvalPlan(db: Queryable, approvalId: string) {
    return ((await db.query<{ plan: CampaignPlan }>(`select plan from campaign_approvals where id = $1`, [approvalId])).rows[0]?.plan) ?? null;
  },

  /** An approval with its campaign's status and who used it, both locked until the transaction ends. */
  async lockApproval(db: Queryable, approvalId: string) {
    return (await db.query<{ plan: CampaignPlan; expiresAt: Date; redeemedAt: Date | null; redeemedBy: string | null; status: string; campaignId: number }>(
      `select a.plan, a.expires_at as "expiresAt", a.redeemed_at as "redeemedAt", u.email as "redeemedBy", c.status, c.id as "campaignId"
       from campaign_approvals a join campaigns c on c.id = a.campaign_id left join users u on u.id = a.redeemed_by
       where a.id = $1 for update of a, c`, [approvalId],
    )).rows[0] ?? null;
  },

  async redeemApproval(db: Queryable, approvalId: string, userId: number | null) {
    await db.query(`update campaign_approvals set redeemed_at = now(), redeemed_by = $2 where id = $1`, [approvalId, userId]);
  },

  /** The campaign as launched: sending, its audience, who launched it, and the plan it was launched from. */
  async markLaunched(db: Queryable, plan: CampaignPlan, launch: { audience: number; userId: number | null; holdoutPercent: number; attributionDays: number }) {
    await db.query(
      `update campaigns set status = 'sending', audience_size = $2, launched_by = $3, launched_at = now(), plan = $4,
         rules = $5, channel = $6, template = $7, subject = $8, preheader = $9, holdout_percent = $10, attribution_days = $11 where id = $1`,
      [plan.campaignId, launch.audience, launch.userId, JSON.stringify(plan), JSON.stringify(plan.rules), plan.channel, plan.template, plan.subject, plan.preheader,
        launch.holdoutPercent, launch.attributionDays],
    );
  },

  async markScheduled(db: Queryable, campaignId: number, sendAt: Date) {
    await db.query(`update campaigns set status = 'scheduled', send_at = $2 where id = $1`, [campaignId, sendAt]);
  },

  async lockStatus(db: Queryable, campaignId: number) {
    return (await db.query<{ status: string; sendAt: Date | null; bestHour: boolean }>(
      `select status, send_at as "sendAt", send_at_best_hour as "bestHour" from campaigns where id = $1 for update`, [campaignId],
    )).rows[0] ?? null;
  },

  /** Stops a campaign: messages not yet handed over are marked not sent; returns how many. */
  async cancel(db: Queryable, campaignId: number) {
    const stopped = await db.query(
      `update communication_logs set status = 'skipped', next_attempt_at = null, failure_reason = 'not sent: the campaign was cancelled'
       where campaign_id = $1 and status = 'queued'`, [campaignId],
    );
    await db.query(`delete from campaign_ab_remainder where campaign_id = $1`, [campaignId]);
    await db.query(`update campaign_ab_tests set decided_at = coalesce(decided_at, now()) where campaign_id = $1`, [campaignId]);
    await db.query(`update campaigns set status = 'cancelled', completed_at = now() where id = $1`, [campaignId]);
    return stopped.rowCount ?? 0;
  },

  async moveSchedule(db: Queryable, campaignId: number, first: Date, bestHour: boolean, schedule: unknown) {
    await db.query(`update campaigns set send_at = $2, send_at_best_hour = $3, plan = jsonb_set(plan, '{schedule}', $4::jsonb) where id = $1`,
      [campaignId, first, bestHour, JSON.stringify(schedule)]);
  },

  async setTestDeadline(db: Queryable, campaignId: number) {
    await db.query(`update campaign_ab_tests set decide_at = now() + make_interval(hours => hours) where campaign_id = $1`, [campaignId]);
  },
};
