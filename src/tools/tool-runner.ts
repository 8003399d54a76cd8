import { Injectable } from '@nestjs/common';
import type { Actor } from '../auth/actor.js';
import { authorize } from '../auth/authorize.js';
import { AnalyticsService } from '../crm/analytics/analytics.service.js';
import { CampaignsService } from '../crm/campaigns/campaigns.service.js';
import { CustomersService } from '../crm/customers/customers.service.js';
import { IngestionService } from '../crm/ingestion/ingestion.service.js';
import { SegmentsService } from '../crm/segments/segments.service.js';
import { BadInput } from '../surfaces/http/bad-input.js';
import { findTextProblem } from '../crm/text.js';
import { toolsByName } from './catalogue.js';
import type { ToolServices } from './crm-tool.js';

export class UnknownTool extends Error {
  constructor(name: string) {
    super(`There is no tool named "${name}"; the tools are: ${[...toolsByName.keys()].join(', ')}.`);
  }
}

/**
 * Runs a tool for an actor: the same input check, permission check and output shape on every surface. The
 * output is passed through its schema as JSON, so dates become ISO text and nothing beyond the schema leaks out.
 */
@Injectable()
export class ToolRunner {
  private readonly services: ToolServices;

  constructor(segments: SegmentsService, campaigns: CampaignsService, customers: CustomersService, analytics: AnalyticsService, ingestion: IngestionService) {
    this.services = { segments, campaigns, customers, analytics, ingestion };
  }

  async run(actor: Actor, name: string, rawInput: unknown, signal?: AbortSignal): Promise<unknown> {
    const tool = toolsByName.get(name);
    if (!tool) throw new UnknownTool(name);
    authorize(actor, tool.permission);
    // Batches of records are checked record by record by the importer, so one bad record does not refuse the rest.
    const text = findTextProblem(rawInput, [], tool.checksRecordsItself ? (path) => path[0] === tool.checksRecordsItself : undefined);
    if (text) throw new BadInput([text]);
    const input = tool.input.safeParse(rawInput ?? {});
    if (!input.success) throw new BadInput(input.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
    const output = await tool.execute(input.data, { actor, services: this.services, signal });
    return tool.output.parse(JSON.parse(JSON.stringify(output)));
  }
}
