import { getInsights, getOverview } from './analytics-tools.js';
import { getCampaignStats, launchCampaign, listCampaigns, planCampaign } from './campaign-tools.js';
import type { CrmTool } from './crm-tool.js';
import { getCustomer, searchCustomers } from './customer-tools.js';
import { getImportStatus, importRecords } from './import-tools.js';
import { suggestMessages } from './message-tools.js';
import { createSegment, getSegment, listSegments, previewSegment } from './segment-tools.js';

/** Every CRM tool, by name. The agent, HTTP, MCP and Slack all serve this one list. */
export const toolCatalogue: readonly CrmTool[] = [
  getOverview, searchCustomers, getCustomer, importRecords, getImportStatus, previewSegment, createSegment, listSegments,
  getSegment, planCampaign, launchCampaign, listCampaigns, getCampaignStats, suggestMessages, getInsights,
] as unknown as CrmTool[];

export const toolsByName = new Map(toolCatalogue.map((t) => [t.name, t]));
