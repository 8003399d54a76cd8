import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Actor } from '../../auth/actor.js';
import type { Action } from '../../auth/permissions.js';

export const PUBLIC = 'crm:public';
export const REQUIRES = 'crm:requires';

/** Reachable without signing in. */
export const Public = () => SetMetadata(PUBLIC, true);
/** The permission a route needs; checked by the guard through authorize(). */
export const Requires = (action: Action) => SetMetadata(REQUIRES, action);
/** The signed-in caller, as the guard verified it. */
export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => ctx.switchToHttp().getRequest().actor);
