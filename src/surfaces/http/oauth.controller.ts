import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { Actor } from '../../auth/actor.js';
import { OAuthError } from '../../auth/oauth/oauth-error.js';
import { OAuthService } from '../../auth/oauth/oauth.service.js';
import { scopes } from '../../auth/scopes.js';
import { addressKey, SignInThrottle, TooManyAttempts } from '../../auth/sign-in-throttle.js';
import { NotFound, parseInput, Refused } from '../../crm/errors.js';
import { CurrentActor, Public, Requires } from './decorators.js';

const decisionBody = z.object({ approve: z.boolean(), scopes: z.array(z.enum(scopes)).max(3).default([]) });

/** A consent is a person's act: only someone signed in on the web page gives it, never a token. */
function personOnTheWeb(actor: Actor) {
  if (actor.surface !== 'web' || actor.grant) throw new Refused('Only a person signed in on the web page can let an assistant in.');
}

/**
 * OAuth 2.1 for assistants connecting to /mcp: the metadata documents (RFC 9728, RFC 8414), registration (RFC 7591),
 * the authorization and token endpoints, revocation (RFC 7009), and the API behind the consent page.
 */
@Controller()
export class OAuthController {
  constructor(private readonly oauth: OAuthService, private readonly throttle: SignInThrottle) {}

  @Public()
  @Get(['.well-known/oauth-protected-resource', '.well-known/oauth-protected-resource/mcp'])
  protectedResource() {
    return { resource: this.oauth.resource, authorization_servers: [this.oauth.issuer], scopes_supported: scopes, bearer_methods_supported: ['header'], resource_name: 'CRM' };
  }

  @Public()
  @Get('.well-known/oauth-authorization-server')
  authorizationServer() {
    const at = (path: string) => `${this.oauth.issuer}${path}`;
    return {
      issuer: this.oauth.issuer,
      authorization_endpoint: at('/oauth/authorize'), token_endpoint: at('/oauth/token'), registration_endpoint: at('/oauth/register'), revocation_endpoint: at('/oauth/revoke'),
      response_types_supported: ['code'], grant_types_supported: ['authorization_code', 'refresh_token'], code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['none'], revocation_endpoint_auth_methods_supported: ['none'], scopes_supported: scopes,
      authorization_response_iss_parameter_supported: true,
    };
  }

  @Public()
  @Post('oauth/register')
  async register(@Body() body: unknown, @Res() res: Response) {
    await this.answer(res, async () => res.status(201).json(await this.oauth.register(body)));
  }

  /** Sends the browser to the consent page; a request that cannot go there is refused here, not sent back. */
  @Public()
  @Get('oauth/authorize')
  async authorizeRequest(@Query() query: unknown, @Res() res: Response) {
    await this.answer(res, async () => {
      const { consentId } = await this.oauth.authorize(query);
      res.redirect(302, `/oauth/consent?request=${consentId}`);
    });
  }

  @Public()
  @Post('oauth/token')
  @HttpCode(200)
  async token(@Body() body: unknown, @Req() req: Request, @Res() res: Response) {
    res.setHeader('Cache-Control', 'no-store');
    await this.answer(res, async () => res.json(await this.oauth.token(body)), req);
  }

  @Public()
  @Post('oauth/revoke')
  @HttpCode(200)
  async revoke(@Body() body: unknown, @Req() req: Request, @Res() res: Response) {
    await this.answer(res, async () => {
      await this.oauth.revoke(body);
      res.status(200).end();
    }, req);
  }

  @Get('api/oauth/requests/:id')
  @Requires('agent.chat')
  async consentRequest(@CurrentActor() actor: Actor, @Param('id') id: string) {
    personOnTheWeb(actor);
    const request = await this.oauth.consentRequest(actor, id);
    if (!request) throw new NotFound('This sign-in request has expired or was already answered; start again from the assistant.');
    return request;
  }

  @Post('api/oauth/requests/:id/decision')
  @HttpCode(200)
  @Requires('agent.chat')
  async decide(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: unknown, @Res() res: Response) {
    personOnTheWeb(actor);
    const decision = parseInput(decisionBody, body);
    await this.answer(res, async () => res.json(await this.oauth.decide(actor, id, decision)));
  }

  @Get('api/oauth/clients')
  @Requires('users.manage')
  clients(@CurrentActor() actor: Actor) {
    return this.oauth.clients(actor);
  }

  @Delete('api/oauth/clients/:id')
  @Requires('users.manage')
  async revokeClient(@CurrentActor() actor: Actor, @Param('id') id: string) {
    const revoked = await this.oauth.revokeClient(actor, id);
    if (!revoked) throw new NotFound(`There is no OAuth client ${id}.`);
    return revoked;
  }

  /**
   * OAuth errors in the form the specifications give them. A failed token or revocation request counts against
   * its address, as wrong passwords do.
   */
  private async answer(res: Response, work: () => Promise<unknown>, req?: Request) {
    try {
      await work();
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      if (req) {
        try {
          await this.throttle.attempt([addressKey(req.ip, 'oauth')]);
        } catch (throttled) {
          if (!(throttled instanceof TooManyAttempts)) throw throttled;
          res.setHeader('Retry-After', String(throttled.retryAfterSeconds));
          return void res.status(429).json({ error: 'slow_down', error_description: throttled.message });
        }
      }
      res.status(error.status).json(error.body());
    }
  }
}
