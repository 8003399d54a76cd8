import type { Config } from '../../config/config.schema.js';
import type { Queryable, Sql } from '../../db/sql.js';
import type { EventBus } from '../../events/crm-events.js';
import { formatCount, formatDate } from '../format.js';
import { dayIn, startOfDay } from '../time/time-zone.js';
import type { Journey } from './journey-input.js';

// A journey has no runs to show: it acts customer by customer. What the team sees in Slack instead is each stop (with
// its reason, as it happens) and each business day's work once the day is over.

/** Records, in words, that a journey stopped and why. Written in the transaction that stops it. */
export async function noteJourneyStopped(db: Queryable, automationId: number, name: string, why: string) {
  await db.query(
    `insert into journey_notices (automation_id, key, text) values ($1, $2, $3) on conflict do nothing`,
    [automationId, `stopped:${new Date().toISOString()}`, `:warning: Journey *${name}* stopped: ${why}. Customers in it wait where they are until it is resumed.`],
  );
}

/**
 * Once a business day is over, each journey that did anything that day gets one line: who entered, what each step
 * sent (or held back for the control group, or skipped), and how many wait now. The key is the day, so the line is
 * written once whatever the number of passes or workers.
 */
export async function noteJourneyDays(sql: Sql, config: Config, now = new Date()) {
  const zone = config.TIME_ZONE;
  const today = startOfDay(dayIn(now, zone), zone);
  const yesterdayName = dayIn(new Date(today.getTime() - 3_600_000), zone);
  const from = startOfDay(yesterdayName, zone);
  const journeys = await sql.rows<{ id: number; name: string; definition: { journey: Journey }; entered: number; waiting: number; steps: { step: number; outcome: string; n: number }[] | null }>(
    `select a.id, a.name, a.definition,
       (select count(*)::int from journey_entries e where e.automation_id = a.id and e.entered_at >= $1 and e.entered_at < $2) as entered,
       (select count(*)::int from journey_entries e where e.automation_id = a.id and e.state = 'active') as waiting,
       (select json_agg(s order by s.step, s.outcome) from (
          select d.step, case when d.outcome like 'skipped%' then 'skipped' else d.outcome end as outcome, count(*)::int as n
          from journey_steps_done d join journey_entries e on e.id = d.entry_id
          where e.automation_id = a.id and d.at >= $1 and d.at < $2 and d.outcome <> 'waited' group by 1, 2) s) as steps
     from automations a
     where a.kind = 'journey' and not exists (select 1 from journey_notices n where n.automation_id = a.id and n.key = $3)`,
    [from, today, `day:${yesterdayName}`],
  );
  for (const j of journeys) {
    if (j.entered === 0 && !j.steps?.length) continue;
    const byStep = new Map<number, string[]>();
    for (const s of j.steps ?? []) byStep.set(s.step, [...(byStep.get(s.step) ?? []), `${formatCount(s.n)} ${s.outcome}`]);
    const steps = [...byStep].map(([step, parts]) => {
      const send = j.definition.journey.steps[step];
      const what = send && 'send' in send ? ` (${send.send.channel === 'sms' ? 'SMS' : `email${send.send.subject ? ` "${send.send.subject}"` : ''}`})` : '';
      return `step ${step + 1}${what}: ${parts.join(', ')}`;
    });
    const text = `Journey *${j.name}* on ${formatDate(from, zone)}: ${formatCount(j.entered)} entered${steps.length ? `; ${steps.join('; ')}` : ''}. ${formatCount(j.waiting)} in it now.`;
    await sql.query(`insert into journey_notices (automation_id, key, text) values ($1, $2, $3) on conflict do nothing`, [j.id, `day:${yesterdayName}`, text]);
  }
}

/**
 * Announces notices not announced yet to every server process (Slack posts each once). One announced but not taken
 * by Slack ten minutes later (no server was listening, Slack failed) is announced again, for a day.
 */
export async function announceJourneyNotices(sql: Sql, events: EventBus) {
  const fresh = await sql.rows<{ automationId: number; key: string; text: string; approvedBy: number | null }>(
    `update journey_notices n set announced_at = now() from automations a
     where a.id = n.automation_id and (n.announced_at is null
       or n.slack_posted_at is null and n.announced_at < now() - interval '10 minutes' and n.created_at > now() - interval '1 day')
     returning n.automation_id as "automationId", n.key, n.text, a.approved_by as "approvedBy"`,
  );
  for (const n of fresh) await events.publish('journey.notice', n.approvedBy, { automationId: n.automationId, key: n.key, text: n.text });
}
