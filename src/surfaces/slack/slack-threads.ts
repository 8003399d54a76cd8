import type { types, webApi } from '@slack/bolt';
import { createHash } from 'node:crypto';
import type { Actor } from '../../auth/actor.js';
import type { ChatService } from '../../agent/chat.service.js';
import type { ConversationsService } from '../../agent/conversations.service.js';
import type { CampaignsService } from '../../crm/campaigns/campaigns.service.js';
import { NotFound } from '../../crm/errors.js';
import { readTurn, type TurnRead } from './read-turn.js';
import { launchCampaign, planCampaign } from '../../tools/campaign-tools.js';
import { previewSegment } from '../../tools/segment-tools.js';
import { planBlocks, previewBlocks, textBlocks, type AudiencePreview, type PlanView } from './slack-blocks.js';
import type { SlackStatsBoard } from './slack-stats-board.js';

/** Where a message was said: one Slack thread is one agent conversation. */
export interface SlackThread { team: string; channel: string; threadTs: string }

/** A stable conversation id for a thread (a UUID, as conversations are named), so every message finds it again. */
export function conversationIdOf(thread: SlackThread): string {
  const hex = createHash('sha256').update(`slack:${thread.team}:${thread.channel}:${thread.threadTs}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((parseInt(hex[16]!, 16) & 3) | 8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export interface ThreadDeps {
  chat: ChatService; conversations: ConversationsService; campaigns: CampaignsService; board: SlackStatsBoard; currency: string;
}

/** Runs one agent turn for a Slack thread and posts the answer into it as Block Kit. */
export class SlackThreads {
  constructor(private readonly deps: ThreadDeps) {}

  async answer(client: webApi.WebClient, actor: Actor, thread: SlackThread, text: string) {
    const conversationId = conversationIdOf(thread);
    try {
      await this.deps.conversations.open(actor, conversationId, { surface: 'slack', externalRef: `${thread.team}:${thread.channel}:${thread.threadTs}` });
    } catch (error) {
      if (!(error instanceof NotFound)) throw error;
      return this.post(client, thread, [], 'This thread is another person\'s conversation with the CRM. Mention me in a new message to start your own.');
    }
    const turn = await readTurn(await this.deps.chat.turn(actor, { conversationId, message: { text } }));
    await this.postTurn(client, actor, thread, turn, conversationId);
  }

  /** The agent's words, then a card for each result a person acts on: audiences, plans (with buttons), launches. */
  async postTurn(client: webApi.WebClient, actor: Actor, thread: SlackThread, turn: TurnRead, conversationId: string) {
    const blocks: types.KnownBlock[] = [...textBlocks(turn.text)];
    const asked = new Map(turn.approvals.filter((a) => a.name === launchCampaign.name).map((a) => [(a.input as { approvalId?: string }).approvalId, a]));
    for (const step of turn.tools) {
      if (step.name === previewSegment.name && step.output) blocks.push(...previewBlocks(step.output as AudiencePreview, this.deps.currency));
      if (step.name === planCampaign.name && step.output) {
        const plan = step.output as PlanView;
        const request = plan.approval ? asked.get(plan.approval.id) : undefined;
        if (plan.approval) asked.delete(plan.approval.id);
        blocks.push(...planBlocks(plan, plan.approval ? { approvalId: plan.approval.id, toolApprovalId: request?.approvalId, conversationId } : null));
      }
    }
    // A launch asked for in a later message than its plan: show that plan again with the buttons.
    for (const [approvalId, request] of asked) {
      const plan = approvalId ? await this.deps.campaigns.approvalPlan(actor, approvalId).catch(() => null) : null;
      if (plan && approvalId) blocks.push(...planBlocks(plan, { approvalId, toolApprovalId: request.approvalId, conversationId }));
    }
    await this.post(client, thread, blocks, turn.text || 'Done.');
    for (const step of turn.tools) {
      const campaignId = (step.output as { campaignId?: number } | undefined)?.campaignId;
      if (step.name === launchCampaign.name && campaignId) await this.postFigures(client, actor, thread, campaignId);
    }
  }

  /** Figures of the campaign an approval launched, if it was launched. */
  async postFiguresOfApproval(client: webApi.WebClient, actor: Actor, thread: SlackThread, approvalId: string) {
    const plan = await this.deps.campaigns.approvalPlan(actor, approvalId).catch(() => null);
    if (!plan) return;
    const stats = await this.deps.campaigns.stats(actor, plan.campaignId);
    if (stats.status !== 'draft') await this.deps.board.post(thread.channel, thread.threadTs, stats.name, plan.campaignId, stats);
  }

  async postFigures(client: webApi.WebClient, actor: Actor, thread: SlackThread, campaignId: number) {
    const stats = await this.deps.campaigns.stats(actor, campaignId);
    await this.deps.board.post(thread.channel, thread.threadTs, stats.name, campaignId, stats);
  }

  async post(client: webApi.WebClient, thread: SlackThread, blocks: types.KnownBlock[], text: string) {
    const body = blocks.length ? blocks : textBlocks(text);
    return client.chat.postMessage({ channel: thread.channel, thread_ts: thread.threadTs, text: text.slice(0, 3000), blocks: body.slice(0, 50) });
  }
}
