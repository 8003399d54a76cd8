import type { z } from 'zod';
import { getInsights, getOverview } from './analytics-tools.js';
import { cancelCampaign, getCampaignReport, rescheduleCampaign, getCampaignStats, launchCampaign, listCampaigns, planCampaign } from './campaign-tools.js';
import type { CrmTool } from './crm-tool.js';
import { approveAutomation, getAutomationReport, listAutomations, pauseAutomation, planAutomation, resumeAutomation } from './automation-tools.js';
import { changeConsent, getCustomer, rankCustomers, searchCustomers } from './customer-tools.js';
import { getImportStatus, importRecords } from './import-tools.js';
import { sendTestMessage, suggestMessages } from './message-tools.js';
import { createSegment, getSegment, getSegmentInsights, listSegments, previewSegment } from './segment-tools.js';

const tools = [
  getOverview, searchCustomers, rankCustomers, getCustomer, importRecords, getImportStatus, previewSegment, createSegment, listSegments,
  getSegment, planCampaign, launchCampaign, listCampaigns, getCampaignStats, suggestMessages, getInsights, changeConsent, sendTestMessage, getCampaignReport,
  getSegmentInsights, cancelCampaign, rescheduleCampaign, planAutomation, approveAutomation, pauseAutomation, resumeAutomation, listAutomations, getAutomationReport,
] as const;

/**
 * The typed contract every surface speaks. A surface names a tool through its definition or ToolName and reads its
 * answer as ToolOutput: renaming a tool, or changing what it returns, fails the type check wherever it is used.
 */
export type CatalogueTool = (typeof tools)[number];
export type ToolName = CatalogueTool['name'];
export type ToolNamed<N extends ToolName> = Extract<CatalogueTool, { name: N }>;
export type ToolInput<N extends ToolName> = z.input<ToolNamed<N>['input']>;
export type ToolOutput<N extends ToolName> = z.output<ToolNamed<N>['output']>;

/** Every CRM tool. The agent, HTTP, MCP and Slack all serve this one list. */
export const toolCatalogue: readonly CrmTool[] = tools as unknown as CrmTool[];

export const toolsByName = new Map<string, CrmTool>(toolCatalogue.map((t) => [t.name, t]));

/** Every tool's name, for schemas that take a list of tools (a token limited to some). */
export const toolNames = tools.map((t) => t.name) as [ToolName, ...ToolName[]];

/** Whether a name from outside (a URL, an MCP call, a model) is one of the catalogue's. */
export const isToolName = (name: string): name is ToolName => toolsByName.has(name);
