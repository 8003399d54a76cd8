import { can } from '../../auth/authorize.js';
import type { Role } from '../../auth/roles.js';
import type { Config } from '../../config/config.schema.js';
import type { Queryable, Sql } from '../../db/sql.js';
import { JobQueue, queueNames } from '../../jobs/job-queue.js';
import { exclusionSql } from '../campaigns/audience.js';
import { messageSql } from '../campaigns/campaign-message.js';
import type { RuleContext } from '../segments/condition-range.js';
import { compileRule, PURCHASED, SqlParams } from '../segments/rule-compiler.js';
import { parseRule } from '../segments/rule-parser.js';
import { DAY_MS } from '../time/clock.js';
import { dayIn, daysLaterAt, startOfDay } from '../time/time-zone.js';
import type { Journey, JourneyStep } from './journey-input.js';
import { noteJourneyStopped } from './journey-notices.js';
import { nextRuns } from './recurrence.js';
import { BadInput, NotFound } from '../errors.js';
import { logger } from '../../logging/logger.js';

const eventWords = { first_order: 'when they place their first order', any_order: 'whenever they place an order', imported: 'when they are added to the CRM', unsubscribed: 'when they unsubscribe' } as const;
export const journeyEntryWords = (j: Journey) => ('segment' in j.entry ? 'when they come to match the rule' : eventWords[j.entry.event]);

const stepWords = (s: JourneyStep, i: number) => `${i + 1}. ${'send' in s ? `send ${s.send.channel === 'sms' ? 'an SMS' : 'an email'}${s.send.subject ? ` "${s.send.subject}"` : ''}`
  : 'wait' in s ? `wait ${s.wait.days ? `${s.wait.days} day${s.wait.days > 1 ? 's' : ''}` : ''}${s.wait.days && s.wait.hours ? ' and ' : ''}${s.wait.hours ? `${s.wait.hours} hour${s.wait.hours > 1 ? 's' : ''}` : ''}`
  : 'waitUntil' in s ? `wait until ${s.waitUntil.weekday} ${s.waitUntil.at}`
  : 'branch' in s ? `if ${typeof s.branch.if === 'string' ? s.branch.if.replace(/_/g, ' ') : 'in the segment'}, go to ${s.branch.then}, else to ${s.branch.else}` : 'leave'}`;

/** The journey in one paragraph: who enters, each step, and when customers leave. */
export function describeJourney(j: Journey) {
  const times = j.reentry === 'never' ? 'once each' : `again ${j.reentry.afterDays} day${j.reentry.afterDays > 1 ? 's' : ''} after their last entry at the soonest`;
  return `Customers enter ${journeyEntryWords(j)}, ${times}; then ${j.steps.map(stepWords).join('; ')}.${j.exitOnConversion ? ' Anyone who orders after entering leaves.' : ''} Anyone who unsubscribes gets nothing more.`;
}

/**
 * What approval (or resuming) starts: a segment journey takes everyone matching now as already in the segment (they
 * do not enter: only customers who come to match later do), an event journey starts after the events recorded so
 * far. A changed journey (`restart`) first lets out the customers still in it: they were following the old steps.
 */
export async function startJourney(db: Queryable, automationId: number, journey: Journey, ctx: RuleContext, restart = true) {
  if (restart) await db.query(`update journey_entries set state = 'exited', reason = 'the journey was changed before they finished' where automation_id = $1 and state = 'active'`, [automationId]);
  await db.query(`delete from journey_members where automation_id = $1`, [automationId]);
  if ('segment' in journey.entry) {
    const params = new SqlParams();
    const where = compileRule(parseRule(journey.entry.segment), params, ctx);
    await db.query(`insert into journey_members (automation_id, customer_id) select ${params.add(automationId)}, c.id from customers c where ${where}`, params.values);
    await db.query(`update automations set last_full_pass = now() where id = $1`, [automationId]);
  } else {
    await db.query(`update automations set event_cursor = coalesce((select max(id) from journey_events), 0), events_since = now() where id = $1`, [automationId]);
  }
}

/**
 * SQL that lets the customers of `candidates` (a query with a customer_id column) enter journey `journey`: those
 * never in it, and under a re-entry policy those whose last time ended and began over `afterDays` ago.
 */
function enterSql(journey: string, candidates: string, afterDays: string, heldPerTenThousand: string) {
  // The control group by a hash of journey, customer and time through, as a campaign's is drawn.
  return `insert into journey_entries (automation_id, customer_id, round, held)
    select ${journey}, x.customer_id, coalesce(last.round, 0) + 1,
      (hashtext(${journey}::text || ':' || x.customer_id::text || ':' || (coalesce(last.round, 0) + 1)::text) & 2147483647) % 10000 < ${heldPerTenThousand}::int
    from (${candidates}) x
    left join lateral (select e.round, e.entered_at, e.state from journey_entries e where e.automation_id = ${journey} and e.customer_id = x.customer_id order by e.round desc limit 1) last on true
    where last.round is null or (last.state <> 'active' and ${afterDays}::int is not null and last.entered_at < now() - make_interval(days => ${afterDays}::int))
    on conflict do nothing`;
}
const afterDaysOf = (j: Journey) => (j.reentry === 'never' ? null : j.reentry.afterDays);
const heldOf = (j: Journey, config: Config) => Math.round((j.holdoutPercent ?? config.HOLDOUT_PERCENT) * 100);

interface ActiveJourney {
  id: number; name: string; definition: { journey: Journey }; maxPerRun: number; maxPerDay: number; approvedBy: number | null; eventCursor: number;
  approver: string | null; approverRole: Role | null; approverDisabled: boolean;
}

const activeJourneys = (sql: Sql) => sql.rows<ActiveJourney>(
  `select a.id, a.name, a.definition, a.max_per_run as "maxPerRun", a.max_per_day as "maxPerDay", a.approved_by as "approvedBy", a.event_cursor as "eventCursor",
     u.email as approver, u.role as "approverRole", coalesce(u.disabled_at is not null, true) as "approverDisabled"
   from automations a left join users u on u.id = a.approved_by where a.kind = 'journey' and a.status = 'active' order by a.id`,
);

/**
 * Customers who came to match a segment journey's rule: only those whose figures changed since the last pass (the
 * marks written by the orders and customers triggers) are read again, so a pass costs what changed, not the whole
 * customer base. Returns how many customers were read.
 */
export async function enterBySegment(sql: Sql, ctx: RuleContext, config: Config, chunk = 50_000) {
  const journeys = (await activeJourneys(sql)).filter((j) => 'segment' in j.definition.journey.entry);
  // Once a day every customer is read again: a rule about time ("no order for 90 days") starts to match with no write.
  await sql.query(
    `with due as (update automations set last_full_pass = now() where kind = 'journey' and status = 'active' and definition -> 'journey' -> 'entry' -> 'segment' is not null
                    and (last_full_pass is null or last_full_pass < now() - interval '1 day') returning id)
     insert into journey_marks select c.id from customers c where exists (select 1 from due) on conflict do nothing`,
  );
  let read = 0;
  for (;;) {
    const done = await sql.transaction(async (client) => {
      const marked = (await client.query<{ customer_id: number }>(
        `delete from journey_marks where customer_id in (select customer_id from journey_marks order by customer_id limit $1 for update skip locked) returning customer_id`, [chunk],
      )).rows.map((r) => r.customer_id);
      for (const j of journeys) {
        const entry = j.definition.journey.entry as { segment: unknown };
        const params = new SqlParams();
        const where = compileRule(parseRule(entry.segment), params, ctx);
        const ids = params.add(marked);
        const journey = params.add(j.id);
        await client.query(
          `with now_in as (select c.id from customers c where c.id = any(${ids}::bigint[]) and ${where}),
           left_it as (delete from journey_members m where m.automation_id = ${journey} and m.customer_id = any(${ids}::bigint[])
                         and m.customer_id not in (select id from now_in) returning m.customer_id),
           came as (insert into journey_members (automation_id, customer_id) select ${journey}, id from now_in on conflict do nothing returning customer_id)
           ${enterSql(journey, 'select customer_id from came', params.add(afterDaysOf(j.definition.journey)), params.add(heldOf(j.definition.journey, config)))}`,
          params.values,
        );
      }
      return marked.length;
    });
    read += done;
    if (done < chunk) return read;
  }
}

/** Customers whose event came after each event journey's cursor enter it (once each). */
export async function enterByEvent(sql: Sql, config: Config) {
  for (const j of (await activeJourneys(sql)).filter((x) => 'event' in x.definition.journey.entry)) {
    const kind = (j.definition.journey.entry as { event: string }).event;
    // A little behind the cursor too: an event id handed out by a transaction that committed late is not missed
    // (entries already made are not made again), but nothing from before the journey started or was resumed.
    await sql.query(
      `with new_events as (select id, customer_id from journey_events where id > $2 - 1000 and kind = $3
                            and at >= (select events_since from automations where id = $1) order by id limit 10000),
       entered as (${enterSql('$1::bigint', 'select distinct customer_id from new_events where exists (select 1 from customers c where c.id = new_events.customer_id)', '$4', '$5')})
       update automations set event_cursor = coalesce((select max(id) from new_events), event_cursor) where id = $1`,
      [j.id, j.eventCursor, kind, afterDaysOf(j.definition.journey), heldOf(j.definition.journey, config)],
    );
  }
  // Events every event journey has read, an hour old, are not needed again.
  await sql.query(
    `delete from journey_events where at < now() - interval '1 hour' and id <= coalesce((select min(event_cursor) - 1000 from automations
       where kind = 'journey' and status = 'active' and definition -> 'journey' -> 'entry' -> 'event' is not null), (select max(id) from journey_events))`,
  );
}

interface DueEntry { id: number; automationId: number; customerId: number; enteredAt: Date; step: number; round: number; held: boolean }

/** Stops a journey and says why; its customers wait where they are until it is resumed or changed. */
async function stopJourney(sql: Sql, journey: { id: number; name: string }, why: string) {
  await sql.transaction(async (client) => {
    const stopped = await client.query(`update automations set status = 'paused', status_reason = $2 where id = $1 and status = 'active'`, [journey.id, `stopped: ${why}`]);
    if (stopped.rowCount) await noteJourneyStopped(client, journey.id, journey.name, why);
  });
}

/**
 * Moves due entries through their steps, each entry in the transaction that records its steps, so a step acts once
 * whatever crashes or how many workers run: a send is written with its step (journey_steps_done is keyed on entry and
 * step) and the message in the same commit. Sends stay within the caps — per pass, and per day where the business is —
 * counted before every message; at the day's cap the journey stops and says why. A journey whose approver may no
 * longer launch, or that fails (a rule that cannot be read), stops on its own without holding up the others.
 */
export async function advanceEntries(sql: Sql, queue: JobQueue | undefined, config: Config, ctx: RuleContext) {
  const touched = new Set<number>();
  const dayStart = startOfDay(dayIn(new Date(), config.TIME_ZONE), config.TIME_ZONE);
  for (const j of await activeJourneys(sql)) {
    // The journey acts with its approver's approval, only while they may still launch campaigns.
    if (j.approverDisabled || !j.approverRole || !can({ userId: j.approvedBy, email: '', role: j.approverRole, surface: 'system' }, 'campaigns.send')) {
      await stopJourney(sql, j, `the person who approved it${j.approver ? ` (${j.approver})` : ''} may no longer launch campaigns. A marketer or admin must approve it again`);
      continue;
    }
    try {
      let sentThisPass = 0;
      for (;;) {
        const result = await sql.transaction(async (client) => {
          const [{ today }] = (await client.query<{ today: number }>(
            `select count(*)::int as today from journey_steps_done d join journey_entries e on e.id = d.entry_id where e.automation_id = $1 and d.outcome = 'sent' and d.at >= $2`, [j.id, dayStart],
          )).rows;
          const budget = { left: Math.min(j.maxPerRun - sentThisPass, j.maxPerDay - today) };
          if (budget.left <= 0) return { dayCap: today >= j.maxPerDay, moved: 0 };
          const entries = (await client.query<DueEntry>(
            `select id, automation_id as "automationId", customer_id as "customerId", entered_at as "enteredAt", step, round, held from journey_entries
             where automation_id = $1 and state = 'active' and due_at <= now() order by due_at, id limit 200 for update skip locked`, [j.id],
          )).rows;
          let moved = 0;
          for (const entry of entries) {
            if (budget.left <= 0) break;
            const sent = await advanceOne(client, j, entry, config, ctx, touched, budget);
            sentThisPass += sent;
            moved++;
          }
          return { dayCap: budget.left <= 0 && today + sentThisPass >= j.maxPerDay, moved };
        });
        if (result.dayCap) {
          await stopJourney(sql, j, `it reached its cap of ${j.maxPerDay} message${j.maxPerDay === 1 ? '' : 's'} a day; nothing more was sent. Resume it tomorrow, or change its caps`);
          break;
        }
        if (result.moved === 0 || sentThisPass >= j.maxPerRun) break;
      }
    } catch (error) {
      // A rule that cannot be read says so in its own words; anything else is not shown in full to the team.
      const reason = error instanceof BadInput || error instanceof NotFound ? (error as Error).message : 'it failed unexpectedly (the log has the details).';
      if (reason !== (error as Error).message) logger.warn('journey stopped', { automationId: j.id, reason: (error as Error).message });
      await stopJourney(sql, j, `${reason} Change it, then approve it again`);
    }
  }
  for (const campaignId of touched) await queue?.send(queueNames.deliveryDispatch, { campaignId }, `dispatch:${campaignId}`);
}

/**
 * One entry, step by step until it waits or leaves, or until the pass's budget of messages is spent (then it stays
 * at its step, due, for the next pass). Returns how many messages it queued.
 */
async function advanceOne(db: Queryable, j: ActiveJourney, entry: DueEntry, config: Config, ctx: RuleContext, touched: Set<number>, budget: { left: number }) {
  const journey = j.definition.journey;
  let step = entry.step;
  let sent = 0;
  const finish = (state: 'done' | 'exited', reason: string) => db.query(`update journey_entries set state = $2, reason = $3, step = $4 where id = $1`, [entry.id, state, reason, step]);
  for (;;) {
    if (journey.exitOnConversion && await orderedSince(db, entry)) return finish('exited', 'ordered').then(() => sent);
    const s = journey.steps[step];
    if (!s) return finish('done', 'went through every step').then(() => sent);
    if ('exit' in s) return finish('exited', `exit at step ${step + 1}`).then(() => sent);
    if ('wait' in s || 'waitUntil' in s) {
      const due = 'wait' in s ? new Date(daysLaterAt(new Date(), s.wait.days, config.TIME_ZONE).getTime() + s.wait.hours * 3_600_000)
        : nextRuns(`${Number(s.waitUntil.at.slice(3))} ${Number(s.waitUntil.at.slice(0, 2))} * * ${['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'].indexOf(s.waitUntil.weekday)}`, config.TIME_ZONE, new Date(), 1)[0];
      // The wait is recorded as done, so a retry of this pass moves on instead of waiting again.
      const first = await db.query(`insert into journey_steps_done (entry_id, step, outcome) values ($1, $2, 'waited') on conflict do nothing`, [entry.id, step]);
      if (first.rowCount) {
        await db.query(`update journey_entries set step = $2, due_at = $3 where id = $1`, [entry.id, step + 1, due]);
        return sent;
      }
      step++;
      continue;
    }
    if ('branch' in s) {
      step = (await conditionHolds(db, j, entry, s.branch.if, ctx)) ? s.branch.then - 1 : s.branch.else - 1;
      continue;
    }
    if (budget.left <= 0) {
      await db.query(`update journey_entries set step = $2 where id = $1`, [entry.id, step]);
      return sent;
    }
    const queued = await sendStep(db, j, entry, step, s.send, config, touched);
    sent += queued;
    budget.left -= queued;
    step++;
  }
}

const orderedSince = async (db: Queryable, entry: DueEntry) =>
  (await db.query(`select 1 from orders o where o.customer_id = $1 and ${PURCHASED} and o.placed_at > $2 limit 1`, [entry.customerId, entry.enteredAt])).rowCount! > 0;

async function conditionHolds(db: Queryable, j: ActiveJourney, entry: DueEntry, condition: 'ordered_since_entry' | 'clicked' | { segment: unknown }, ctx: RuleContext) {
  if (condition === 'ordered_since_entry') return orderedSince(db, entry);
  if (condition === 'clicked') {
    return (await db.query(
      `select 1 from message_events e join communication_logs l on l.id = e.log_id join campaigns k on k.id = l.campaign_id
       where k.automation_id = $1 and l.customer_id = $2 and e.kind = 'click' and not e.machine and e.at > $3 limit 1`, [j.id, entry.customerId, entry.enteredAt],
    )).rowCount! > 0;
  }
  const params = new SqlParams();
  const where = compileRule(parseRule(condition.segment), params, ctx);
  return (await db.query(`select 1 from customers c where c.id = ${params.add(entry.customerId)} and ${where}`, params.values)).rowCount! > 0;
}

/**
 * A send step for one customer: its campaign (one per journey step, made on first use), then the message, unless
 * the customer is now excluded (unsubscribed, no consent or address, suppressed, over the frequency cap): then the
 * step is recorded as skipped with the reason, and nothing is sent. A control-group entry that would have been sent
 * the message is recorded "held out" instead, which is what the journey's report compares.
 */
async function sendStep(db: Queryable, j: ActiveJourney, entry: DueEntry, step: number, send: { channel: 'email' | 'sms'; subject?: string; template: string }, config: Config, touched: Set<number>) {
  const campaignId = await stepCampaign(db, j, step, entry.round, send);
  // A person cancelled this step's campaign: the step is recorded as not sent, and nothing goes out.
  const [{ status }] = (await db.query<{ status: string }>(`select status from campaigns where id = $1`, [campaignId])).rows;
  if (status === 'cancelled') {
    await db.query(`insert into journey_steps_done (entry_id, step, outcome) values ($1, $2, 'skipped: the step was cancelled') on conflict do nothing`, [entry.id, step]);
    return 0;
  }
  const params = new SqlParams();
  const message = messageSql(config, { channel: send.channel, subject: send.channel === 'email' ? (send.subject ?? j.name) : null, template: send.template }, params);
  const excluded = exclusionSql(send.channel, { messages: config.FREQUENCY_CAP_MESSAGES, days: config.FREQUENCY_CAP_DAYS }, new Date(Date.now() - config.FREQUENCY_CAP_DAYS * DAY_MS), params);
  const [row] = (await db.query<{ reason: string | null; address: string | null; message: string; subject: string | null }>(
    `select ${excluded} as reason, ${message.address} as address, ${message.message} as message, ${message.subject} as subject from customers c where c.id = ${params.add(entry.customerId)}`,
    params.values,
  )).rows;
  const outcome = !row ? 'skipped: the customer is gone' : row.reason ? `skipped: ${row.reason.replace(/_/g, ' ')}` : entry.held ? 'held out' : 'sent';
  const first = await db.query(`insert into journey_steps_done (entry_id, step, outcome) values ($1, $2, $3) on conflict do nothing`, [entry.id, step, outcome]);
  if (!first.rowCount || outcome !== 'sent') return 0;
  const inserted = await db.query(
    `insert into communication_logs (campaign_id, customer_id, channel, address, message, subject) values ($1, $2, $3, $4, $5, $6) on conflict (campaign_id, customer_id) do nothing`,
    [campaignId, entry.customerId, send.channel, row.address, row.message, row.subject],
  );
  await db.query(`update campaigns set status = 'sending', completed_at = null, audience_size = coalesce(audience_size, 0) + $2 where id = $1 and status in ('sending', 'completed')`, [campaignId, inserted.rowCount ?? 0]);
  touched.add(campaignId);
  return inserted.rowCount ?? 0;
}

async function stepCampaign(db: Queryable, j: ActiveJourney, step: number, round: number, send: { channel: 'email' | 'sms'; subject?: string; template: string }) {
  // One campaign per step and per time through (a campaign holds one message per customer).
  const [found] = (await db.query<{ id: number }>(`select id from campaigns where automation_id = $1 and journey_step = $2 and journey_round = $3`, [j.id, step, round])).rows;
  if (found) return found.id;
  const [made] = (await db.query<{ id: number }>(
    `insert into campaigns (name, description, rules, channel, subject, template, status, launched_at, launched_by, automation_id, journey_step, journey_round, holdout_percent, audience_size, plan)
     values ($1, 'Messages of one step of a journey', '{}', $2, $3, $4, 'sending', now(), $5, $6, $7, $8, 0, 0, $9) returning id`,
    [`${j.name} · step ${step + 1}${round > 1 ? ` (time ${round})` : ''}`, send.channel, send.channel === 'email' ? (send.subject ?? j.name) : null, send.template, j.approvedBy, j.id, step, round,
      JSON.stringify({ delivery: { real: null }, journey: j.id })],
  )).rows;
  return made.id;
}
