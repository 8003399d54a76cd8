import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { z } from 'zod';
import type { Actor } from '../../auth/actor.js';
import { toolCatalogue } from '../../tools/catalogue.js';
import { ToolRunner } from '../../tools/tool-runner.js';
import { CallerGone, CurrentActor, Requires, ServesTools } from './decorators.js';

/** The tool catalogue over HTTP: the same tools, checks and answers the agent, MCP and Slack use. */
@Controller('api/tools')
@ServesTools()
export class ToolsController {
  constructor(private readonly tools: ToolRunner) {}

  @Get()
  @Requires('agent.chat')
  list() {
    return toolCatalogue.map((t) => ({ name: t.name, description: t.description, risk: t.risk, permission: t.permission, inputSchema: z.toJSONSchema(t.input, { io: 'input', unrepresentable: 'any' }) }));
  }

  // Each tool checks its own permission inside the runner (one authorize() call per tool).
  @Post(':name')
  @HttpCode(200)
  @Requires('agent.chat')
  run(@CurrentActor() actor: Actor, @Param('name') name: string, @Body() body: unknown, @CallerGone() gone: AbortSignal) {
    return this.tools.runNamed(actor, name, body, gone);
  }
}
