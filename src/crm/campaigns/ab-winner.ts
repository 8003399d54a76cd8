import { systemActor } from '../../auth/actor.js';
import { AuditService } from '../../audit/audit.service.js';
import type { Config } from '../../config/config.schema.js';
import type { Queryable, Sql } from '../../db/sql.js';
import { decideWinner, variantLabel, type AbDecision, type AbMetric, type VariantResult } from '../outcomes/ab-decision.js';
import { PURCHASED, SqlParams } from '../segments/rule-compiler.js';
import type { AbTestDefinition } from './ab-test.js';
import type { Channel } from './audience.js';
import { messageSql } from './campaign-message.js';
import { smsSegmentsSql } from '../delivery/sms/sms-segments.js';

/** Each version's messages delivered and how many of them clicked (a person, not a scanner) or ordered by now. */
export async function variantResults(db: Queryable, campaignId: number, test: { metric: AbMetric; variants: unknown[] }, attributionDays: number): Promise<VariantResult[]> {
  const success = test.metric === 'clicks'
    ? `exists (select 1 from message_events e where e.log_id = l.id and e.kind = 'click' and not e.machine)`
    : `exists (select 1 from orders o where o.customer_id = l.customer_id and ${PURCHASED}
         and o.placed_at > coalesce(l.sent_at, l.created_at) and o.placed_at <= least(now(), coalesce(l.sent_at, l.created_at) + make_interval(days => $2)))`;
  const { rows } = await db.query<{ variant: number; recipients: number; successes: number }>(
    `select l.variant, count(*) as recipients, count(*) filter (where ${success}) as successes
     from communication_logs l where l.campaign_id = $1 and l.variant is not null and l.status in ('sent', 'delivered')
       and not exists (select 1 from campaign_ab_tests t where t.campaign_id = l.campaign_id and t.decided_at is not null and l.created_at >= t.decided_at)
     group by l.variant`,
    test.metric === 'clicks' ? [campaignId] : [campaignId, attributionDays],
  );
  return test.variants.map((_, i) => {
    const row = rows.find((r) => r.variant === i);
    return { recipients: row?.recipients ?? 0, successes: row?.successes ?? 0 };
  });
}

interface DueTest { campaignId: number; channel: Channel; attributionDays: number; test: AbTestDefinition }

/**
 * Decides every A/B test whose time has come: the winner by `decideWinner`, then the rest of the audience (frozen
 * at launch, covered by the same approval) gets the winner's message, rendered now by the same code as launch.
 * One transaction per test, taken with SKIP LOCKED, so two workers never decide one test twice. Returns the
 * campaigns whose rest was queued.
 */
export async function decideDueTests(sql: Sql, config: Config): Promise<{ campaignId: number; decision: AbDecision; queued: number }[]> {
  const decided: { campaignId: number; decision: AbDecision; queued: number }[] = [];
  for (;;) {
    const result = await sql.transaction(async (client) => {
      const [due] = (await client.query<DueTest>(
        `select t.campaign_id as "campaignId", k.channel, coalesce(k.attribution_days, $1) as "attributionDays",
           jsonb_build_object('variants', t.variants, 'testPercent', t.test_percent::float8, 'metric', t.metric, 'hours', t.hours) as test
         from campaign_ab_tests t join campaigns k on k.id = t.campaign_id
         where t.decided_at is null and t.decide_at <= now()
           -- Decided only once every test message has been handed over (a text held by quiet hours, say): a version
           -- whose messages have not gone out yet cannot lose for it.
           and not exists (select 1 from communication_logs l where l.campaign_id = t.campaign_id and l.status in ('queued', 'sending'))
         order by t.decide_at limit 1 for update of t skip locked`,
        [config.ATTRIBUTION_DAYS],
      )).rows;
      if (!due) return null;
      const decision = decideWinner(await variantResults(client, due.campaignId, due.test, due.attributionDays), due.test.metric);
      const params = new SqlParams();
      const { message, subject, address } = messageSql(config, { channel: due.channel, ...due.test.variants[decision.winner] }, params);
      const queued = (await client.query(
        `insert into communication_logs (campaign_id, customer_id, channel, address, message, subject, variant)
         select r.campaign_id, c.id, ${params.add(due.channel)}, ${address}, ${message}, ${subject}, ${params.add(decision.winner)}
         from campaign_ab_remainder r join customers c on c.id = r.customer_id
         where r.campaign_id = ${params.add(due.campaignId)} and (${address}) is not null
         order by c.id
         on conflict (campaign_id, customer_id) do nothing`,
        params.values,
      )).rowCount ?? 0;
      // Each of the winner's texts is measured as launch measures the test's: one too long is not sent, with the reason.
      if (due.channel === 'sms') {
        await client.query(
          `update communication_logs set status = 'skipped', failure_reason = 'not sent: this text would be longer than ' || $2 || ' segments'
           where campaign_id = $1 and status = 'queued' and variant = $3 and ${smsSegmentsSql('message')} > $2`,
          [due.campaignId, config.SMS_MAX_SEGMENTS, decision.winner],
        );
      }
      await client.query(`delete from campaign_ab_remainder where campaign_id = $1`, [due.campaignId]);
      await client.query(`update campaign_ab_tests set decided_at = now(), winner = $2, decision = $3 where campaign_id = $1`, [due.campaignId, decision.winner, JSON.stringify(decision)]);
      // The test's own messages may all be settled already; the campaign is sending again until the rest are.
      await client.query(`update campaigns set status = 'sending', completed_at = null where id = $1 and status in ('sending', 'completed')`, [due.campaignId]);
      await new AuditService(sql).record(systemActor(), 'campaign.ab_decided', `campaign:${due.campaignId}`,
        { winner: variantLabel(decision.winner), significant: decision.significant, queued }, client);
      return { campaignId: due.campaignId, decision, queued };
    });
    if (!result) return decided;
    decided.push(result);
  }
}
