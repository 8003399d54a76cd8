import { Inject, Injectable, Optional } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AuditService } from '../../audit/audit.service.js';
import type { Actor } from '../../auth/actor.js';
import { authorize } from '../../auth/authorize.js';
import type { Config } from '../../config/config.schema.js';
import { CONFIG } from '../../config/config.token.js';
import { Sql, type Queryable } from '../../db/sql.js';
import { JobQueue, queueNames } from '../../jobs/job-queue.js';
import { BadInput, Conflict, NotFound, Refused } from '../errors.js';
import { formatDateTime, formatMoney } from '../format.js';
import { forecastFor, rfmGroupSql, type Forecast } from '../outcomes/forecast.js';
import { quietHoursEnd } from '../delivery/sms/quiet-hours.js';
import { campaignReport } from '../outcomes/campaign-report.js';
import { compileRule, SqlParams } from '../segments/rule-compiler.js';
import { boundedRows } from '../segments/bounded-read.js';
import { SegmentsService } from '../segments/segments.service.js';
import { DAY_MS } from '../time/clock.js';
import { exclusionReasons, exclusionSql, addressSql, type Channel, type ExclusionReason, type FrequencyCap } from './audience.js';
import { deliveryCounts, type DeliveryCounts } from './campaign-stats.js';
import type { PlanInput, RescheduleInput } from './campaign-input.js';
import { placeholdersWithoutFallback, TemplateError } from './message-template.js';
import { messageParts, messageSql, subjectParts } from './campaign-message.js';
import { abBucketSql, abTestDefinition, inTestSql, type AbTestDefinition } from './ab-test.js';
import { campaignsRepository, type CampaignRow } from './campaigns.repository.js';
import { holdUntilDue, readSendAt, scheduleOf, type Schedule } from './campaign-schedule.js';
import { variantLabel } from '../outcomes/ab-decision.js';
import { channelRoutes, type ChannelRoute } from '../delivery/carriers-setup.js';
import { emailContent } from '../delivery/email/email-content.js';
import { smsSegmentsSql, smsSize, type SmsSize } from '../delivery/sms/sms-segments.js';
import { LINK_SQL_PATTERN, messageLinks, replaceLinks, shortLinkBase, shortLinkLength } from '../engagement/tracking-link.js';

/** What a person approves: exactly what launch will send, with the figures they saw. */
export interface CampaignPlan {
  campaignId: number;
  name: string;
  channel: Channel;
  /** Which way the messages would leave: a real carrier, or the simulator (nothing leaves the machine). */
  delivery: ChannelRoute;
  subject: string | null;
  preheader: string | null;
  template: string;
  rules: unknown;
  segmentId: number | null;
  segmentVersion: number | null;
  sentence: string;
  plannedAt: string;
  frequencyCap: FrequencyCap;
  /** The control group: this share of the eligible audience receives nothing (chosen at random, recorded at launch). */
  holdoutPercent: number;
  attributionDays: number;
  audience: { matching: number; eligible: number; holdout: number; excluded: Record<ExclusionReason, number> };
  samples: PlanSample[];
  /** Expected conversions and revenue from past campaigns' results on customers like these, or why there is none. */
  forecast: Forecast;
  /** When it is sent, if not at once: at one time, or each customer at their own best hour. */
  schedule: Schedule | null;
  /** A run of a recurring campaign: customers it reached within skipDays are left out ("recently_sent", a reason only its plans list). */
  automation: { id: number; skipDays: number } | null;
  /** The A/B test the approval covers: each version with its share and a sample, the rest that gets the winner, and when. */
  abTest: (AbTestDefinition & { perVariant: number[]; remainder: number; samples: (PlanSample | null)[]; schedule: string }) | null;
  warnings: string[];
  approval: { id: string; expiresAt: string } | null;
}

/** One rendered message as it would be sent: the email with both parts, or the SMS with its size. */
export interface PlanSample {
  customerId: number; name: string | null; address: string; message: string;
  email?: { from: string; subject: string; html: string; text: string };
  sms?: SmsSize;
}

/** Campaigns: plan (audience, exclusions, samples, approval), launch with that approval, and what happened since. */
@Injectable()
export class CampaignsService {
  constructor(
    private readonly sql: Sql,
    private readonly audit: AuditService,
    private readonly segments: SegmentsService,
    @Inject(CONFIG) private readonly config: Config,
    @Optional() private readonly queue?: JobQueue,
  ) {}

  private get cap(): FrequencyCap {
    return { messages: this.config.FREQUENCY_CAP_MESSAGES, days: this.config.FREQUENCY_CAP_DAYS };
  }

  /** The SQL pieces of a definition at one moment: the audience rule, the exclusion reason and the rendered message. */
  // PostgreSQL refuses a parameter no statement mentions, so the message is compiled only for the statements that render it.
  private compile(definition: { rules: unknown; channel: Channel; subject: string | null; template: string; frequencyCap: FrequencyCap; automation?: CampaignPlan['automation'] }, now: Date, withMessage = true) {
    const params = new SqlParams();
    const rule = this.segments.checkRule(definition.rules);
    const ctx = { now, zone: this.config.TIME_ZONE };
    const where = compileRule(rule, params, ctx);
    const since = new Date(now.getTime() - definition.frequencyCap.days * DAY_MS);
    const recent = definition.automation ? { automationId: definition.automation.id, since: new Date(now.getTime() - definition.automation.skipDays * DAY_MS) } : undefined;
    const excluded = exclusionSql(definition.channel, definition.frequencyCap, since, params, recent);
    const rendered = withMessage ? messageSql(this.config, definition, params) : { message: '', subject: 'null::text', parts: messageParts(this.config, definition.channel, definition.template) };
    if (!withMessage) subjectParts(definition);
    return { params, where, excluded, message: rendered.message, subject: rendered.subject, address: addressSql(definition.channel), sentence: this.segments.describe(rule), parts: rendered.parts };
  }

  /**
   * Whether customer `c` is in the campaign's control group: a hash of the campaign and the customer against the
   * holdout share, so the plan's count and the launch pick the same customers, and each campaign its own.
   */
  private heldSql(params: SqlParams, campaignId: number, percent: number) {
    return `((hashtext(${params.add(String(campaignId))}::text || ':' || c.id::text) & 2147483647) % 10000 < ${params.add(Math.round(percent * 100))})`;
  }

  /** Whether a campaign's texts go out with short tracking links (then they are measured with links that long). */
  private shortLinks(campaign: { channel: Channel; tracking: boolean }) {
    return campaign.channel === 'sms' && campaign.tracking && this.config.TRACKING;
  }

  /** The sample as the customer would get it, rendered by the same code that hands it to the carrier. */
  private rendered(channel: Channel, sample: PlanSample & { subject: string | null }, preheader: string | null, shortLinks = false): PlanSample {
    const { subject, ...rest } = sample;
    const placeholder = 'x'.repeat(shortLinkLength(this.config.PUBLIC_URL));
    if (channel === 'sms') return { ...rest, sms: smsSize(shortLinks ? replaceLinks(sample.message, () => placeholder) : sample.message) };
    const from = this.config.EMAIL_FROM ?? 'campaigns@crm.invalid';
    const email = emailContent({
      id: 0, campaignId: 0, customerId: sample.customerId, channel, address: sample.address, subject, preheader, message: sample.message,
      messageId: '<preview@crm.invalid>', unsubscribeUrl: new URL('/unsubscribe/preview', this.config.PUBLIC_URL).toString(),
    }, { address: from, name: this.config.EMAIL_FROM_NAME ?? null, replyTo: null });
    return { ...rest, email: { from: `${email.from.name} <${email.from.address}>`, subject: email.subject, html: email.html, text: email.text } };
  }

  /**
   * Works out who would receive the campaign and what they would read, without sending anything, and issues the
   * approval a marketer or admin redeems to launch. Analysts may plan; the plan changes no customer.
   */
  async plan(actor: Actor, input: PlanInput, signal?: AbortSignal, run?: { automation: NonNullable<CampaignPlan['automation']> }): Promise<CampaignPlan> {
    authorize(actor, 'campaigns.plan');
    const draft = 'campaignId' in input ? await this.draft(input.campaignId) : await this.newDraft(actor, input, run?.automation.id);
    const automation = run?.automation ?? null;
    const now = this.segments.context().now;
    // An email without a subject of its own is sent with the campaign's name: the preview renders that same subject.
    const subjectTemplate = draft.channel === 'email' ? (draft.subject ?? draft.name) : null;
    const definition = { rules: draft.rules, channel: draft.channel, subject: subjectTemplate, template: draft.template, frequencyCap: this.cap, automation };
    const compiled = this.compile(definition, now);
    const { params, where, excluded, message, subject, address } = compiled;
    const counting = this.compile(definition, now, false);
    const holdoutPercent = draft.holdoutPercent ?? this.config.HOLDOUT_PERCENT;
    const attributionDays = draft.attributionDays ?? this.config.ATTRIBUTION_DAYS;
    const limits = this.segments.readLimits(signal);
    const test = draft.abTest;
    const bucket = test ? abBucketSql(counting.params, draft.id) : '0';
    const testLimit = test ? counting.params.add(Math.round(test.testPercent * 100)) : '0';
    // Those who would receive it, by recency and frequency group, for the forecast.
    const group = rfmGroupSql('c.last_order_at', 'c.order_count', `${counting.params.add(now)}::timestamptz`);
    const counts = await boundedRows(this.sql,
      `with x as materialized (
         select ${counting.excluded} as reason, ${this.heldSql(counting.params, draft.id, holdoutPercent)} as held, ${bucket} as bucket, ${group} as grp
         from customers c where ${counting.where})
       select count(*) as matching, count(*) filter (where x.reason is null) as eligible, count(*) filter (where x.reason is null and x.held) as holdout,
         ${exclusionReasons.map((r) => `count(*) filter (where x.reason = '${r}') as "${r}"`).join(', ')},
         count(*) filter (where x.reason is null and not x.held and x.bucket >= ${testLimit}) as remainder
         ${test ? test.variants.map((_, i) => `, count(*) filter (where x.reason is null and not x.held and x.bucket < ${testLimit} and x.bucket % ${test.variants.length} = ${i}) as "v${i}"`).join('') : ''},
         (select coalesce(jsonb_object_agg(grp, n), '{}') from (select grp, count(*) as n from x where reason is null and not held group by grp) g) as groups
       from x`,
      counting.params.values, limits);
    const rows = await boundedRows<PlanSample & { subject: string | null } & Record<string, unknown>>(this.sql,
      `select c.id as "customerId", c.name, ${address} as address, ${message} as message, ${subject} as subject
       from customers c where ${where} and (${excluded}) is null and not ${this.heldSql(params, draft.id, holdoutPercent)} order by c.id limit 5`,
      params.values, { timeoutMs: limits.timeoutMs, signal });
    const samples = rows.map((r) => this.rendered(draft.channel, r, draft.preheader, this.shortLinks(draft)));
    const tooLong = samples.find((s) => s.sms && s.sms.segments > this.config.SMS_MAX_SEGMENTS);
    if (tooLong) throw new TemplateError([`the SMS to ${tooLong.name ?? tooLong.address} would be ${tooLong.sms!.segments} segments (${tooLong.sms!.characters} ${tooLong.sms!.encoding} characters); the limit is ${this.config.SMS_MAX_SEGMENTS} (SMS_MAX_SEGMENTS). Shorten the message${tooLong.sms!.encoding === 'UCS-2' ? ', or leave out characters outside the GSM alphabet (such as ₹ or emoji), which make every segment 70 characters' : ''}`]);
    const row = counts[0];
    const forecast = await forecastFor(this.sql, row.groups as Record<string, number>, { attributionDays, currencyFormat: (v) => formatMoney(v, this.config.CURRENCY, true) });
    const abTest = test ? { ...test, perVariant: test.variants.map((_, i) => Number(row[`v${i}`])), remainder: Number(row.remainder),
      samples: await this.variantSamples(draft, test, samples[0], signal),
      schedule: `${test.variants.length} versions go to ${test.testPercent} % of the audience at launch; after ${test.hours} hour${test.hours > 1 ? 's' : ''} the version with the most ${test.metric} goes to the other ${Number(row.remainder)}` } : null;
    const warnings: string[] = [];
    if (abTest && abTest.perVariant.some((n) => n < 100)) warnings.push(`Each version of the test reaches only ${Math.min(...abTest.perVariant)} customers or so: too few to tell versions apart unless the difference is large. Raise testPercent or test fewer versions.`);
    const gaps = placeholdersWithoutFallback(compiled.parts);
    if (gaps.length) warnings.push(`{{${gaps.join('}}, {{')}}} has no fallback; customers without that value get an empty gap. Write {{${gaps[0]} | "…"}} to choose the words.`);
    if (row.eligible === 0) warnings.push('No customer would receive this campaign, so there is nothing to approve.');
    if (row.eligible > 0 && holdoutPercent === 0) warnings.push('There is no control group (holdout 0 %): the report will show what was sent and ordered, but not what the campaign added.');
    const schedule = scheduleOf(draft, this.config.TIME_ZONE, now);
    const delivery = channelRoutes(this.config)[draft.channel];
    if (!delivery.real) warnings.push(`Nothing will reach customers: ${draft.channel === 'email' ? 'email' : 'SMS'} goes to ${delivery.description}. ${draft.channel === 'email' ? 'Set SMTP_URL and EMAIL_FROM' : 'Set the TWILIO_* settings'} to send for real.`);
    const quietUntil = draft.channel === 'sms' ? quietHoursEnd(new Date(), this.config.SMS_QUIET_HOURS, this.config.TIME_ZONE) : null;
    if (quietUntil) warnings.push(`It is SMS quiet hours (${this.config.SMS_QUIET_HOURS}, ${this.config.TIME_ZONE}): the texts will wait until ${formatDateTime(quietUntil, this.config.TIME_ZONE)}, and none is dropped.`);
    if (this.shortLinks(draft) && messageLinks(draft.template).length) warnings.push(`Each link in the texts leaves as a short tracking link (${shortLinkBase(this.config.PUBLIC_URL)}…, at most ${shortLinkLength(this.config.PUBLIC_URL)} characters), and the sizes above count it so; clicks appear in the report.`);
    if (draft.channel === 'email' && draft.subject === null) warnings.push(`No subject was given, so the subject is the campaign's name, "${draft.name}".`);
    const plan: CampaignPlan = {
      campaignId: draft.id, name: draft.name, channel: draft.channel, delivery, subject: subjectTemplate,
      preheader: draft.preheader, template: draft.template, rules: draft.rules,
      segmentId: draft.segmentId, segmentVersion: draft.segmentVersion, sentence: compiled.sentence, plannedAt: now.toISOString(),
      frequencyCap: this.cap, holdoutPercent, attributionDays,
      audience: { matching: row.matching, eligible: row.eligible, holdout: row.holdout, excluded: Object.fromEntries(exclusionReasons.filter((r) => r !== 'recently_sent' || automation).map((r) => [r, row[r]])) as Record<ExclusionReason, number> },
      samples, abTest, forecast, schedule, automation, warnings, approval: null,
    };
    if (row.eligible > 0) {
      const id = randomUUID();
      const expiresAt = new Date(Date.now() + this.config.APPROVAL_TTL_MINUTES * 60_000);
      plan.approval = { id, expiresAt: expiresAt.toISOString() };
      await campaignsRepository.insertApproval(this.sql, { id, campaignId: draft.id, plan, createdBy: actor.userId, expiresAt });
    }
    await this.audit.record(actor, 'campaign.plan', `campaign:${draft.id}`, { eligible: row.eligible, approval: plan.approval?.id ?? null });
    return plan;
  }

  /** Each version of an A/B test rendered for the same customer, so the versions can be read side by side. */
  private async variantSamples(draft: CampaignRow, test: AbTestDefinition, first: PlanSample | undefined, signal?: AbortSignal): Promise<(PlanSample | null)[]> {
    if (!first) return test.variants.map(() => null);
    return Promise.all(test.variants.map(async (variant, i) => {
      if (i === 0) return first;
      const params = new SqlParams();
      const { message, subject, address } = messageSql(this.config, { channel: draft.channel, ...variant }, params);
      const [row] = await boundedRows<PlanSample & { subject: string | null } & Record<string, unknown>>(this.sql,
        `select c.id as "customerId", c.name, ${address} as address, ${message} as message, ${subject} as subject from customers c where c.id = ${params.add(first.customerId)}`,
        params.values, { timeoutMs: this.segments.readLimits(signal).timeoutMs, signal });
      return row ? this.rendered(draft.channel, row, draft.preheader, this.shortLinks(draft)) : null;
    }));
  }

  /**
   * Stops a scheduled or sending campaign: every message not yet handed over is marked not sent, with the reason;
   * those already handed over cannot be recalled. Needs no approval: stopping never sends anything.
   */
  async cancel(actor: Actor, campaignId: number) {
    authorize(actor, 'campaigns.launch');
    return this.sql.transaction(async (client) => {
      const campaign = await campaignsRepository.lockStatus(client, campaignId);
      if (!campaign) throw new NotFound(`There is no campaign ${campaignId}.`);
      if (campaign.status !== 'scheduled' && campaign.status !== 'sending') throw new Conflict(`Campaign ${campaignId} is ${campaign.status}; only a scheduled or sending campaign can be cancelled.`);
      const notSent = await campaignsRepository.cancel(client, campaignId);
      await this.audit.record(actor, 'campaign.cancel', `campaign:${campaignId}`, { notSent, was: campaign.status }, client);
      return { campaignId, status: 'cancelled' as const, notSent };
    });
  }

  /**
   * Moves a scheduled campaign that has not begun: its frozen messages (customers and texts as approved) wait for the
   * new time, or each for its customer's best hour. The audience is not evaluated again; to change who gets it or what
   * it says, cancel it and plan it anew. A person approves the move, as they approved the time.
   */
  async reschedule(actor: Actor, input: RescheduleInput) {
    authorize(actor, 'campaigns.send');
    const zone = this.config.TIME_ZONE;
    const sendAt = input.sendAt ? readSendAt(input.sendAt, zone, new Date()) : null;
    return this.sql.transaction(async (client) => {
      const campaign = await campaignsRepository.lockStatus(client, input.campaignId);
      if (!campaign) throw new NotFound(`There is no campaign ${input.campaignId}.`);
      if (campaign.status !== 'scheduled') throw new Conflict(`Campaign ${input.campaignId} is ${campaign.status}; only a scheduled campaign whose first message has not left can be moved.`);
      // What the person left out stays as approved: a new time keeps "each at their best hour", and the other way round.
      const schedule = scheduleOf({ sendAt: sendAt ?? campaign.sendAt, sendAtBestHour: input.bestHour ?? campaign.bestHour }, zone, new Date());
      if (!schedule) throw new BadInput([{ path: 'sendAt', message: 'give the new time, or bestHour: true' }]);
      const first = await holdUntilDue(client, input.campaignId, schedule, zone);
      if (!first) throw new Conflict(`Campaign ${input.campaignId} has no message left waiting; there is nothing to move.`);
      await campaignsRepository.moveSchedule(client, input.campaignId, first, schedule.bestHour, schedule);
      await this.audit.record(actor, 'campaign.reschedule', `campaign:${input.campaignId}`, { was: campaign.sendAt ? new Date(campaign.sendAt).toISOString() : null, scheduledFor: first.toISOString(), bestHour: schedule.bestHour }, client);
      return { campaignId: input.campaignId, status: 'scheduled' as const, scheduledFor: first.toISOString(), sentence: schedule.sentence };
    });
  }

  /** The plan an approval stands for, so that whoever is asked to approve sees exactly what would be sent. */
  async approvalPlan(actor: Actor, approvalId: string): Promise<CampaignPlan | null> {
    authorize(actor, 'campaigns.read');
    return campaignsRepository.approvalPlan(this.sql, approvalId);
  }

  /**
   * Redeems an approval: freezes the audience into one communication log per recipient (unique per campaign and
   * customer), marks the approval used and the campaign sending, all in one transaction, then queues delivery.
   */
  async launch(actor: Actor, approvalId: string) {
    authorize(actor, 'campaigns.send', approvalId);
    const launched = await this.sql.transaction(async (client) => {
      const approval = await campaignsRepository.lockApproval(client, approvalId);
      if (!approval) throw new NotFound(`There is no approval ${approvalId}; plan the campaign to get one.`);
      if (approval.redeemedAt) throw new Conflict(`This approval was already used by ${approval.redeemedBy ?? 'someone'} at ${new Date(approval.redeemedAt).toISOString()}; the campaign was launched then.`);
      if (new Date(approval.expiresAt).getTime() <= Date.now()) throw new Refused(`This approval expired at ${new Date(approval.expiresAt).toISOString()}; plan the campaign again to see today's audience and approve that.`);
      if (approval.status !== 'draft') throw new Conflict(`Campaign ${approval.campaignId} is already ${approval.status}; a campaign is launched once.`);
      const plan = approval.plan;
      // The audience is evaluated at the moment the plan was made, so relative dates mean what the person saw.
      const { params, where, excluded, message, subject, address } = this.compile(plan, new Date(plan.plannedAt));
      const campaignParam = params.add(plan.campaignId);
      const channelParam = params.add(plan.channel);
      // The control group first, from the same definition without the message (a statement must use every
      // parameter it is given). Older plans, from before control groups, hold out nobody.
      const percent = plan.holdoutPercent ?? 0;
      const control = this.compile(plan, new Date(plan.plannedAt), false);
      const holdout = await client.query(
        `insert into campaign_holdouts (campaign_id, customer_id)
         select ${control.params.add(plan.campaignId)}, c.id from customers c
         where ${control.where} and (${control.excluded}) is null and ${this.heldSql(control.params, plan.campaignId, percent)}
         on conflict do nothing`,
        control.params.values,
      );
      const held = this.heldSql(params, plan.campaignId, percent);
      let audience: number;
      if (plan.abTest) {
        audience = await this.freezeTest(client, plan, plan.abTest);
      } else {
        const inserted = await client.query(
          `insert into communication_logs (campaign_id, customer_id, channel, address, message, subject)
           select ${campaignParam}, c.id, ${channelParam}, ${address}, ${message}, ${subject}
           from customers c where ${where} and (${excluded}) is null and not ${held}
           order by c.id
           on conflict (campaign_id, customer_id) do nothing`,
          params.values,
        );
        audience = inserted.rowCount ?? 0;
      }
      if (audience === 0) throw new Refused('Nobody would receive this campaign now (everyone matching is excluded or the audience is empty); nothing was sent.');
      const scheduled = plan.schedule ? await holdUntilDue(client, plan.campaignId, plan.schedule, this.config.TIME_ZONE) : null;
      if (plan.channel === 'sms') await this.refuseLongTexts(client, plan.campaignId, this.shortLinks({ channel: plan.channel, tracking: (await this.find(client, plan.campaignId)).tracking }));
      await campaignsRepository.redeemApproval(client, approvalId, actor.userId);
      await campaignsRepository.markLaunched(client, plan, { audience, userId: actor.userId, holdoutPercent: percent, attributionDays: plan.attributionDays ?? this.config.ATTRIBUTION_DAYS });
      if (scheduled) await campaignsRepository.markScheduled(client, plan.campaignId, scheduled);
      const heldOut = holdout.rowCount ?? 0;
      await this.audit.record(actor, 'campaign.launch', `campaign:${plan.campaignId}`, { approvalId, audience, holdout: heldOut, planned: plan.audience.eligible, scheduledFor: scheduled?.toISOString() ?? null }, client);
      return { campaignId: plan.campaignId, audience, holdout: heldOut, planned: plan.audience.eligible, scheduledFor: scheduled?.toISOString() ?? null };
    });
    // A scheduled campaign is dispatched by the reconciler when its first message is due.
    if (launched.scheduledFor) return { ...launched, status: 'scheduled' as const };
    await this.queue?.send(queueNames.deliveryDispatch, { campaignId: launched.campaignId }, `dispatch:${launched.campaignId}`);
    return { ...launched, status: 'sending' as const };
  }

  /**
   * An A/B test at launch: each version's messages frozen for its share of the test group, the rest of the audience
   * frozen (without a message) to get the winner, and the deadline set. Returns everyone the approval covers.
   */
  private async freezeTest(client: Queryable, plan: CampaignPlan, test: AbTestDefinition) {
    const at = new Date(plan.plannedAt);
    let frozen = 0;
    for (const [i, variant] of test.variants.entries()) {
      const { params, where, excluded, message, subject, address } = this.compile({ ...plan, ...variant }, at);
      const bucket = abBucketSql(params, plan.campaignId);
      const inserted = await client.query(
        `insert into communication_logs (campaign_id, customer_id, channel, address, message, subject, variant)
         select ${params.add(plan.campaignId)}, c.id, ${params.add(plan.channel)}, ${address}, ${message}, ${subject}, ${params.add(i)}
         from customers c where ${where} and (${excluded}) is null and not ${this.heldSql(params, plan.campaignId, plan.holdoutPercent)}
           and ${inTestSql(bucket, params, test)} and ${bucket} % ${test.variants.length} = ${i}
         order by c.id
         on conflict (campaign_id, customer_id) do nothing`,
        params.values,
      );
      frozen += inserted.rowCount ?? 0;
    }
    const rest = this.compile(plan, at, false);
    const remainder = await client.query(
      `insert into campaign_ab_remainder (campaign_id, customer_id)
       select ${rest.params.add(plan.campaignId)}, c.id from customers c
       where ${rest.where} and (${rest.excluded}) is null and not ${this.heldSql(rest.params, plan.campaignId, plan.holdoutPercent)}
         and not ${inTestSql(abBucketSql(rest.params, plan.campaignId), rest.params, test)}
       on conflict do nothing`,
      rest.params.values,
    );
    await campaignsRepository.setTestDeadline(client, plan.campaignId);
    return frozen + (remainder.rowCount ?? 0);
  }

  /**
   * Every SMS frozen at launch is measured, not only the five samples: a longer name or city can push one customer's
   * text over the segment limit. One too long refuses the launch, and the transaction leaves nothing behind.
   */
  private async refuseLongTexts(db: Queryable, campaignId: number, shortLinks: boolean) {
    // With tracking, each link leaves as a short link: measured here at its longest.
    const text = shortLinks ? `regexp_replace(message, $$${LINK_SQL_PATTERN}$$, repeat('x', ${shortLinkLength(this.config.PUBLIC_URL)}), 'g')` : 'message';
    const { rows } = await db.query<{ n: number; longest: number }>(
      `select count(*) as n, max(s) as longest from (select ${smsSegmentsSql(text)} as s from communication_logs where campaign_id = $1) x where s > $2`,
      [campaignId, this.config.SMS_MAX_SEGMENTS],
    );
    if (rows[0].n > 0) throw new Refused(`${rows[0].n} of the texts would be longer than ${this.config.SMS_MAX_SEGMENTS} segments (the longest ${rows[0].longest}); shorten the message and plan again. Nothing was sent.`);
  }

  /** What the campaign earned: conversions and revenue of those sent and of the control group, and the lift. */
  async report(actor: Actor, id: number) {
    authorize(actor, 'campaigns.read');
    const row = await this.find(this.sql, id);
    if (!row.launchedAt) throw new Conflict(`Campaign ${id} has not been launched; there is nothing to report yet.`);
    const report = (await campaignReport(this.sql, id, { attributionDays: this.config.ATTRIBUTION_DAYS }))!;
    return { ...report, name: row.name, launchedAt: row.launchedAt, currency: this.config.CURRENCY };
  }

  /** Campaigns newest first, with delivery figures counted from their messages. */
  async history(actor: Actor, options: { limit: number; before?: number }) {
    authorize(actor, 'campaigns.read');
    const rows = await campaignsRepository.list(this.sql, options.limit, options.before ?? null);
    const counts = await deliveryCounts(this.sql, rows.map((r) => r.id));
    return rows.map((row) => this.summary(row, counts.get(row.id)!));
  }

  async stats(actor: Actor, id: number) {
    authorize(actor, 'campaigns.read');
    const row = await this.find(this.sql, id);
    const counts = (await deliveryCounts(this.sql, [id])).get(id)!;
    const failures = await campaignsRepository.failureReasons(this.sql, id);
    return { ...this.summary(row, counts), template: row.template, rules: row.rules, plan: row.plan, failures };
  }

  private summary(row: CampaignRow, counts: DeliveryCounts) {
    return {
      id: row.id, name: row.name, description: row.description, channel: row.channel, status: row.status,
      segmentId: row.segmentId, segmentVersion: row.segmentVersion, createdBy: row.createdBy, createdAt: row.createdAt,
      launchedBy: row.launchedBy, launchedAt: row.launchedAt, completedAt: row.completedAt,
      scheduledFor: row.status === 'scheduled' && row.sendAt ? new Date(row.sendAt).toISOString() : null, ...counts,
      audience: row.audienceSize ?? counts.audience,
    };
  }

  private async draft(id: number) {
    const row = await this.find(this.sql, id);
    if (row.status !== 'draft') throw new Conflict(`Campaign ${id} is already ${row.status}; plan a new campaign to send again.`);
    return row;
  }

  private async newDraft(actor: Actor, input: Exclude<PlanInput, { campaignId: number }>, automationId?: number) {
    // Everything is checked before the draft is stored, so a bad rule or template leaves nothing behind.
    let rules: unknown = input.rules;
    let segmentVersion: number | null = null;
    if (input.segmentId !== undefined) {
      authorize(actor, 'segments.read');
      const segment = await this.segments.rulesOf(input.segmentId, input.segmentVersion);
      rules = segment.rules;
      segmentVersion = segment.version;
    }
    const subject = input.subject ?? null;
    this.compile({ rules, channel: input.channel, subject, template: input.template, frequencyCap: this.cap }, new Date());
    // Every version of a test is checked like the campaign's own message.
    const test = input.abTest ? abTestDefinition(input.abTest, { subject: input.channel === 'email' ? (subject ?? input.name) : null, template: input.template }) : null;
    for (const variant of test?.variants ?? []) this.compile({ rules, channel: input.channel, ...variant, frequencyCap: this.cap }, new Date());
    const sendAt = input.sendAt ? readSendAt(input.sendAt, this.config.TIME_ZONE, new Date()) : null;
    // The draft and its test are stored together or not at all.
    return this.sql.transaction(async (client) => {
      const id = await campaignsRepository.insertDraft(client, {
        name: input.name, description: input.description ?? '', segmentId: input.segmentId ?? null, segmentVersion, rules, channel: input.channel, subject,
        preheader: input.preheader ?? null, template: input.template, createdBy: actor.userId, holdoutPercent: input.holdoutPercent ?? null,
        attributionDays: input.attributionDays ?? null, tracking: input.tracking ?? true, sendAt, bestHour: input.bestHour ?? false, automationId: automationId ?? null,
      });
      if (test) await campaignsRepository.insertAbTest(client, id, test);
      return this.find(client, id);
    });
  }

  private async find(db: Queryable, id: number): Promise<CampaignRow> {
    const row = await campaignsRepository.one(db, id);
    if (!row) throw new NotFound(`There is no campaign ${id}.`);
    return row;
  }
}
