import { screenText, type ScreenContext } from './screen.js';
import { Inject, Injectable } from '@nestjs/common';
import { convertToModelMessages, createUIMessageStream, generateId, isStepCount, streamText, toUIMessageStream, type StopCondition, type ToolSet, type UIMessage, type UIMessageChunk } from 'ai';
import type { Actor } from '../auth/actor.js';
import { authorize } from '../auth/authorize.js';
import type { Config } from '../config/config.schema.js';
import { CONFIG } from '../config/config.token.js';
import { CampaignsService } from '../crm/campaigns/campaigns.service.js';
import { AutomationsService } from '../crm/automations/automations.service.js';
import { BadInput, Conflict, NotFound } from '../crm/errors.js';
import { findTextProblem } from '../crm/text.js';
import { CLOCK, type Clock } from '../crm/time/clock.js';
import { dayIn } from '../crm/time/time-zone.js';
import { logger } from '../logging/logger.js';
import { toolCatalogue } from '../tools/catalogue.js';
import { ToolRunner } from '../tools/tool-runner.js';
import { agentTools, approvalPolicy } from './agent-tools.js';
import type { ChatTurn, TurnMetadata } from './chat-turn.js';
import { ConversationsService } from './conversations.service.js';
import { agentInstructions } from './instructions.js';
import { AGENT_MODEL, type ChosenModel } from './model-choice.js';
import { formatCount } from '../crm/format.js';
import { planSummary } from './plan-summary.js';

const limitMessages = {
  steps: (n: number) => `I stopped after ${n} steps, the most one turn may take. Tell me how to go on, or narrow the request.`,
  tokens: (n: number) => `I stopped because this turn used its ${formatCount(n)} tokens. Ask again with a narrower request.`,
  time: (s: number) => `I stopped because this turn ran for ${s} seconds, the most it may. Nothing further was done.`,
};

/** Marks the approvals a person answered; only approvals waiting in this conversation can be answered. */
function answerApprovals(messages: UIMessage[], approvals: { id: string; approved: boolean; reason?: string }[]) {
  const waiting = new Map<string, any>();
  for (const m of messages) for (const p of m.parts as any[]) if (p.approval?.id) waiting.set(p.approval.id, p);
  for (const answer of approvals) {
    const part = waiting.get(answer.id);
    if (!part) throw new NotFound(`There is no approval ${answer.id} in this conversation.`);
    if (part.state !== 'approval-requested') throw new Conflict(`Approval ${answer.id} was already answered.`);
    part.state = 'approval-responded';
    part.approval = { ...part.approval, approved: answer.approved, ...(answer.reason ? { reason: answer.reason } : {}) };
  }
}

/**
 * One chat turn: load the person's conversation, add their message (or their approval answers), let the model work
 * through the tools within the step, token and time limits, stream the answer, and store the conversation.
 */
@Injectable()
export class ChatService {
  constructor(
    @Inject(AGENT_MODEL) private readonly chosen: ChosenModel,
    @Inject(CONFIG) private readonly config: Config,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly conversations: ConversationsService,
    private readonly runner: ToolRunner,
    private readonly campaigns: CampaignsService,
    private readonly automations: AutomationsService,
  ) {}

  /** Which model answers, for the page's badge. */
  get model() {
    return { model: this.chosen.name, offline: this.chosen.offline };
  }

  async turn(actor: Actor, turn: ChatTurn): Promise<ReadableStream<UIMessageChunk>> {
    authorize(actor, 'agent.chat');
    // Every surface's message passes here (web, Slack): text that cannot be stored is refused before anything is.
    const text = findTextProblem(turn);
    if (text) throw new BadInput([text]);
    const conversation = await this.conversations.open(actor, turn.conversationId);
    const messages = conversation.messages;
    const stored = messages.length;
    // A message from a page's panel keeps what was on screen beside it, so a later turn still knows what "them" was.
    if ('text' in turn.message) messages.push({ id: generateId(), role: 'user', parts: [...(turn.screen ? [{ type: 'data-screen' as const, data: turn.screen }] : []), { type: 'text', text: turn.message.text }] });
    else answerApprovals(messages, turn.message.approvals);
    // A turn that answers approvals continues the agent's last message; a new message starts a new one.
    const from = 'text' in turn.message ? stored : Math.max(stored - 1, 0);
    return this.run(actor, conversation.id, messages, from);
  }

  private async run(actor: Actor, conversationId: string, messages: UIMessage[], from: number) {
    const started = performance.now();
    const tools = agentTools(this.runner, actor);
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), this.config.AGENT_TURN_SECONDS * 1000);
    const maxTokens = this.config.AGENT_MAX_TOKENS;
    const tokenBudget: StopCondition<ToolSet> = ({ steps }) => steps.reduce((sum, s) => sum + (s.usage.totalTokens ?? 0), 0) >= maxTokens;
    const result = streamText({
      model: this.chosen.model,
      instructions: agentInstructions({ today: dayIn(this.clock(), this.config.TIME_ZONE), timeZone: this.config.TIME_ZONE, currency: this.config.CURRENCY, tools: toolCatalogue }),
      messages: await convertToModelMessages(messages, { tools, convertDataPart: (part) => (part.type === 'data-screen' ? { type: 'text', text: screenText(part.data as ScreenContext) } : undefined) }),
      tools,
      toolApproval: approvalPolicy(actor, { approveWrites: this.config.AGENT_APPROVE_WRITES, planSummary: async (id) => (await this.automations.approvalSummary(actor, id)) ?? planSummary(this.campaigns, actor, id) }),
      stopWhen: [isStepCount(this.config.AGENT_MAX_STEPS), tokenBudget],
      abortSignal: abort.signal,
      // Without this the SDK prints the whole failed request — the prompt with customer data — to stderr. The error
      // reaches the person and the log once, through `failed` below.
      onError: () => undefined,
    });
    const model = this.chosen.name;
    const failed = (error: unknown) => {
      // A server may repeat the key it refused in its message: the configured keys never reach the log.
      const reason = [this.config.GOOGLE_GENERATIVE_AI_API_KEY, this.config.OPENAI_COMPATIBLE_API_KEY].filter((k): k is string => !!k && k.length >= 4)
        .reduce((text, key) => text.split(key).join('[redacted]'), error instanceof Error ? error.message : String(error));
      logger.warn('chat turn failed', { conversationId, reason });
      return 'The model could not answer just now; try again in a moment. Anything it had already done in this turn is shown above.';
    };
    return createUIMessageStream<UIMessage<TurnMetadata>>({
      originalMessages: messages as UIMessage<TurnMetadata>[],
      generateId,
      onError: failed,
      execute: async ({ writer }) => {
        try {
          // A failed model call (a refused key, a server that is down) reaches the person once, in the CRM's words:
          // the web chat stops at the first error, which would otherwise be the SDK's bare "An error occurred."
          let modelFailed = false;
          for await (const chunk of toUIMessageStream<ToolSet, UIMessage<TurnMetadata>>({ stream: result.stream, tools, sendFinish: false, onError: failed, redactToolErrors: false, messageMetadata: ({ part }) => (part.type === 'start' ? { model } : undefined) })) {
            writer.write(chunk);
            modelFailed ||= chunk.type === 'error';
          }
          if (modelFailed) return;
          const steps = abort.signal.aborted ? [] : await result.steps;
          const usage = abort.signal.aborted ? undefined : await result.totalUsage;
          const last = steps.at(-1);
          const waitingForPerson = last?.content.some((p) => p.type === 'tool-approval-request') ?? false;
          let stoppedBy: TurnMetadata['stoppedBy'];
          if (abort.signal.aborted) stoppedBy = 'time';
          else if (last?.finishReason === 'tool-calls' && !waitingForPerson) stoppedBy = (usage?.totalTokens ?? 0) >= maxTokens ? 'tokens' : 'steps';
          if (stoppedBy) {
            const text = stoppedBy === 'time' ? limitMessages.time(this.config.AGENT_TURN_SECONDS) : stoppedBy === 'tokens' ? limitMessages.tokens(maxTokens) : limitMessages.steps(this.config.AGENT_MAX_STEPS);
            const id = generateId();
            writer.write({ type: 'text-start', id });
            writer.write({ type: 'text-delta', id, delta: text });
            writer.write({ type: 'text-end', id });
          }
          writer.write({ type: 'finish', messageMetadata: {
            model, steps: steps.length, milliseconds: Math.round(performance.now() - started), stoppedBy,
            usage: usage && { inputTokens: usage.inputTokens, outputTokens: usage.outputTokens, totalTokens: usage.totalTokens },
          } });
        } finally {
          clearTimeout(timer);
        }
      },
      onEnd: async ({ messages: all }) => {
        await this.conversations.save(conversationId, all, from).catch((error) => logger.error('conversation not saved', { conversationId, reason: error.message }));
      },
    });
  }
}
