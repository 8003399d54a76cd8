import type { Actor } from '../../auth/actor.js';
import { can } from '../../auth/authorize.js';
import type { Role } from '../../auth/roles.js';
import type { Config } from '../../config/config.schema.js';
import type { Sql } from '../../db/sql.js';
import type { EventBus } from '../../events/crm-events.js';
import { logger } from '../../logging/logger.js';
import type { CampaignsService } from '../campaigns/campaigns.service.js';
import { errorSentence } from '../error-sentence.js';
import { BadInput, NotFound } from '../errors.js';
import { dayIn, startOfDay } from '../time/time-zone.js';
import type { AutomationInput } from './automation-input.js';
import { nextRuns } from './recurrence.js';

interface Due { id: number; name: string; definition: NonNullable<AutomationInput['campaign']>; cron: string; skipDays: number; maxPerRun: number; maxPerDay: number; dueAt: Date; approvedBy: number | null; approver: string | null }

/**
 * Runs every recurring campaign whose time has come. Each due time runs once (automation_runs is unique on it, taken
 * in the same transaction that moves the automation to its next time, under SKIP LOCKED), so several workers and a
 * crash never send a run twice; a crash after that step leaves the run marked "failed" rather than sending it later
 * (or, when its campaign was launched just before the crash, it is marked "sent" from that campaign next time).
 * A run plans the campaign as a person would (leaving out customers a run reached within skipDays), and launches it
 * under the approval of the person who approved the automation, unless it would exceed a cap: then it sends nothing,
 * pauses the automation and says why.
 */
export async function runDueAutomations(sql: Sql, campaigns: CampaignsService, events: EventBus, config: Config) {
  // A run whose worker died after its campaign was launched but before the run was written down: the campaign says
  // what happened.
  await sql.query(
    `update automation_runs r set status = 'sent', recipients = k.audience_size, reason = null from campaigns k
     where r.status = 'failed' and k.id = r.campaign_id and k.launched_at is not null`,
  );
  for (;;) {
    const due = await sql.transaction(async (client) => {
      const [a] = (await client.query<Due>(
        `select a.id, a.name, a.definition, a.cron, a.skip_days as "skipDays", a.max_per_run as "maxPerRun", a.max_per_day as "maxPerDay",
           a.next_run_at as "dueAt", a.approved_by as "approvedBy", u.email as approver
         from automations a left join users u on u.id = a.approved_by
         where a.status = 'active' and a.kind = 'recurring' and a.next_run_at <= now() order by a.next_run_at limit 1 for update of a skip locked`,
      )).rows;
      if (!a) return null;
      // The next time after now: runs missed while the workers were down are not caught up.
      const next = nextRuns(a.cron, config.TIME_ZONE, new Date(Math.max(Date.now(), a.dueAt.getTime())), 1)[0];
      await client.query(`update automations set next_run_at = $2 where id = $1`, [a.id, next]);
      const run = await client.query<{ id: number }>(
        `insert into automation_runs (automation_id, due_at, status, reason) values ($1, $2, 'failed', 'the run stopped before it sent') on conflict do nothing returning id`,
        [a.id, a.dueAt],
      );
      return run.rowCount ? { ...a, runId: run.rows[0].id } : { ...a, runId: null };
    });
    if (!due) return;
    if (due.runId === null) continue;
    await runOnce(sql, campaigns, events, config, due as Due & { runId: number }).catch(async (error) => {
      logger.warn('automation run failed', { automationId: due.id, reason: (error as Error).message });
      const sentence = errorSentence(error).sentence;
      await sql.query(`update automation_runs set status = 'failed', reason = $2 where id = $1`, [due.runId, sentence]);
      // What cannot work next time either (its segment deleted, say) stops the automation rather than failing on every run.
      if (error instanceof NotFound || error instanceof BadInput) {
        await sql.query(`update automations set status = 'paused', status_reason = $2, next_run_at = null where id = $1`, [due.id, `stopped: ${sentence} Change it, then approve it again`]);
      }
    });
  }
}

async function runOnce(sql: Sql, campaigns: CampaignsService, events: EventBus, config: Config, a: Due & { runId: number }) {
  // The automation acts with the approval of the person who approved it, and only while they may still launch.
  const [approver] = await sql.rows<{ role: Role; disabled: boolean }>(`select role, disabled_at is not null as disabled from users where id = $1`, [a.approvedBy]);
  if (!approver || approver.disabled || !can({ userId: a.approvedBy, email: '', role: approver.role, surface: 'system' }, 'campaigns.send')) {
    const why = `the person who approved it${a.approver ? ` (${a.approver})` : ''} may no longer launch campaigns`;
    await sql.query(`update automation_runs set status = 'held', reason = $2 where id = $1`, [a.runId, `${why}; nothing was sent`]);
    await sql.query(`update automations set status = 'paused', status_reason = $2, next_run_at = null where id = $1`, [a.id, `stopped: ${why}. A marketer or admin must approve it again`]);
    return;
  }
  const actor: Actor = { userId: a.approvedBy, email: `automation "${a.name}" (approved by ${a.approver ?? 'a person'})`, role: approver.role, surface: 'system' };
  const day = dayIn(a.dueAt, config.TIME_ZONE);
  const plan = await campaigns.plan(actor, { ...a.definition, name: `${a.name} · ${day}` }, undefined, { automation: { id: a.id, skipDays: a.skipDays } });
  await sql.query(`update automation_runs set campaign_id = $2 where id = $1`, [a.runId, plan.campaignId]);
  const recipients = plan.audience.eligible - plan.audience.holdout;
  const [{ today }] = await sql.rows<{ today: number }>(
    `select coalesce(sum(recipients), 0)::int as today from automation_runs where automation_id = $1 and status = 'sent' and due_at >= $2`,
    [a.id, startOfDay(day, config.TIME_ZONE)],
  );
  const hold = recipients > a.maxPerRun ? `this run would send ${recipients} messages, more than its cap of ${a.maxPerRun} a run`
    : today + recipients > a.maxPerDay ? `this run would bring today's messages to ${today + recipients}, more than its cap of ${a.maxPerDay} a day` : null;
  if (hold) {
    await sql.query(`update automation_runs set status = 'held', campaign_id = $2, reason = $3 where id = $1`, [a.runId, plan.campaignId, `${hold}; nothing was sent`]);
    await sql.query(`update automations set status = 'paused', status_reason = $2, next_run_at = null where id = $1`, [a.id, `stopped: ${hold}. Nothing was sent; check the audience, then resume it or change its caps`]);
    await events.publish('automation.run', a.approvedBy, { automationId: a.id, name: a.name, status: 'held', campaignId: plan.campaignId, recipients: 0, reason: hold });
    return;
  }
  if (!plan.approval) {
    await sql.query(`update automation_runs set status = 'empty', campaign_id = $2, reason = 'nobody to send to this time' where id = $1`, [a.runId, plan.campaignId]);
    return;
  }
  const launched = await campaigns.launch(actor, plan.approval.id);
  await sql.query(`update automation_runs set status = 'sent', campaign_id = $2, recipients = $3, reason = null where id = $1`, [a.runId, launched.campaignId, launched.audience]);
  await events.publish('automation.run', a.approvedBy, { automationId: a.id, name: a.name, status: 'sent', campaignId: launched.campaignId, recipients: launched.audience, reason: null });
}
