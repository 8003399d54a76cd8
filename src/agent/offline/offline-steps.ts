import { parseRule } from '../../crm/segments/rule-parser.js';
import { describeClause, describeRule } from '../../crm/segments/rule-sentence.js';
import type { ToolName } from '../../tools/catalogue.js';
import type { RuleJson } from '../language/rule-json.js';
import * as reply from './offline-replies.js';
import { getInsights, getOverview } from '../../tools/analytics-tools.js';
import { getCampaignReport, getCampaignStats, launchCampaign, listCampaigns, planCampaign } from '../../tools/campaign-tools.js';
import { getCustomer, rankCustomers, searchCustomers } from '../../tools/customer-tools.js';
import { applyFollowUp } from './follow-up.js';
import { suggestMessages } from '../../tools/message-tools.js';
import { approveAutomation, planAutomation } from '../../tools/automation-tools.js';
import { createSegment, getSegmentInsights, listSegments, previewSegment } from '../../tools/segment-tools.js';
import type { CampaignWish, ChatRequest, Understood } from './request-grammar.js';

/** A tool call made earlier in this turn, with what came back. */
// Tool names are the catalogue's (ToolName), named below through each tool's own definition.
export interface DoneCall { toolName: ToolName; input: any; output?: any; error?: string; denied?: { reason?: string } }

/** What earlier turns left behind, so "save it" and "launch it" know what "it" is. */
export interface Memory { rules?: RuleJson; approvalId?: string; campaignId?: number; firstTurn: boolean }

export type Step = { call: ToolName; input: Record<string, unknown> } | { say: string };

/** The day (YYYY-MM-DD, business time zone) and the CRM's currency, which answers and campaign names use. */
export interface StepContext { today: string; currency: string }

const sentenceOf = (rules: RuleJson, currency: string) => {
  try {
    return describeRule(parseRule(rules), currency);
  } catch {
    return null;
  }
};

const goalTitles = { win_back: 'Win-back', thank_you: 'Thank you', new_arrivals: 'New arrivals', offer: 'Offer' } as const;
// The subject of a recurring campaign's email when the person did not give one (each run then says the same).
const goalSubjects = { win_back: 'We miss you, {{first_name | "friend"}}', thank_you: 'Thank you, {{first_name | "friend"}}', new_arrivals: 'New in this week', offer: 'An offer for you' } as const;

const find = (done: DoneCall[], name: ToolName) => [...done].reverse().find((d) => d.toolName === name);

function summary(done: DoneCall[], currency: string, understood?: Understood): string {
  const lines: string[] = [];
  const notes = understood ? reply.understoodNotes(understood) : '';
  if (notes) lines.push(notes);
  for (const d of done) {
    if (d.denied) lines.push(reply.deniedReply(d.denied.reason));
    else if (d.error) lines.push(reply.failedReply(d.toolName, d.error));
    else if (d.toolName === previewSegment.name) lines.push(understood?.everyone ? reply.everyoneReply(d.output) : reply.previewReply(d.output));
    else if (d.toolName === rankCustomers.name) lines.push(reply.rankReply(d.output, currency));
    else if (d.toolName === getCustomer.name) lines.push(reply.profileReply(d.output, currency));
    else if (d.toolName === createSegment.name) lines.push(reply.savedReply(d.output));
    else if (d.toolName === planCampaign.name) lines.push(reply.planReply(d.output));
    else if (d.toolName === launchCampaign.name) lines.push(reply.launchReply(d.output));
    else if (d.toolName === getCampaignStats.name) lines.push(reply.statsReply(d.output));
    else if (d.toolName === listCampaigns.name && !find(done, getCampaignStats.name) && !find(done, getCampaignReport.name)) lines.push(reply.historyReply(d.output));
    else if (d.toolName === getCampaignReport.name) lines.push(reply.reportReply(d.output));
    else if (d.toolName === getSegmentInsights.name) lines.push(reply.segmentInsightsReply(d.output));
    else if (d.toolName === planAutomation.name) lines.push(reply.automationPlanReply(d.output));
    else if (d.toolName === approveAutomation.name) lines.push(reply.automationApprovedReply(d.output));
    else if (d.toolName === listSegments.name) lines.push(reply.segmentsReply(d.output));
    else if (d.toolName === getOverview.name) lines.push(reply.overviewReply(d.output, currency));
    else if (d.toolName === getInsights.name) lines.push(reply.insightsReply(d.output));
    else if (d.toolName === searchCustomers.name && !find(done, getCustomer.name)) lines.push(reply.customersReply(d.output, currency));
  }
  return lines.join('\n\n');
}

/** A few words for who a campaign is for: its saved segment, or its rule's first condition. */
function audienceLabel(audience: { rules?: RuleJson; segmentId?: number }, currency: string) {
  if (audience.segmentId) return `segment #${audience.segmentId}`;
  try {
    const rule = parseRule(audience.rules);
    const first = rule.kind === 'all' || rule.kind === 'any' ? rule.rules[0] : rule;
    const words = describeClause(first, currency);
    const more = rule.kind === 'all' || rule.kind === 'any' ? ' …' : '';
    return words.length > 60 ? `${words.slice(0, 57)}…` : `${words}${more}`;
  } catch {
    return 'the audience';
  }
}

// The campaign part of a request: draft a message when none was quoted, plan, then ask to launch.
function campaignSteps(wish: CampaignWish, audience: { rules?: RuleJson; segmentId?: number }, done: DoneCall[], today: string, currency: string): Step | null {
  let template = wish.template;
  if (!template) {
    const drafts = find(done, suggestMessages.name);
    if (!drafts) return { call: suggestMessages.name, input: { goal: wish.goal, channel: wish.channel, ...(wish.discountPercent ? { discountPercent: wish.discountPercent } : {}) } };
    template = drafts.output?.templates?.[0];
    if (!template) return null;
  }
  if (wish.recurrence) return automationSteps(wish, template, audience, done);
  const plan = find(done, planCampaign.name);
  if (!plan) {
    // Named after who it is for, so that two campaigns of a day are told apart in the history.
    const name = wish.name ?? `${goalTitles[wish.goal]}${wish.discountPercent ? ` ${wish.discountPercent}%` : ''} ${wish.channel} to ${audienceLabel(audience, currency)}, ${today}`;
    return { call: planCampaign.name, input: { name, channel: wish.channel, template, ...audience, ...(wish.sendTime ?? {}) } };
  }
  if (!wish.send || !plan.output?.approval || find(done, launchCampaign.name)) return null;
  return { call: launchCampaign.name, input: { approvalId: plan.output.approval.id } };
}

/**
 * A recurring campaign: planned with caps a little above today's audience (a person sees and approves them), then
 * started, which waits for the person's approval like a launch.
 */
function automationSteps(wish: CampaignWish, template: string, audience: { rules?: RuleJson; segmentId?: number }, done: DoneCall[]): Step | null {
  const planned = find(done, planAutomation.name);
  if (!planned) {
    const matching = Number(find(done, previewSegment.name)?.output?.count ?? 0);
    const cap = Math.max(100, Math.ceil(matching * 1.5));
    const name = wish.name ?? `${goalTitles[wish.goal]}${wish.discountPercent ? ` ${wish.discountPercent}%` : ''} ${wish.channel}, ${recurrenceWords(wish.recurrence!)}`;
    const subject = wish.channel === 'email' ? { subject: goalSubjects[wish.goal] } : {};
    return { call: planAutomation.name, input: { name, campaign: { channel: wish.channel, template, ...subject, ...audience }, schedule: wish.recurrence, maxPerRun: cap, maxPerDay: cap } };
  }
  if (!wish.send || !planned.output?.approval || find(done, approveAutomation.name)) return null;
  return { call: approveAutomation.name, input: { approvalId: planned.output.approval.id } };
}

const recurrenceWords = (r: NonNullable<CampaignWish['recurrence']>) =>
  'cron' in r ? r.cron : r.every === 'day' ? `daily at ${r.at}` : r.every === 'week' ? `${r.on}s at ${r.at}` : `monthly on the ${r.day} at ${r.at}`;

/**
 * The offline model's whole policy: given the request and the calls already made this turn, the next tool call or
 * the answer. A failed call ends the turn with its error, so the person sees exactly what went wrong.
 */
export function nextStep(request: ChatRequest, done: DoneCall[], memory: Memory, { today, currency }: StepContext): Step {
  const failed = done.find((d) => d.error || d.denied);
  const understood = request.kind === 'audience' || request.kind === 'rank' || request.kind === 'follow_up' ? request.understood : undefined;
  const finish = () => ({ say: (memory.firstTurn ? `${reply.offlineIntro}\n\n` : '') + summary(done, currency, understood) });
  if (failed) return finish();
  const once = (name: ToolName, input: Record<string, unknown> = {}): Step => (find(done, name) ? finish() : { call: name, input });
  switch (request.kind) {
    case 'help': return { say: reply.helpText };
    case 'unclear': return { say: reply.clarify(request.understood ? sentenceOf(request.understood, currency) : null, request.unknown, request.asks ?? [], request.corrections ?? []) };
    case 'imports': return { say: reply.importHelp };
    case 'rank': return once(rankCustomers.name, { by: request.by, direction: request.direction, limit: Math.min(100, request.limit), ...(request.rules ? { rules: request.rules } : {}) });
    case 'follow_up': {
      if (!memory.rules) return { say: 'Which customers? Describe the audience first (for example "customers in Delhi who spent over 5,000"), then narrow it down.' };
      const rules = applyFollowUp(memory.rules, request.followUp);
      if (!rules) return { say: `I could not tell which part of the last audience to change (${sentenceOf(memory.rules, currency) ?? 'the last rule'}). Say the whole audience again with the new figure.` };
      return audienceSteps(rules, undefined, request.campaign, done, today, currency) ?? finish();
    }
    case 'overview': return once(getOverview.name);
    case 'insights': return once(getInsights.name);
    case 'campaigns': return once(listCampaigns.name, { limit: 10 });
    case 'segments': return once(listSegments.name);
    case 'customer_search': {
      // One match: their profile; several: the choice, so the person can say which.
      const found = find(done, searchCustomers.name);
      if (!found) return { call: searchCustomers.name, input: { query: request.query, limit: 10 } };
      if (found.output?.total === 1) return once(getCustomer.name, { customerId: found.output.customers[0].id });
      return finish();
    }
    case 'campaign_stats': {
      if (request.campaignId) return once(getCampaignStats.name, { campaignId: request.campaignId });
      const list = find(done, listCampaigns.name);
      if (!list) return { call: listCampaigns.name, input: { limit: 1 } };
      const latest = list.output?.campaigns?.[0];
      if (!latest) return { say: reply.historyReply(list.output) };
      return once(getCampaignStats.name, { campaignId: latest.id });
    }
    case 'campaign_report': {
      if (request.campaignId) return once(getCampaignReport.name, { campaignId: request.campaignId });
      const list = find(done, listCampaigns.name);
      if (!list) return { call: listCampaigns.name, input: { limit: 20 } };
      const launched = (list.output?.campaigns ?? []).filter((c: { launchedAt: string | null }) => c.launchedAt);
      const wanted = request.name?.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
      const match = wanted ? launched.find((c: { name: string }) => c.name.toLowerCase().replace(/[^a-z0-9]+/g, ' ').includes(wanted)) : launched[0];
      if (!match) return { say: wanted ? `I found no launched campaign called "${request.name}" among the latest 20. ${reply.historyReply(list.output)}` : reply.historyReply(list.output) };
      return once(getCampaignReport.name, { campaignId: match.id });
    }
    case 'journey': {
      const planned = find(done, planAutomation.name);
      if (!planned) {
        const entry = 'event' in request.journey.entry ? request.journey.entry.event.replace(/_/g, ' ') : 'segment';
        return { call: planAutomation.name, input: { name: `Journey after ${entry} ${today}`, journey: request.journey, maxPerRun: 1000, maxPerDay: 1000 } };
      }
      if (!planned.output?.approval) return finish();
      return once(approveAutomation.name, { approvalId: planned.output.approval.id });
    }
    case 'segment_insights':
      if (!memory.rules) return { say: 'Which customers? Describe them first (for example "customers in Delhi who spent over 5,000"), then ask who they are.' };
      return once(getSegmentInsights.name, { rules: memory.rules });
    case 'launch_previous':
      if (!memory.approvalId) return { say: 'There is no planned campaign waiting in this conversation. Describe the audience and the message, and I will plan one first.' };
      return once(launchCampaign.name, { approvalId: memory.approvalId });
    case 'save_previous':
    case 'campaign_previous': {
      if (!memory.rules) return { say: 'Which customers? Describe the audience first (for example "customers in Delhi who spent over 5,000"), then ask again.' };
      return audienceSteps(memory.rules, request.kind === 'save_previous' ? request.saveAs : undefined, request.campaign, done, today, currency) ?? finish();
    }
    case 'audience':
      if (request.insights) return once(getSegmentInsights.name, { rules: request.rules });
      return audienceSteps(request.rules, request.saveAs, request.campaign, done, today, currency) ?? finish();
  }
}

function audienceSteps(rules: RuleJson, saveAs: string | undefined, campaign: CampaignWish | undefined, done: DoneCall[], today: string, currency: string): Step | null {
  if (!find(done, previewSegment.name)) return { call: previewSegment.name, input: { rules } };
  if (saveAs && !find(done, createSegment.name)) return { call: createSegment.name, input: { name: saveAs, rules } };
  return campaign ? campaignSteps(campaign, { rules }, done, today, currency) : null;
}
