import { Body, Controller, Get, Param, Post, Res } from '@nestjs/common';
import { pipeUIMessageStreamToResponse } from 'ai';
import type { Response } from 'express';
import { z } from 'zod';
import { ChatService } from '../../agent/chat.service.js';
import { chatTurn } from '../../agent/chat-turn.js';
import { ConversationsService } from '../../agent/conversations.service.js';
import type { Actor } from '../../auth/actor.js';
import { parseInput } from '../../crm/errors.js';
import { CurrentActor, Requires } from './decorators.js';

/** The web chat's server side: a turn streamed as AI SDK UI message chunks, and the person's conversations. */
@Controller('api')
export class ChatController {
  constructor(private readonly chat: ChatService, private readonly conversations: ConversationsService) {}

  @Get('agent')
  @Requires('agent.chat')
  agent() {
    return this.chat.model;
  }

  // Errors before the stream starts (bad body, someone else's conversation or approval) are ordinary JSON errors.
  @Post('chat')
  @Requires('agent.chat')
  async turn(@CurrentActor() actor: Actor, @Body() body: unknown, @Res() res: Response) {
    const stream = await this.chat.turn(actor, parseInput(chatTurn, body));
    await pipeUIMessageStreamToResponse({ response: res, stream });
  }

  @Get('conversations')
  @Requires('agent.chat')
  list(@CurrentActor() actor: Actor) {
    return this.conversations.list(actor);
  }

  @Get('conversations/:id')
  @Requires('agent.chat')
  get(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.conversations.get(actor, parseInput(z.uuid(), id));
  }
}
