import type { z } from 'zod';
import type { Actor } from '../auth/actor.js';
import type { Action } from '../auth/permissions.js';
import type { AnalyticsService } from '../crm/analytics/analytics.service.js';
import type { CampaignsService } from '../crm/campaigns/campaigns.service.js';
import type { CustomersService } from '../crm/customers/customers.service.js';
import type { ConsentService } from '../crm/consent/consent.service.js';
import type { TestMessagesService } from '../crm/delivery/test-message.service.js';
import type { AutomationsService } from '../crm/automations/automations.service.js';
import type { IngestionService } from '../crm/ingestion/ingestion.service.js';
import type { SegmentsService } from '../crm/segments/segments.service.js';

/** read: looks only; write: changes CRM data; send: reaches customers (always needs a person's approval). */
export type ToolRisk = 'read' | 'write' | 'send';

export interface ToolServices {
  segments: SegmentsService;
  campaigns: CampaignsService;
  customers: CustomersService;
  analytics: AnalyticsService;
  ingestion: IngestionService;
  consent: ConsentService;
  testMessages: TestMessagesService;
  automations: AutomationsService;
}

/**
 * Who is acting (from the surface, never from a model), the CRM services a tool calls, and the surface's signal that
 * the caller went away (long counts are cancelled by it).
 */
export interface ToolContext { actor: Actor; services: ToolServices; signal?: AbortSignal }

/**
 * One CRM operation, defined once and served on every surface (HTTP, the agent, MCP, Slack): its name, a
 * description written for a model, zod input and output, its risk and the permission it needs.
 */
export interface CrmTool<N extends string = string, I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  name: N;
  description: string;
  input: I;
  output: O;
  risk: ToolRisk;
  permission: Action;
  /** The input field holding a batch of records that the CRM checks one by one, keeping the good ones. */
  checksRecordsItself?: string;
  /** For a send: the approval a person can open when a token may not send it itself. */
  waitsAs?(input: z.output<I>): string;
  execute(input: z.output<I>, ctx: ToolContext): Promise<z.input<O>>;
}

// `const N` keeps each tool's name as its literal type, from which the catalogue derives ToolName.
export const defineTool = <const N extends string, I extends z.ZodType, O extends z.ZodType>(tool: CrmTool<N, I, O>) => tool;
