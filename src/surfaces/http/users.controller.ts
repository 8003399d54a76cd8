import { Body, Controller, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { z } from 'zod';
import { AuditService } from '../../audit/audit.service.js';
import { ToolCallLog, toolCallFilters } from '../../audit/tool-calls.js';
import type { Actor } from '../../auth/actor.js';
import { roles } from '../../auth/roles.js';
import { SignInThrottle } from '../../auth/sign-in-throttle.js';
import { UsersService } from '../../auth/users.service.js';
import { NotFound, parseInput } from '../../crm/errors.js';
import { CurrentActor, Requires } from './decorators.js';

export const createUserBody = z.object({
  email: z.email(),
  name: z.string().trim().max(200).optional(),
  role: z.enum(roles),
  password: z.string().min(12).max(1000).optional(),
});
export const roleBody = z.object({ role: z.enum(roles) });
// A user id as the database keeps it (a 32-bit integer); anything else is bad input, not a server error.
const userId = z.coerce.number({ error: 'must be a user id' }).int('must be a user id').min(1, 'must be a user id').max(2 ** 31 - 1, 'must be a user id');
// A Slack member id (U…, or W… in Enterprise Grid); null removes the link.
export const slackLinkBody = z.object({ slackUserId: z.string().regex(/^[UW][A-Z0-9]{2,30}$/, 'must be a Slack member id such as U0123ABCD').nullable() });

@Controller('api')
export class UsersController {
  constructor(private readonly users: UsersService, private readonly audit: AuditService, private readonly throttle: SignInThrottle, private readonly calls: ToolCallLog) {}

  @Get('users')
  @Requires('users.manage')
  list(@CurrentActor() actor: Actor) {
    return this.users.list(actor);
  }

  @Post('users')
  @Requires('users.manage')
  create(@CurrentActor() actor: Actor, @Body() body: unknown) {
    return this.users.create(actor, parseInput(createUserBody, body));
  }

  @Patch('users/:id')
  @Requires('users.manage')
  setRole(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: unknown) {
    return this.users.setRole(actor, parseInput(userId, id), parseInput(roleBody, body).role);
  }

  // An admin ties a Slack member to this person, for Slack profiles whose email differs from the CRM's.
  @Put('users/:id/slack')
  @Requires('users.manage')
  linkSlack(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: unknown) {
    return this.users.linkSlack(actor, parseInput(userId, id), parseInput(slackLinkBody, body).slackUserId);
  }

  // Lifts a lock that wrong passwords put on this person's sign-in, before it would end by itself.
  @Post('users/:id/unlock')
  @HttpCode(200)
  @Requires('users.manage')
  async unlock(@CurrentActor() actor: Actor, @Param('id') id: string) {
    const user = await this.users.findById(parseInput(userId, id));
    if (!user) throw new NotFound(`There is no user ${id}.`);
    return this.throttle.unlock(actor, user.email);
  }

  @Get('audit-events')
  @Requires('audit.read')
  auditEvents() {
    return this.audit.recent();
  }

  // Every tool call on every surface, newest first: ?tool=&userId=&surface=&outcome=&since=&until=&limit=
  @Get('tool-calls')
  @Requires('audit.read')
  toolCalls(@CurrentActor() actor: Actor, @Query() query: unknown) {
    return this.calls.list(actor, parseInput(toolCallFilters, query));
  }
}
