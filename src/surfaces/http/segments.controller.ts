import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { z } from 'zod';
import type { Actor } from '../../auth/actor.js';
import { ruleFieldList } from '../../crm/segments/rule-fields.js';
import { ruleJson } from '../../crm/segments/rule-parser.js';
import { SegmentsService } from '../../crm/segments/segments.service.js';
import { parseInput } from '../../crm/errors.js';
import { CallerGone, CurrentActor, Requires } from './decorators.js';

const id = z.coerce.number().int().positive();
export const segmentInput = z.object({
  name: z.string().trim().min(1).max(200),
  description: z.string().max(2000).optional(),
  rules: ruleJson,
}).strict();
export const previewInput = z.object({ rules: ruleJson }).strict();
const diffQuery = z.object({ from: z.coerce.number().int().positive(), to: z.coerce.number().int().positive() });

/** Audiences: preview a rule, save it as a segment, edit it (a new version), compare versions. */
@Controller('api/segments')
export class SegmentsController {
  constructor(private readonly segments: SegmentsService) {}

  @Get('fields')
  @Requires('segments.read')
  fields() {
    return ruleFieldList();
  }

  @Post('preview')
  @HttpCode(200)
  @Requires('segments.preview')
  preview(@CurrentActor() actor: Actor, @Body() body: unknown, @CallerGone() gone: AbortSignal) {
    return this.segments.preview(actor, parseInput(previewInput, body).rules, gone);
  }

  @Get()
  @Requires('segments.read')
  list(@CurrentActor() actor: Actor) {
    return this.segments.list(actor);
  }

  @Post()
  @Requires('segments.write')
  create(@CurrentActor() actor: Actor, @Body() body: unknown) {
    return this.segments.create(actor, parseInput(segmentInput, body));
  }

  @Get(':id')
  @Requires('segments.read')
  get(@CurrentActor() actor: Actor, @Param('id') segmentId: string) {
    return this.segments.get(actor, parseInput(id, segmentId));
  }

  @Patch(':id')
  @Requires('segments.write')
  update(@CurrentActor() actor: Actor, @Param('id') segmentId: string, @Body() body: unknown) {
    return this.segments.update(actor, parseInput(id, segmentId), parseInput(segmentInput.partial(), body));
  }

  @Delete(':id')
  @HttpCode(204)
  @Requires('segments.write')
  async remove(@CurrentActor() actor: Actor, @Param('id') segmentId: string) {
    await this.segments.remove(actor, parseInput(id, segmentId));
  }

  @Get(':id/diff')
  @Requires('segments.read')
  diff(@CurrentActor() actor: Actor, @Param('id') segmentId: string, @Query() query: unknown, @CallerGone() gone: AbortSignal) {
    const { from, to } = parseInput(diffQuery, query);
    return this.segments.diff(actor, parseInput(id, segmentId), from, to, gone);
  }
}
