import { App, ExpressReceiver, type types, type webApi } from '@slack/bolt';
import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import express from 'express';
import { z } from 'zod';
import { ChatService } from '../../agent/chat.service.js';
import { ConversationsService } from '../../agent/conversations.service.js';
import { UsersService } from '../../auth/users.service.js';
import type { Config } from '../../config/config.schema.js';
import { CONFIG } from '../../config/config.token.js';
import { CampaignsService } from '../../crm/campaigns/campaigns.service.js';
import { Sql } from '../../db/sql.js';
import { CrmEventsListener } from '../../events/crm-events-listener.js';
import { logger } from '../../logging/logger.js';
import { ToolRunner } from '../../tools/tool-runner.js';
import { boltLogger } from './bolt-logger.js';
import { SlackApprovals } from './slack-approvals.js';
import { planBlocks } from './slack-blocks.js';
import { howToGetAccess, slackActor } from './slack-people.js';
import { SlackStatsBoard } from './slack-stats-board.js';
import { SlackReportPoster } from './slack-report-poster.js';
import { SlackRunsPoster } from './slack-runs-poster.js';
import { SlackThreads, type SlackThread } from './slack-threads.js';

// What the bot reads from Slack's payloads, checked before use: a payload that does not fit is ignored and logged.
const said = z.object({ user: z.string().min(1), text: z.string().default(''), channel: z.string().min(1), ts: z.string().min(1), thread_ts: z.string().optional(), team: z.string().optional() });
const command = z.object({ user_id: z.string().min(1), channel_id: z.string().min(1), team_id: z.string().min(1), text: z.string().max(4000) });
const pressed = z.object({
  user: z.object({ id: z.string().min(1) }),
  team: z.object({ id: z.string() }).nullable().optional(),
  channel: z.object({ id: z.string().min(1) }),
  message: z.object({ ts: z.string(), thread_ts: z.string().optional(), blocks: z.array(z.any()).default([]) }),
});

const HELP = [
  '*Ask me about your customers and campaigns*, e.g. `/crm customers who went quiet for 90 days — how many?`',
  '`/crm send them an email saying "We miss you, {{first_name | "there"}}: 10% off with COMEBACK10"` plans a campaign; a marketer approves it with the button.',
  '`/crm approve <approval id>` shows a plan made elsewhere (an AI assistant over MCP) with Approve and Reject.',
  'Mention me in a channel or write to me directly; each thread is one conversation.',
].join('\n');

/**
 * The Slack bot: app mentions, direct messages and `/crm`, answered by the same agent and tools as the web chat.
 * Over HTTP it is mounted at /slack/events in the main server (Bolt checks each request's signature and its
 * five-minute window); with SLACK_APP_TOKEN it uses Socket Mode instead.
 */
@Injectable()
export class SlackBot implements OnModuleInit, OnModuleDestroy {
  /** The Express router serving /slack/events; absent when Slack is not configured or uses Socket Mode. */
  readonly router?: express.Router;
  private readonly app?: App;
  private board?: SlackStatsBoard;
  private reports?: SlackReportPoster;
  private runs?: SlackRunsPoster;
  private threads!: SlackThreads;
  private approvals!: SlackApprovals;

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    private readonly users: UsersService,
    private readonly chat: ChatService,
    private readonly conversations: ConversationsService,
    private readonly campaigns: CampaignsService,
    private readonly runner: ToolRunner,
    private readonly sql: Sql,
    private readonly listener: CrmEventsListener,
  ) {
    if (!config.SLACK_BOT_TOKEN) return;
    const clientOptions = { slackApiUrl: config.SLACK_API_URL ? `${config.SLACK_API_URL.replace(/\/$/, '')}/` : undefined, retryConfig: { retries: 2 } };
    if (config.SLACK_APP_TOKEN) {
      this.app = new App({ token: config.SLACK_BOT_TOKEN, appToken: config.SLACK_APP_TOKEN, socketMode: true, logger: boltLogger, clientOptions });
    } else {
      this.router = express.Router();
      const receiver = new ExpressReceiver({ signingSecret: config.SLACK_SIGNING_SECRET!, router: this.router, endpoints: '/slack/events', logger: boltLogger, processBeforeResponse: false });
      this.app = new App({ token: config.SLACK_BOT_TOKEN, receiver, logger: boltLogger, clientOptions });
    }
    this.listen(this.app);
  }

  async onModuleInit() {
    if (!this.app) return;
    this.board = new SlackStatsBoard(this.app.client, this.listener, this.sql);
    this.reports = new SlackReportPoster(this.app.client, this.sql, this.campaigns, this.listener);
    if (this.config.SLACK_RUNS_CHANNEL) this.runs = new SlackRunsPoster(this.app.client, this.sql, this.config.SLACK_RUNS_CHANNEL, this.listener);
    this.threads = new SlackThreads({ chat: this.chat, conversations: this.conversations, campaigns: this.campaigns, board: this.board, currency: this.config.CURRENCY });
    this.approvals = new SlackApprovals({ chat: this.chat, conversations: this.conversations, runner: this.runner, threads: this.threads });
    if (this.config.SLACK_APP_TOKEN) await this.app.start();
  }

  async onModuleDestroy() {
    this.board?.stop();
    this.reports?.stop();
    this.runs?.stop();
    if (this.app && this.config.SLACK_APP_TOKEN) await this.app.stop().catch(() => undefined);
  }

  private listen(app: App) {
    // A retried delivery of an event already taken is dropped here, before any listener runs.
    app.use(async ({ body, next }) => {
      const eventId = (body as { event_id?: unknown }).event_id;
      if (typeof eventId === 'string' && !(await this.firstDelivery(eventId))) return;
      await next();
    });

    app.event('app_mention', async ({ event, client, body }) => {
      await this.hear(client, said.safeParse({ ...event, team: (body as { team_id?: string }).team_id }), (text) => text.replace(/<@[A-Z0-9]+>/g, ''));
    });

    app.message(async ({ message, client, body }) => {
      const m = message as { channel_type?: string; subtype?: string; bot_id?: string };
      if (m.channel_type !== 'im' || m.subtype || m.bot_id) return; // channels are answered through mentions
      await this.hear(client, said.safeParse({ ...message, team: (body as { team_id?: string }).team_id }), (text) => text);
    });

    app.command('/crm', async ({ command: raw, ack, client, respond }) => {
      await ack(); // within Slack's three seconds; the work goes on after
      const parsed = command.safeParse(raw);
      if (!parsed.success) return logger.warn('slack command ignored', { problems: parsed.error.issues.length });
      await this.slashCommand(client, parsed.data, (text) => respond({ response_type: 'ephemeral', text }).then(() => undefined));
    });

    for (const [actionId, approved] of [['campaign_approve', true], ['campaign_reject', false]] as const) {
      app.action(actionId, async ({ ack, body, action, client }) => {
        await ack();
        const parsed = pressed.safeParse(body);
        if (!parsed.success) return logger.warn('slack action ignored', { actionId });
        const { user, team, channel, message } = parsed.data;
        const actor = await slackActor(this.users, client, user.id);
        const thread: SlackThread = { team: team?.id ?? '', channel: channel.id, threadTs: message.thread_ts ?? message.ts };
        const value = (action as { value?: string }).value ?? '';
        await this.approvals.decide(client, actor, { presser: user.id, value, thread, messageTs: message.ts, blocks: message.blocks as types.KnownBlock[] }, approved, howToGetAccess(user.id));
      });
    }

    app.error(async (error) => { logger.error('slack handler failed', { reason: error.message }); });
  }

  private async hear(client: webApi.WebClient, parsed: z.ZodSafeParseResult<z.output<typeof said>>, clean: (text: string) => string) {
    if (!parsed.success) return logger.warn('slack message ignored', { problems: parsed.error.issues.length });
    const m = parsed.data;
    const thread: SlackThread = { team: m.team ?? '', channel: m.channel, threadTs: m.thread_ts ?? m.ts };
    const text = clean(m.text).trim();
    const actor = await slackActor(this.users, client, m.user);
    if (!actor) return this.threads.post(client, thread, [], howToGetAccess(m.user));
    if (!text) return this.threads.post(client, thread, [], HELP);
    await this.threads.answer(client, actor, thread, text);
  }

  private async slashCommand(client: webApi.WebClient, c: z.output<typeof command>, reply: (text: string) => Promise<void>) {
    const text = c.text.trim();
    if (!text || text === 'help') return reply(HELP);
    const actor = await slackActor(this.users, client, c.user_id);
    if (!actor) return reply(howToGetAccess(c.user_id));
    const approve = /^approve\s+(\S+)$/i.exec(text);
    if (approve) {
      const plan = z.uuid().safeParse(approve[1]).success ? await this.campaigns.approvalPlan(actor, approve[1]!).catch(() => null) : null;
      if (!plan) return reply(`There is no campaign plan with approval ${approve[1]}; plan the campaign again to get one.`);
      await client.chat.postMessage({ channel: c.channel_id, text: `Campaign plan ${plan.name}`, blocks: planBlocks(plan, { approvalId: approve[1]! }) });
      return;
    }
    // The question is posted as a thread's first message, so the answer and what follows stay together.
    const root = await client.chat.postMessage({ channel: c.channel_id, text: `<@${c.user_id}> asked: ${text}` }).catch(() => null);
    if (!root?.ts) return reply('I cannot post in this channel. Invite me with `/invite @CRM`, or write to me directly.');
    await this.threads.answer(client, actor, { team: c.team_id, channel: c.channel_id, threadTs: root.ts }, text);
  }

  /** True the first time an event id is seen, by any server process (the table's primary key decides). */
  private async firstDelivery(eventId: string) {
    const rows = await this.sql.rows(`insert into slack_deliveries (event_id) values ($1) on conflict do nothing returning event_id`, [eventId.slice(0, 200)]);
    return rows.length > 0;
  }
}
