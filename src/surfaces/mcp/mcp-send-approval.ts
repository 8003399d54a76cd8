import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { ElicitResultSchema, type CallToolResult, type ServerNotification, type ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { Actor } from '../../auth/actor.js';
import { can } from '../../auth/authorize.js';
import { describePlan } from '../../agent/plan-summary.js';
import type { CampaignsService } from '../../crm/campaigns/campaigns.service.js';
import { formatCount } from '../../crm/format.js';
import { launchCampaign } from '../../tools/campaign-tools.js';

export interface SendApprovalDeps { campaigns: CampaignsService; publicUrl: string }

/** Where a person approves a plan when the assistant cannot ask them itself. */
export const approvalPlaces = (publicUrl: string, approvalId: string) =>
  `open ${new URL(`/approvals/${approvalId}`, publicUrl).href} in the CRM's web app, or type \`/crm approve ${approvalId}\` in Slack`;

const notSent = (text: string): CallToolResult => ({ isError: true, content: [{ type: 'text', text }] });

/**
 * Before a send tool runs over MCP, a person must say yes. An assistant is not a person, and neither is its
 * client's own answer to an elicitation: only a token whose person granted it the send scope on the consent page
 * (or when making an API token) may ask here, and even then the person at the assistant is shown the plan and must
 * tick "send". Otherwise nothing is sent: the answer is the plan and where a person approves it, signed in.
 * Returns null when the send may go ahead; the runner then checks permission and input again as for any tool.
 */
export async function askPersonToSend(
  server: Server,
  extra: RequestHandlerExtra<ServerRequest, ServerNotification>,
  actor: Actor,
  args: Record<string, unknown>,
  deps: SendApprovalDeps,
  tool: string = launchCampaign.name,
): Promise<CallToolResult | null> {
  // Other sends (approving or resuming a recurring campaign) have no plan to show here: a person does them in the
  // web app or Slack, never an assistant.
  if (tool !== launchCampaign.name) return notSent(`Nothing was done: ${tool.replace(/_/g, ' ')} needs a person's approval, in the CRM's web app or in Slack.`);
  if (!can(actor, launchCampaign.permission)) return null; // the runner refuses it in the usual words
  const input = launchCampaign.input.safeParse(args);
  if (!input.success) return null; // likewise the bad input
  const plan = await deps.campaigns.approvalPlan(actor, input.data.approvalId);
  if (!plan) return null; // likewise "there is no approval …"
  const summary = describePlan(plan);
  const waiting = `A person must approve this send: ${approvalPlaces(deps.publicUrl, input.data.approvalId)}.`;
  if (!actor.grant?.scopes.includes('send') || !server.getClientCapabilities()?.elicitation) return notSent(`Nothing was sent. ${summary}\n${waiting}`);
  const answer = await extra.sendRequest(
    {
      method: 'elicitation/create',
      params: {
        message: `${summary}\n\nSend this campaign now? Messages cannot be recalled once sent.`,
        requestedSchema: {
          type: 'object',
          properties: { send: { type: 'boolean', title: `Send ${formatCount(plan.audience.eligible)} ${plan.channel} messages now` } },
          required: ['send'],
        },
      },
    },
    ElicitResultSchema,
  );
  if (answer.action === 'accept' && answer.content?.send === true) return null;
  const why = answer.action === 'accept' ? 'the person did not tick "send"' : `the person chose ${answer.action}`;
  return notSent(`Nothing was sent: ${why}. The campaign is still a draft; its approval can be used until it expires.`);
}
