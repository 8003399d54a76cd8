import type { types, webApi } from '@slack/bolt';
import { z } from 'zod';
import type { Actor } from '../../auth/actor.js';
import { can } from '../../auth/authorize.js';
import type { ChatService } from '../../agent/chat.service.js';
import type { ConversationsService } from '../../agent/conversations.service.js';
import { launchCampaign } from '../../tools/campaign-tools.js';
import type { ToolRunner } from '../../tools/tool-runner.js';
import { errorSentence } from '../../crm/error-sentence.js';
import { logger } from '../../logging/logger.js';
import { readTurn } from './read-turn.js';
import { decidedBlocks } from './slack-blocks.js';
import type { SlackThread, SlackThreads } from './slack-threads.js';

// The button's value comes back from Slack's servers, but it is still input: checked like any other.
export const approvalButton = z.object({
  approvalId: z.uuid(),
  toolApprovalId: z.string().max(200).optional(),
  conversationId: z.uuid().optional(),
}).strict();

/** A press of a plan's button: who, the button's value, and the message it sits in (to replace the buttons). */
export interface PressedButton { presser: string; value: string; thread: SlackThread; messageTs: string; blocks: types.KnownBlock[] }

export interface ApprovalDeps { chat: ChatService; conversations: ConversationsService; runner: ToolRunner; threads: SlackThreads }

/**
 * Approve and Reject on a campaign plan. Only a linked marketer or admin decides. When the person who pressed owns
 * the conversation whose agent asked, the answer goes to the agent (which then launches and reports, as in the web
 * chat); anyone else with the right role launches the plan's approval directly. The approval is single-use, so
 * a second press, by anyone, sends nothing.
 */
export class SlackApprovals {
  constructor(private readonly deps: ApprovalDeps) {}

  async decide(client: webApi.WebClient, actor: Actor | null, pressed: PressedButton, approved: boolean, howToGetAccess: string) {
    const tell = (text: string) => client.chat.postEphemeral({ channel: pressed.thread.channel, user: pressed.presser, thread_ts: pressed.thread.threadTs, text });
    if (!actor) return tell(howToGetAccess);
    if (!can(actor, 'campaigns.launch')) return tell(`Only a marketer or admin can ${approved ? 'approve' : 'reject'} a send; your CRM role is ${actor.role}. Nothing was sent.`);
    let value: unknown = null;
    try { value = JSON.parse(pressed.value); } catch { /* reported just below as not one of ours */ }
    const parsed = approvalButton.safeParse(value);
    if (!parsed.success) return tell('This button is not one of the CRM\'s; nothing was sent.');
    const button = parsed.data;
    try {
      const agentAsked = button.toolApprovalId && button.conversationId && (await this.owns(actor, button.conversationId));
      if (agentAsked) {
        const turn = await readTurn(await this.deps.chat.turn(actor, { conversationId: button.conversationId!, message: { approvals: [{ id: button.toolApprovalId!, approved }] } }));
        await this.markDecided(client, pressed, approved);
        await this.deps.threads.postTurn(client, actor, pressed.thread, turn, button.conversationId!);
        // The agent's launch continues a tool call from an earlier message, so its result is found by the approval.
        if (approved) await this.deps.threads.postFiguresOfApproval(client, actor, pressed.thread, button.approvalId);
        return;
      }
      if (!approved) return this.markDecided(client, pressed, false);
      const launched = await this.deps.runner.run(actor, launchCampaign, { approvalId: button.approvalId });
      await this.markDecided(client, pressed, true);
      await this.deps.threads.postFigures(client, actor, pressed.thread, launched.campaignId);
    } catch (error) {
      const { sentence, expected } = errorSentence(error);
      if (!expected) logger.error('slack approval failed', { error });
      await tell(`Nothing was sent: ${sentence}`);
    }
  }

  private async owns(actor: Actor, conversationId: string) {
    return this.deps.conversations.get(actor, conversationId).then(() => true, () => false);
  }

  private markDecided(client: webApi.WebClient, pressed: PressedButton, approved: boolean) {
    const decision = approved ? `Approved by <@${pressed.presser}>; sending.` : `Rejected by <@${pressed.presser}>; nothing was sent.`;
    return client.chat.update({ channel: pressed.thread.channel, ts: pressed.messageTs, text: decision, blocks: decidedBlocks(pressed.blocks, decision) });
  }
}
