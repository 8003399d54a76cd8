import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { z } from 'zod';
import type { Actor } from '../../auth/actor.js';
import { historyQuery, launchInput, planInput } from '../../crm/campaigns/campaign-input.js';
import { CampaignsService } from '../../crm/campaigns/campaigns.service.js';
import { NotFound, parseInput } from '../../crm/errors.js';
import { CallerGone, CurrentActor, Requires } from './decorators.js';

const id = z.coerce.number().int().positive();

/** Plan a campaign (nothing is sent), launch it with the plan's approval, and follow what happened. */
@Controller('api/campaigns')
export class CampaignsController {
  constructor(private readonly campaigns: CampaignsService) {}

  @Post('plan')
  @HttpCode(200)
  @Requires('campaigns.plan')
  plan(@CurrentActor() actor: Actor, @Body() body: unknown, @CallerGone() gone: AbortSignal) {
    return this.campaigns.plan(actor, parseInput(planInput, body), gone);
  }

  @Post('launch')
  @HttpCode(202)
  @Requires('campaigns.launch')
  launch(@CurrentActor() actor: Actor, @Body() body: unknown) {
    return this.campaigns.launch(actor, parseInput(launchInput, body).approvalId);
  }

  // The plan behind an approval, for the page where a person approves a send an AI assistant asked for over MCP.
  @Get('approvals/:approvalId')
  @Requires('campaigns.read')
  async approval(@CurrentActor() actor: Actor, @Param('approvalId') approvalId: string) {
    const plan = await this.campaigns.approvalPlan(actor, parseInput(z.uuid('must be an approval id'), approvalId));
    if (!plan) throw new NotFound(`There is no campaign plan with approval ${approvalId}; plan the campaign again to get one.`);
    return plan;
  }

  @Get()
  @Requires('campaigns.read')
  history(@CurrentActor() actor: Actor, @Query() query: unknown) {
    return this.campaigns.history(actor, parseInput(historyQuery, query));
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Requires('campaigns.launch')
  cancel(@CurrentActor() actor: Actor, @Param('id') campaignId: string) {
    return this.campaigns.cancel(actor, parseInput(id, campaignId));
  }

  @Get(':id')
  @Requires('campaigns.read')
  stats(@CurrentActor() actor: Actor, @Param('id') campaignId: string) {
    return this.campaigns.stats(actor, parseInput(id, campaignId));
  }
}
