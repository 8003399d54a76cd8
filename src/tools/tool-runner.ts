import { Injectable } from '@nestjs/common';
import type { Actor } from '../auth/actor.js';
import { authorize, can, OutsideGrant, PermissionDenied } from '../auth/authorize.js';
import { AnalyticsService } from '../crm/analytics/analytics.service.js';
import { CampaignsService } from '../crm/campaigns/campaigns.service.js';
import { CustomersService } from '../crm/customers/customers.service.js';
import { IngestionService } from '../crm/ingestion/ingestion.service.js';
import { SegmentsService } from '../crm/segments/segments.service.js';
import { BadInput, CrmError, NotFound } from '../crm/errors.js';
import { ToolCallLog } from '../audit/tool-calls.js';
import { logger } from '../logging/logger.js';
import { findTextProblem } from '../crm/text.js';
import type { z } from 'zod';
import { toolsByName, type CatalogueTool } from './catalogue.js';
import type { CrmTool, ToolServices } from './crm-tool.js';
import { ConsentService } from '../crm/consent/consent.service.js';
import { TestMessagesService } from '../crm/delivery/test-message.service.js';
import { AutomationsService } from '../crm/automations/automations.service.js';

export class UnknownTool extends NotFound {
  override get code() {
    return 'unknown_tool';
  }
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

  constructor(
    segments: SegmentsService, campaigns: CampaignsService, customers: CustomersService, analytics: AnalyticsService, ingestion: IngestionService,
    consent: ConsentService, testMessages: TestMessagesService, automations: AutomationsService, private readonly calls: ToolCallLog,
  ) {
    this.services = { segments, campaigns, customers, analytics, ingestion, consent, testMessages, automations };
  }

  /** Runs a tool named by a surface in code: its input and its answer are typed by the tool's own schemas. */
  run<T extends CatalogueTool>(actor: Actor, tool: T, input: z.input<T['input']>, signal?: AbortSignal): Promise<z.output<T['output']>> {
    return this.runChecked(actor, tool as unknown as CrmTool, input, signal) as Promise<z.output<T['output']>>;
  }

  /** Runs a tool named from outside (a URL, an MCP call, a model's tool call), whose input is not known yet. */
  runNamed(actor: Actor, name: string, rawInput: unknown, signal?: AbortSignal): Promise<unknown> {
    const tool = toolsByName.get(name);
    if (!tool) return this.recorded(actor, name, rawInput, () => Promise.reject(new UnknownTool(name)));
    return this.runChecked(actor, tool, rawInput, signal);
  }

  /** Notes a call a surface answered itself before the runner (an MCP send left waiting for a person). */
  noteAnsweredBySurface(actor: Actor, name: string, rawInput: unknown, outcome: string) {
    return this.calls.record(actor, name, rawInput, outcome, 0);
  }

  /** Every call is recorded, refused and failed ones too: who, where, which tool, a digest of its input, the outcome. */
  private async recorded<T>(actor: Actor, name: string, rawInput: unknown, work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    let outcome = 'failed';
    try {
      const result = await work();
      outcome = 'ok';
      return result;
    } catch (error) {
      outcome = error instanceof CrmError ? error.code : 'failed';
      throw error;
    } finally {
      // The record must never replace the tool's own answer: a send that went out and then could not be recorded
      // still answers "sent", so nobody retries it.
      await this.calls.record(actor, name, rawInput, outcome, performance.now() - started)
        .catch((error) => logger.error('tool call not recorded', { tool: name, outcome, error }));
    }
  }

  private runChecked(actor: Actor, tool: CrmTool, rawInput: unknown, signal?: AbortSignal): Promise<unknown> {
    return this.recorded(actor, tool.name, rawInput, () => this.runUnrecorded(actor, tool, rawInput, signal));
  }

  private async runUnrecorded(actor: Actor, tool: CrmTool, rawInput: unknown, signal?: AbortSignal): Promise<unknown> {
    // The role first, so that input problems are not told to someone who may not use the tool at all.
    if (!can(actor, tool.permission)) throw new PermissionDenied(tool.permission, actor.role);
    if (actor.grant?.tools && !actor.grant.tools.includes(tool.name)) throw new OutsideGrant(tool.name, `This token may only call ${actor.grant.tools.join(', ')}.`);
    // Batches of records are checked record by record by the importer, so one bad record does not refuse the rest.
    const text = findTextProblem(rawInput, [], tool.checksRecordsItself ? (path) => path[0] === tool.checksRecordsItself : undefined);
    if (text) throw new BadInput([text]);
    const input = tool.input.safeParse(rawInput ?? {});
    if (!input.success) throw new BadInput(input.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
    authorize(actor, tool.permission, tool.waitsAs?.(input.data));
    const output = await tool.execute(input.data, { actor, services: this.services, signal });
    return tool.output.parse(JSON.parse(JSON.stringify(output)));
  }
}
