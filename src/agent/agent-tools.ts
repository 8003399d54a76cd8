import { tool, type ToolApprovalConfiguration, type ToolSet } from 'ai';
import type { Actor } from '../auth/actor.js';
import { can } from '../auth/authorize.js';
import { toolCatalogue } from '../tools/catalogue.js';
import type { ToolRunner } from '../tools/tool-runner.js';

/** Text shown to the person asked to approve a launch: the plan, not the model's description of it. */
export type PlanSummary = (approvalId: string) => Promise<string>;

/**
 * The catalogue as AI SDK tools for one actor. The actor is captured here, from the surface; no tool input can
 * name a user or role. Every call goes through the ToolRunner, which checks the permission again.
 */
export function agentTools(runner: ToolRunner, actor: Actor): ToolSet {
  return Object.fromEntries(toolCatalogue.map((t) => [t.name, tool({
    description: t.description,
    inputSchema: t.input,
    execute: (input: unknown, { abortSignal }) => runner.runNamed(actor, t.name, input, abortSignal),
  })]));
}

/**
 * Who must say yes before a tool runs. A send always waits for a person (with the plan as the reason shown to
 * them); writes too when configured; a tool the actor's role does not allow is refused without asking anyone.
 */
export function approvalPolicy(actor: Actor, options: { approveWrites: boolean; planSummary: PlanSummary }): ToolApprovalConfiguration<ToolSet, unknown> {
  return Object.fromEntries(toolCatalogue.map((t) => [t.name, async (input: unknown) => {
    if (!can(actor, t.permission)) return { type: 'denied' as const, reason: `Your role (${actor.role}) does not allow ${t.permission}.` };
    if (t.risk === 'send') {
      const approvalId = (input as { approvalId?: string })?.approvalId;
      return { type: 'user-approval' as const, reason: approvalId ? await options.planSummary(approvalId) : `${t.name.replace(/_/g, ' ')}: ${JSON.stringify(input).slice(0, 300)}` };
    }
    if (t.risk === 'write' && options.approveWrites) return { type: 'user-approval' as const, reason: `${t.name.replace(/_/g, ' ')}: ${JSON.stringify(input).slice(0, 300)}` };
    return 'not-applicable' as const;
  }])) as ToolApprovalConfiguration<ToolSet, unknown>;
}
