import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Response } from 'express';
import type { Actor } from '../../auth/actor.js';
import type { Action } from '../../auth/permissions.js';

export const PUBLIC = 'crm:public';
export const REQUIRES = 'crm:requires';
export const SERVES_TOOLS = 'crm:serves-tools';

/** Reachable without signing in. */
export const Public = () => SetMetadata(PUBLIC, true);
/** The permission a route needs; checked by the guard through authorize(). */
export const Requires = (action: Action) => SetMetadata(REQUIRES, action);
/** Serves the tool catalogue: the only routes a token limited to named tools may reach (the runner checks which). */
export const ServesTools = () => SetMetadata(SERVES_TOOLS, true);
/** The signed-in caller, as the guard verified it. */
export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => ctx.switchToHttp().getRequest().actor);
/**
 * Aborted when the caller goes away before the answer is written (a closed tab, a dropped connection), so a long
 * count is cancelled in the database instead of running on for nobody.
 */
export const CallerGone = createParamDecorator((_: unknown, ctx: ExecutionContext): AbortSignal => {
  const res = ctx.switchToHttp().getResponse<Response>();
  const gone = new AbortController();
  res.on('close', () => { if (!res.writableFinished) gone.abort(); });
  return gone.signal;
});
