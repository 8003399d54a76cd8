import { Body, Controller, Delete, Get, Param, Post, Query } from '@nestjs/common';
import type { Actor } from '../../auth/actor.js';
import { createTokenBody } from '../../auth/token-input.js';
import { TokensService } from '../../auth/tokens.service.js';
import { parseInput } from '../../crm/errors.js';
import { CurrentActor } from './decorators.js';

/** API tokens for scripts, MCP clients and tests. Permissions are checked in the service (own tokens vs everyone's). */
@Controller('api/tokens')
export class TokensController {
  constructor(private readonly tokens: TokensService) {}

  @Post()
  create(@CurrentActor() actor: Actor, @Body() body: unknown) {
    return this.tokens.create(actor, parseInput(createTokenBody, body));
  }

  @Get()
  list(@CurrentActor() actor: Actor, @Query('all') all?: string) {
    return this.tokens.list(actor, { all: all === 'true' });
  }

  @Delete(':id')
  revoke(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.tokens.revoke(actor, id);
  }
}
