import type { Queryable } from '../../db/sql.js';
import type { AutomationInput } from './automation-input.js';
import type { Journey } from './journey-input.js';

export interface AutomationRow {
  id: number; name: string; kind: 'recurring' | 'journey'; definition: NonNullable<AutomationInput['campaign']> | { journey: Journey }; schedule: unknown; cron: string | null; skipDays: number; maxPerRun: number; maxPerDay: number;
  status: 'draft' | 'active' | 'paused'; statusReason: string | null; approvedBy: string | null; approvedAt: Date | null; nextRunAt: Date | null;
}
export interface StepCount { step: number; entered: number; waiting: number; sent: number; skipped: number; exited: number }
type RunRow = { dueAt: string; status: 'sent' | 'held' | 'empty' | 'failed'; campaignId: number | null; recipients: number; reason: string | null };

const columns = `a.id, a.name, a.kind, a.definition, a.schedule, a.cron, a.skip_days as "skipDays", a.max_per_run as "maxPerRun", a.max_per_day as "maxPerDay",
  a.status, a.status_reason as "statusReason", u.email as "approvedBy", a.approved_at as "approvedAt", a.next_run_at as "nextRunAt"`;

/** The fields of an automation as plan_automation writes them, in the order the statements below take them. */
export type AutomationFields = [name: string, definition: string, schedule: string, cron: string | null, skipDays: number, maxPerRun: number, maxPerDay: number, kind: string];

/** Automations, their approvals and what their runs and journeys did: fetch and store only; the rules are the service's. */
export const automationsRepository = {
  async one(db: Queryable, id: number, lock = false) {
    return (await db.query<AutomationRow>(`select ${columns} from automations a left join users u on u.id = a.approved_by where a.id = $1${lock ? ' for update of a' : ''}`, [id])).rows[0] ?? null;
  },

  async nameTaken(db: Queryable, name: string) {
    return ((await db.query(`select 1 from automations where name = $1`, [name])).rowCount ?? 0) > 0;
  },

  async insert(db: Queryable, fields: AutomationFields, createdBy: number | null) {
    return (await db.query<{ id: number }>(
      `insert into automations (name, definition, schedule, cron, skip_days, max_per_run, max_per_day, kind, created_by) values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning id`,
      [...fields, createdBy],
    )).rows[0].id;
  },

  /** A changed definition, stopped until approved again; false when there is no such automation. */
  async change(db: Queryable, id: number, fields: AutomationFields) {
    const changed = await db.query(
      `update automations set name = $2, definition = $3, schedule = $4, cron = $5, skip_days = $6, max_per_run = $7, max_per_day = $8, kind = $9,
         status = 'draft', status_reason = 'changed; waiting for approval', next_run_at = null, updated_at = now() where id = $1`,
      [id, ...fields],
    );
    return (changed.rowCount ?? 0) > 0;
  },

  async insertApproval(db: Queryable, approval: { id: string; automationId: number; hash: string; expiresAt: Date; createdBy: number | null }) {
    await db.query(`insert into automation_approvals (id, automation_id, definition_hash, expires_at, created_by) values ($1, $2, $3, $4, $5)`,
      [approval.id, approval.automationId, approval.hash, approval.expiresAt, approval.createdBy]);
  },

  async lockApproval(db: Queryable, approvalId: string) {
    return (await db.query<{ automationId: number; hash: string; expiresAt: Date; redeemedAt: Date | null }>(
      `select automation_id as "automationId", definition_hash as hash, expires_at as "expiresAt", redeemed_at as "redeemedAt" from automation_approvals where id = $1 for update`, [approvalId],
    )).rows[0] ?? null;
  },

  async redeemApproval(db: Queryable, approvalId: string) {
    await db.query(`update automation_approvals set redeemed_at = now() where id = $1`, [approvalId]);
  },

  /** The automation an approval is for. */
  async ofApproval(db: Queryable, approvalId: string) {
    return (await db.query<AutomationRow>(
      `select ${columns} from automation_approvals p join automations a on a.id = p.automation_id left join users u on u.id = a.approved_by where p.id = $1`, [approvalId],
    )).rows[0] ?? null;
  },

  /** Running from `next`; `approvedBy` records a person's approval (a resume keeps the earlier one). */
  async activate(db: Queryable, id: number, next: Date | null, approvedBy?: number | null) {
    if (approvedBy !== undefined) {
      await db.query(`update automations set status = 'active', status_reason = null, approved_by = $2, approved_at = now(), next_run_at = $3, updated_at = now() where id = $1`, [id, approvedBy, next]);
    } else {
      await db.query(`update automations set status = 'active', status_reason = null, next_run_at = $2, updated_at = now() where id = $1`, [id, next]);
    }
  },

  async pause(db: Queryable, id: number, reason: string) {
    await db.query(`update automations set status = 'paused', status_reason = $2, next_run_at = null, updated_at = now() where id = $1 and status = 'active'`, [id, reason]);
  },

  /** The campaigns a recurring automation launched, oldest first. */
  async launchedRuns(db: Queryable, id: number) {
    return (await db.query<{ id: number }>(`select id from campaigns where automation_id = $1 and launched_at is not null order by id`, [id])).rows;
  },

  /**
   * A journey's customers who were sent a message, and those held out at the same step, with their orders within
   * `days` of entering (`purchased`: the orders that count as a purchase, on `o`).
   */
  async journeyGroups(db: Queryable, id: number, days: number, purchased: string) {
    return (await db.query<{ held: boolean; customers: number; converted: number; orders: number; revenue: string }>(
      `with counted as (
         select e.id, e.customer_id, e.entered_at, bool_or(d.outcome = 'held out') as held
         from journey_entries e join journey_steps_done d on d.entry_id = e.id
         where e.automation_id = $1 and d.outcome in ('sent', 'held out') group by e.id
       )
       select c.held, count(distinct c.id)::int as customers, count(distinct c.id) filter (where o.id is not null)::int as converted,
         count(o.id)::int as orders, coalesce(sum(o.total), 0)::text as revenue
       from counted c left join orders o on o.customer_id = c.customer_id and ${purchased}
         and o.placed_at > c.entered_at and o.placed_at <= c.entered_at + make_interval(days => $2)
       group by c.held`,
      [id, days],
    )).rows;
  },

  /** Every automation with its five latest runs, messages sent, and its journey's customers per step. */
  async listWithRuns(db: Queryable) {
    return (await db.query<AutomationRow & { runs: RunRow[]; sent: number; steps: StepCount[]; waiting: Record<string, number> | null; exited: Record<string, number> | null }>(
      `select ${columns},
         coalesce((select jsonb_agg(jsonb_build_object('dueAt', r.due_at, 'status', r.status, 'campaignId', r.campaign_id, 'recipients', r.recipients, 'reason', r.reason) order by r.due_at desc)
           from (select * from automation_runs where automation_id = a.id order by due_at desc limit 5) r), '[]') as runs,
         (select coalesce(sum(recipients), 0) from automation_runs where automation_id = a.id and status = 'sent')::int
           + (select count(*) from journey_steps_done d join journey_entries e on e.id = d.entry_id where e.automation_id = a.id and d.outcome = 'sent')::int as sent,
         coalesce((select jsonb_agg(s order by s.step) from (
           select d.step + 1 as step, count(*)::int as entered, 0 as waiting, count(*) filter (where d.outcome = 'sent')::int as sent,
             count(*) filter (where d.outcome like 'skipped%')::int as skipped, 0 as exited
           from journey_steps_done d join journey_entries e on e.id = d.entry_id where e.automation_id = a.id group by d.step) s), '[]') as steps,
         (select jsonb_object_agg(step + 1, n) from (select step, count(*)::int as n from journey_entries where automation_id = a.id and state = 'active' group by step) w) as waiting,
         (select jsonb_object_agg(step + 1, n) from (select step, count(*)::int as n from journey_entries where automation_id = a.id and state = 'exited' group by step) x) as exited
       from automations a left join users u on u.id = a.approved_by order by a.id`,
    )).rows;
  },
};
