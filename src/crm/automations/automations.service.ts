import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { AuditService } from '../../audit/audit.service.js';
import type { Actor } from '../../auth/actor.js';
import { authorize } from '../../auth/authorize.js';
import type { Config } from '../../config/config.schema.js';
import { CONFIG } from '../../config/config.token.js';
import { Sql, type Queryable } from '../../db/sql.js';
import { Conflict, NotFound, Refused } from '../errors.js';
import { formatDateTime } from '../format.js';
import { SegmentsService } from '../segments/segments.service.js';
import { campaignReport, type CampaignReport } from '../outcomes/campaign-report.js';
import { compareGroups } from '../outcomes/lift.js';
import { PURCHASED } from '../segments/rule-compiler.js';
import type { AutomationInput } from './automation-input.js';
import { cronOf, nextRuns } from './recurrence.js';
import { describeJourney, journeyEntryWords, startJourney } from './journey-engine.js';
import { checkMessage } from '../campaigns/campaign-message.js';
import { canonicalJson } from '../canonical-json.js';
import { automationsRepository, type AutomationFields, type AutomationRow, type StepCount } from './automations.repository.js';

const DAY_MS = 86_400_000;


/** What an approval covers: the whole definition with its caps, hashed, so any change needs a new approval. */
const definitionHash = (a: { definition: unknown; cron: string | null; skipDays: number; maxPerRun: number; maxPerDay: number }) =>
  createHash('sha256').update(JSON.stringify(canonicalJson([a.definition, a.cron, a.skipDays, a.maxPerRun, a.maxPerDay]))).digest('hex');


/**
 * Recurring campaigns: a person approves the definition together with its caps; runs then send on their own (see
 * automation-runner.ts) until paused, or until a run would exceed a cap, which pauses it and asks. Pausing is instant
 * and needs no approval; changing anything, or resuming, needs one.
 */
@Injectable()
export class AutomationsService {
  constructor(
    private readonly sql: Sql,
    private readonly audit: AuditService,
    private readonly segments: SegmentsService,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  /** Checks a definition, stores it as a draft (or a change), and issues the approval; says who would get the next run and when the next week's runs are. */
  async plan(actor: Actor, input: AutomationInput, signal?: AbortSignal) {
    authorize(actor, 'campaigns.plan');
    // Changing an automation stops it until approved again: only those who may start one may do that.
    if (input.automationId !== undefined) authorize(actor, 'campaigns.launch');
    const now = new Date();
    const zone = this.config.TIME_ZONE;
    const journey = input.journey ?? null;
    const cron = journey ? null : cronOf(input.schedule!);
    const upcoming = cron ? nextRuns(cron, zone, now, 50).filter((d) => d.getTime() <= now.getTime() + 7 * DAY_MS) : [];
    // A saved segment is pinned to its version now, so editing the segment later cannot change whom an approved automation reaches.
    const campaign = input.campaign?.segmentId !== undefined && input.campaign.segmentVersion === undefined
      ? { ...input.campaign, segmentVersion: (await this.segments.rulesOf(input.campaign.segmentId)).version } : input.campaign;
    const rules = journey ? ('segment' in journey.entry ? journey.entry.segment : null)
      : campaign!.segmentId !== undefined ? (await this.segments.rulesOf(campaign!.segmentId, campaign!.segmentVersion)).rules : campaign!.rules;
    // Every send step of a journey is checked like a campaign's message, and every branch's rule like a segment's,
    // before anything is stored: a journey must not fail when a customer reaches a step.
    if (journey) {
      for (const step of journey.steps) {
        if ('send' in step) checkMessage(this.config, step.send);
        if ('branch' in step && typeof step.branch.if === 'object') this.segments.checkRule(step.branch.if.segment);
      }
    }
    const audience = rules === null ? null : await this.segments.preview(actor, rules, signal);
    const definition = journey ? { journey } : campaign!;
    const row = { definition, cron, skipDays: input.skipDays, maxPerRun: input.maxPerRun, maxPerDay: input.maxPerDay };
    const hash = definitionHash(row);
    const approvalId = randomUUID();
    const expiresAt = new Date(Date.now() + this.config.APPROVAL_TTL_MINUTES * 60_000);
    const values: AutomationFields = [input.name, JSON.stringify(definition), JSON.stringify(input.schedule ?? null), cron, input.skipDays, input.maxPerRun, input.maxPerDay, journey ? 'journey' : 'recurring'];
    const automationId = await this.sql.transaction(async (client) => {
      let id = input.automationId;
      if (id === undefined) {
        if (await automationsRepository.nameTaken(client, input.name)) throw new Conflict(`There is already an automation called "${input.name}"; give another name, or pass its automationId to change it.`);
        id = await automationsRepository.insert(client, values, actor.userId);
      } else {
        // A change stops the automation until a person approves the new definition.
        if (!(await automationsRepository.change(client, id, values))) throw new NotFound(`There is no automation ${id}.`);
      }
      await automationsRepository.insertApproval(client, { id: approvalId, automationId: id, hash, expiresAt, createdBy: actor.userId });
      await this.audit.record(actor, 'automation.plan', `automation:${id}`, { approval: approvalId, cron, kind: values[7] }, client);
      return id;
    });
    const warnings: string[] = [];
    if (!journey && audience && audience.count > input.maxPerRun) warnings.push(`${audience.count} customers match today, more than maxPerRun (${input.maxPerRun}): a run that would send more stops and asks instead.`);
    return {
      automationId, kind: journey ? 'journey' as const : 'recurring' as const, name: input.name,
      sentence: audience?.sentence ?? `customers, ${journeyEntryWords(journey!)}`, matchingNow: audience?.count ?? 0, cron, timeZone: zone,
      nextRuns: upcoming.map((d) => d.toISOString()),
      schedule: journey ? describeJourney(journey) : `Runs ${describe(input.schedule!)} (${zone}); next: ${upcoming.slice(0, 3).map((d) => formatDateTime(d, zone)).join(', ') || 'not within a week'}.`,
      caps: { maxPerRun: input.maxPerRun, maxPerDay: input.maxPerDay, skipDays: input.skipDays },
      warnings, approval: { id: approvalId, expiresAt: expiresAt.toISOString() },
    };
  }

  /** A person's yes: the automation runs from its next due time, as long as nothing changed since the plan. */
  async approve(actor: Actor, approvalId: string) {
    authorize(actor, 'campaigns.send');
    return this.sql.transaction(async (client) => {
      const approval = await automationsRepository.lockApproval(client, approvalId);
      if (!approval) throw new NotFound(`There is no automation approval ${approvalId}; plan the automation to get one.`);
      if (approval.redeemedAt) throw new Conflict('This approval was already used.');
      if (approval.expiresAt.getTime() <= Date.now()) throw new Refused('This approval has expired; plan the automation again.');
      const a = await this.find(approval.automationId, client, true);
      if (definitionHash(a) !== approval.hash) throw new Conflict('The automation changed after this approval was issued; approve its latest plan instead.');
      const next = a.cron ? nextRuns(a.cron, this.config.TIME_ZONE, new Date(), 1)[0] : null;
      await automationsRepository.redeemApproval(client, approvalId);
      await automationsRepository.activate(client, a.id, next, actor.userId);
      if ('journey' in a.definition) await startJourney(client, a.id, a.definition.journey, this.segments.context());
      await this.audit.record(actor, 'automation.approve', `automation:${a.id}`, { approvalId, nextRunAt: next?.toISOString() ?? null }, client);
      return { automationId: a.id, status: 'active' as const, nextRunAt: next?.toISOString() ?? null };
    });
  }

  /** What an automation approval would start, in a sentence for the person deciding; null when the id is not one. */
  async approvalSummary(actor: Actor, approvalId: string): Promise<string | null> {
    authorize(actor, 'campaigns.read');
    if (!/^[0-9a-f-]{36}$/i.test(approvalId)) return null;
    const row = await automationsRepository.ofApproval(this.sql, approvalId);
    if (!row) return null;
    if ('journey' in row.definition) return `Start the journey "${row.name}": ${describeJourney(row.definition.journey)} At most ${row.maxPerRun} messages a pass and ${row.maxPerDay} a day.`;
    const next = nextRuns(row.cron!, this.config.TIME_ZONE, new Date(), 1)[0];
    return `Start the recurring campaign "${row.name}": runs on the schedule "${row.cron}" (${this.config.TIME_ZONE}), first at ${formatDateTime(next, this.config.TIME_ZONE)}; ${row.definition.channel} to those matching each time, leaving out anyone reached within ${row.skipDays} days; at most ${row.maxPerRun} messages a run and ${row.maxPerDay} a day.`;
  }

  /** Stops the runs at once; nothing already sent is touched. */
  async pause(actor: Actor, automationId: number) {
    authorize(actor, 'campaigns.launch');
    const a = await this.find(automationId);
    // Only a running automation pauses: a draft paused and then resumed would start without anyone approving it.
    if (a.status !== 'active') throw new Conflict(`Automation ${automationId} is ${a.status === 'draft' ? 'a draft waiting for approval' : 'paused already'}; only a running one can be paused.`);
    await automationsRepository.pause(this.sql, a.id, `paused by ${actor.email}`);
    await this.audit.record(actor, 'automation.pause', `automation:${a.id}`, { was: a.status });
    return { automationId: a.id, status: 'paused' as const };
  }

  /** Starts a paused automation again from its next due time (never catching up on the runs it missed). */
  async resume(actor: Actor, automationId: number) {
    authorize(actor, 'campaigns.send');
    const a = await this.find(automationId);
    if (a.status !== 'paused') throw new Conflict(`Automation ${automationId} is ${a.status}; only a paused one can be resumed${a.status === 'draft' ? ' (a draft needs its approval)' : ''}.`);
    const next = a.cron ? nextRuns(a.cron, this.config.TIME_ZONE, new Date(), 1)[0] : null;
    await this.sql.transaction(async (client) => {
      await automationsRepository.activate(client, a.id, next);
      // Nothing was read while it was paused: a journey starts again from what is true now, its customers where they were.
      if ('journey' in a.definition) await startJourney(client, a.id, a.definition.journey, this.segments.context(), false);
    });
    await this.audit.record(actor, 'automation.resume', `automation:${a.id}`, { nextRunAt: next?.toISOString() ?? null });
    return { automationId: a.id, status: 'active' as const, nextRunAt: next?.toISOString() ?? null };
  }

  /**
   * What all runs of a recurring campaign earned together: each run's campaign report, and the groups added up, so
   * the lift against the control groups (each run holds out its own) reads over every run.
   */
  async report(actor: Actor, automationId: number) {
    authorize(actor, 'campaigns.read');
    const a = await this.find(automationId);
    if (a.kind === 'journey') return this.journeyReport(a);
    const runs = await automationsRepository.launchedRuns(this.sql, a.id);
    const reports: CampaignReport[] = [];
    for (const run of runs) reports.push((await campaignReport(this.sql, run.id, { attributionDays: this.config.ATTRIBUTION_DAYS }))!);
    const total = (group: 'sent' | 'holdout') => reports.reduce((sum, r) => ({
      customers: sum.customers + r[group].customers, converted: sum.converted + r[group].converted, orders: sum.orders + r[group].orders, revenue: sum.revenue + r[group].revenue,
    }), { customers: 0, converted: 0, orders: 0, revenue: 0 });
    const [sent, holdout] = [total('sent'), total('holdout')];
    return {
      automationId: a.id, name: a.name, runs: reports.map((r) => ({ campaignId: r.campaignId, sent: r.sent, holdout: r.holdout, verdict: r.lift.verdict, windowOpen: r.windowOpen })),
      sent, holdout, lift: compareGroups(sent, holdout), currency: this.config.CURRENCY,
    };
  }

  /**
   * A journey against its control group: customers who were sent a message against those held out at the same step
   * (who went through it but got nothing), each converting with an order within the window after entering.
   */
  private async journeyReport(a: AutomationRow) {
    const rows = await automationsRepository.journeyGroups(this.sql, a.id, this.config.ATTRIBUTION_DAYS, PURCHASED);
    const group = (held: boolean) => {
      const r = rows.find((x) => x.held === held);
      return { customers: r?.customers ?? 0, converted: r?.converted ?? 0, orders: r?.orders ?? 0, revenue: Number(r?.revenue ?? 0) };
    };
    const [sent, holdout] = [group(false), group(true)];
    return { automationId: a.id, name: a.name, runs: [], sent, holdout, lift: compareGroups(sent, holdout), currency: this.config.CURRENCY };
  }

  /** Every automation with its state and its latest runs (each run is a campaign with its own report). */
  async list(actor: Actor) {
    authorize(actor, 'campaigns.read');
    const rows = await automationsRepository.listWithRuns(this.sql);
    return rows.map((a) => ({
      automationId: a.id, kind: a.kind, name: a.name, status: a.status, statusReason: a.statusReason, cron: a.cron, caps: { maxPerRun: a.maxPerRun, maxPerDay: a.maxPerDay, skipDays: a.skipDays },
      approvedBy: a.approvedBy, nextRunAt: a.nextRunAt ? new Date(a.nextRunAt).toISOString() : null, sent: a.sent, runs: a.runs,
      steps: stepCounts(a.steps, a.waiting ?? {}, a.exited ?? {}),
      // What plan_automation takes to change it, as it stands.
      definition: { name: a.name, ...('journey' in a.definition ? { journey: a.definition.journey } : { campaign: a.definition, schedule: a.schedule }),
        skipDays: a.skipDays, maxPerRun: a.maxPerRun, maxPerDay: a.maxPerDay },
    }));
  }

  private async find(id: number, db: Queryable = this.sql, lock = false): Promise<AutomationRow> {
    const row = await automationsRepository.one(db, id, lock);
    if (!row) throw new NotFound(`There is no automation ${id}.`);
    return row;
  }
}


/** Per step: customers who reached it (acted on), are waiting at it, were sent or skipped there, and left there. */
function stepCounts(done: StepCount[], waiting: Record<string, number>, exited: Record<string, number>): StepCount[] {
  const steps = new Map(done.map((s) => [s.step, s]));
  for (const step of [...Object.keys(waiting), ...Object.keys(exited)].map(Number)) if (!steps.has(step)) steps.set(step, { step, entered: 0, waiting: 0, sent: 0, skipped: 0, exited: 0 });
  return [...steps.values()].sort((a, b) => a.step - b.step).map((s) => ({ ...s, waiting: waiting[s.step] ?? 0, exited: exited[s.step] ?? 0 }));
}

function describe(s: NonNullable<AutomationInput['schedule']>) {
  if ('cron' in s) return `on the cron schedule "${s.cron}"`;
  if (s.every === 'day') return `every day at ${s.at}`;
  if (s.every === 'week') return `every ${s.on[0].toUpperCase()}${s.on.slice(1)} at ${s.at}`;
  return `on day ${s.day} of every month at ${s.at}`;
}
