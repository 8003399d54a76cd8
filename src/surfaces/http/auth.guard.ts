import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { Actor } from '../../auth/actor.js';
import { CrmError } from '../../crm/errors.js';
import { authorize, NotSignedIn, OutsideGrant } from '../../auth/authorize.js';
import type { Action } from '../../auth/permissions.js';
import { SessionsService } from '../../auth/sessions.service.js';
import { addressKey, SignInThrottle } from '../../auth/sign-in-throttle.js';
import { TokensService } from '../../auth/tokens.service.js';
import { readCookies, SESSION_COOKIE } from './cookies.js';
import { PUBLIC, REQUIRES, SERVES_TOOLS } from './decorators.js';

export class CsrfRejected extends CrmError {
  readonly kind = 'forbidden';
  override get code() {
    return 'csrf';
  }
  constructor() {
    super('This request lacks the X-CSRF-Token header of your session; reload the page and try again.');
  }
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Identifies the caller on every HTTP request (API token first, then session cookie) and applies the route's permission. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(private readonly reflector: Reflector, private readonly tokens: TokensService, private readonly sessions: SessionsService, private readonly throttle: SignInThrottle) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request & { actor?: Actor | null }>();
    const targets = [context.getHandler(), context.getClass()];
    // A public route (sign-in, the OAuth endpoints) serves whoever calls; a token it cannot use is no failure there.
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, targets)) {
      req.actor = await this.identify(req).catch((error: unknown) => {
        if (error instanceof NotSignedIn) return null;
        throw error;
      });
      return true;
    }
    req.actor = await this.identify(req);
    const action = this.reflector.getAllAndOverride<Action | undefined>(REQUIRES, targets);
    if (!req.actor) throw new NotSignedIn();
    if (req.actor.grant?.tools && !this.reflector.getAllAndOverride<boolean>(SERVES_TOOLS, targets)) {
      throw new OutsideGrant('tools', `This token may only call the tools ${req.actor.grant.tools.join(', ')} (at /api/tools/<name>).`);
    }
    if (action) authorize(req.actor, action);
    return true;
  }

  async identify(req: Request): Promise<Actor | null> {
    const header = req.header('authorization');
    if (header) {
      const [scheme, token] = header.split(' ');
      if (scheme?.toLowerCase() !== 'bearer' || !token) throw new NotSignedIn('Send the API token as "Authorization: Bearer <token>".');
      // An address told to wait is refused before its token is looked at: a guess then tells nothing.
      await this.throttle.check([addressKey(req.ip, 'token')]);
      const actor = await this.tokens.verify(token.trim(), 'api');
      if (!actor) {
        // Only failures are counted (a valid token costs no extra query): an address guessing tokens is slowed down.
        await this.throttle.attempt([addressKey(req.ip, 'token')]);
        throw new NotSignedIn('This API token is unknown or has been revoked.');
      }
      return actor;
    }
    const signedIn = await this.sessions.find(readCookies(req.header('cookie'))[SESSION_COOKIE]);
    if (!signedIn) return null;
    // A cookie is sent by the browser on its own; a write must also prove it came from our page.
    if (!SAFE.has(req.method) && !SessionsService.csrfMatches(signedIn.csrfToken, req.header('x-csrf-token'))) throw new CsrfRejected();
    return signedIn.actor;
  }
}
