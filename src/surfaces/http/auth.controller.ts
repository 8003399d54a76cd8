import { Body, Controller, Get, HttpCode, Inject, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { AuditService } from '../../audit/audit.service.js';
import type { Actor } from '../../auth/actor.js';
import { NotSignedIn } from '../../auth/authorize.js';
import { OidcService, SignInRefused } from '../../auth/oidc.service.js';
import { SessionsService } from '../../auth/sessions.service.js';
import { accountKey, addressKey, SignInThrottle } from '../../auth/sign-in-throttle.js';
import { publicUser, UsersService } from '../../auth/users.service.js';
import type { Config } from '../../config/config.schema.js';
import { CONFIG } from '../../config/config.token.js';
import { parseInput } from '../../crm/errors.js';
import { CSRF_COOKIE, OIDC_STATE_COOKIE, readCookies, SESSION_COOKIE, setCookie } from './cookies.js';
import { CurrentActor, Public } from './decorators.js';

export const signInBody = z.object({ email: z.string().trim().min(3).max(320), password: z.string().min(1).max(1000) });
export const passwordBody = z.object({ currentPassword: z.string().min(1, 'is needed to change the password').max(1000), password: z.string().min(12, 'needs at least 12 characters').max(1000) });

@Controller('api/auth')
export class AuthController {
  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly oidc: OidcService,
    private readonly audit: AuditService,
    private readonly throttle: SignInThrottle,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  /** What the web app needs before showing the sign-in page. */
  @Public()
  @Get('options')
  options() {
    return { password: true, oidc: this.oidc.enabled ? { name: this.config.OIDC_PROVIDER_NAME, url: '/api/auth/oidc/start' } : null };
  }

  @Public()
  @Post('sign-in')
  @HttpCode(200)
  async signIn(@Body() body: unknown, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const { email, password } = parseInput(signInBody, body);
    const keys = [accountKey(email), addressKey(req.ip, 'sign-in')];
    await this.throttle.attempt(keys);
    const user = await this.users.checkPassword(email, password);
    if (!user) throw new NotSignedIn('The email or password is not right.');
    await this.throttle.succeeded(keys);
    return this.openSession(res, user.id, publicUser(user));
  }

  @Public()
  @Post('sign-out')
  @HttpCode(204)
  async signOut(@Req() req: Request, @Res({ passthrough: true }) res: Response) {
    await this.sessions.close(readCookies(req.header('cookie'))[SESSION_COOKIE]);
    setCookie(res, SESSION_COOKIE, '', { httpOnly: true, secure: this.config.COOKIE_SECURE, maxAgeSeconds: 0 });
    setCookie(res, CSRF_COOKIE, '', { httpOnly: false, secure: this.config.COOKIE_SECURE, maxAgeSeconds: 0 });
  }

  /**
   * Whether this browser is signed in, without an error when it is not: the web app asks on every load, and a
   * signed-out visitor is no failure (no 401 in the browser's console). Signed in, the same answer as /me.
   */
  @Public()
  @Get('session')
  async session(@CurrentActor() actor: Actor | null, @Req() req: Request) {
    if (!actor) return { user: null, role: null, surface: null, csrfToken: null, currency: this.config.CURRENCY, timeZone: this.config.TIME_ZONE };
    return this.me(actor, req);
  }

  /** The signed-in person and the CSRF token the page must send with every write. */
  @Get('me')
  async me(@CurrentActor() actor: Actor, @Req() req: Request) {
    const signedIn = await this.sessions.find(readCookies(req.header('cookie'))[SESSION_COOKIE]);
    const user = actor.userId ? await this.users.findById(actor.userId) : null;
    // The currency and time zone come with the person, so every page writes money and dates as the server does.
    return {
      user: user ? publicUser(user) : null, role: actor.role, surface: actor.surface, csrfToken: signedIn?.csrfToken ?? null,
      currency: this.config.CURRENCY, timeZone: this.config.TIME_ZONE,
    };
  }

  @Post('password')
  @HttpCode(204)
  async changePassword(@CurrentActor() actor: Actor, @Req() req: Request, @Body() body: unknown) {
    const { currentPassword, password } = parseInput(passwordBody, body);
    const signedIn = actor.tokenId === undefined ? await this.sessions.find(readCookies(req.header('cookie'))[SESSION_COOKIE]) : null;
    // The current password is a password too: a stolen session must not guess it any faster than sign-in would.
    const keys = [accountKey(actor.email), addressKey(req.ip, 'sign-in')];
    await this.throttle.attempt(keys);
    await this.users.changeOwnPassword(actor, signedIn, currentPassword, password);
    await this.throttle.succeeded(keys);
  }

  @Public()
  @Get('oidc/start')
  async oidcStart(@Query('returnTo') returnTo: string | undefined, @Res() res: Response) {
    const { url, state } = await this.oidc.start(returnTo);
    setCookie(res, OIDC_STATE_COOKIE, state, { httpOnly: true, secure: this.config.COOKIE_SECURE, maxAgeSeconds: 600 });
    res.redirect(302, url);
  }

  @Public()
  @Get('oidc/callback')
  async oidcCallback(@Req() req: Request, @Res() res: Response) {
    const callbackUrl = new URL(req.originalUrl, this.config.PUBLIC_URL);
    setCookie(res, OIDC_STATE_COOKIE, '', { httpOnly: true, secure: this.config.COOKIE_SECURE, maxAgeSeconds: 0 });
    try {
      const { user, returnTo } = await this.oidc.finish(callbackUrl, readCookies(req.header('cookie'))[OIDC_STATE_COOKIE]);
      await this.openSession(res, user.id, publicUser(user));
      res.redirect(302, returnTo);
    } catch (error) {
      // The person arrived by a browser redirect: send them back to the sign-in page with the reason, not a JSON page.
      if (!(error instanceof SignInRefused)) throw error;
      res.redirect(302, `/?signInError=${encodeURIComponent(error.message)}`);
    }
  }

  private async openSession(res: Response, userId: number, user: ReturnType<typeof publicUser>) {
    const session = await this.sessions.open(userId);
    const maxAgeSeconds = Math.floor((session.expiresAt.getTime() - Date.now()) / 1000);
    setCookie(res, SESSION_COOKIE, session.cookie, { httpOnly: true, secure: this.config.COOKIE_SECURE, maxAgeSeconds });
    // Readable by the page (not httpOnly): it echoes it in X-CSRF-Token, which another site cannot do.
    setCookie(res, CSRF_COOKIE, session.csrfToken, { httpOnly: false, secure: this.config.COOKIE_SECURE, maxAgeSeconds });
    await this.audit.record({ userId, email: user.email, role: user.role, surface: 'web' }, 'session.open', `user:${userId}`);
    return { user, csrfToken: session.csrfToken };
  }
}
