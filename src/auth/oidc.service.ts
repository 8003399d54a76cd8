import { Inject, Injectable } from '@nestjs/common';
import * as oidc from 'openid-client';
import { AuditService } from '../audit/audit.service.js';
import { Sql } from '../db/sql.js';
import { CrmError } from '../crm/errors.js';
import type { Config } from '../config/config.schema.js';
import { CONFIG } from '../config/config.token.js';
import { logger } from '../logging/logger.js';
import { usersRepository, type User } from './users.repository.js';

export class SignInRefused extends CrmError {
  readonly kind = 'not_signed_in';
  override get code() {
    return 'sign_in_refused';
  }
}

type Identity = { iss: string; sub: string; email?: unknown; email_verified?: unknown; name?: unknown };

/**
 * Where to land after signing in: a path on this CRM and nothing else. "//host/x" and "/\\host/x" are read by
 * browsers as another site, so the path is resolved against a placeholder origin and kept only if it stays there.
 */
export function samePagePath(returnTo: string): string {
  const base = 'http://crm.invalid';
  try {
    if (!returnTo.startsWith('/') || /[\\\0-\x1f]/.test(returnTo)) return '/';
    const url = new URL(returnTo, base);
    const path = `${url.pathname}${url.search}${url.hash}`;
    // "/.//host" resolves to the path "//host", which a Location header would send to that host.
    return url.origin === base && !path.startsWith('//') ? path : '/';
  } catch {
    return '/';
  }
}


const isLoopback = (url: URL) => ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);

/**
 * "Sign in with Google" (or any OpenID Connect provider): authorization code flow with PKCE, state and nonce.
 * A person is matched by the provider's subject, then by a verified email; new people get an account only when their
 * email domain is in OIDC_ALLOWED_DOMAINS.
 */
@Injectable()
export class OidcService {
  private configuration?: Promise<oidc.Configuration>;
  // Pending sign-ins live for ten minutes in the database, so any server process can finish one; the browser holds
  // the state in a cookie.
  constructor(private readonly sql: Sql, private readonly audit: AuditService, @Inject(CONFIG) private readonly config: Config) {}

  get enabled() {
    return !!(this.config.OIDC_ISSUER_URL && this.config.OIDC_CLIENT_ID && this.config.OIDC_CLIENT_SECRET);
  }

  get redirectUri() {
    return new URL('/api/auth/oidc/callback', this.config.PUBLIC_URL).toString();
  }

  private discover() {
    if (!this.enabled) throw new SignInRefused('OpenID Connect sign-in is not configured (OIDC_ISSUER_URL, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET).');
    const issuer = new URL(this.config.OIDC_ISSUER_URL!);
    this.configuration ??= oidc
      .discovery(issuer, this.config.OIDC_CLIENT_ID!, this.config.OIDC_CLIENT_SECRET!, undefined,
        // Plain HTTP is allowed only for a provider on this machine (a local test provider).
        isLoopback(issuer) && issuer.protocol === 'http:' ? { execute: [oidc.allowInsecureRequests] } : undefined)
      .catch((error) => {
        this.configuration = undefined;
        throw new SignInRefused(`The sign-in provider at ${issuer.origin} could not be reached: ${(error as Error).message}`);
      });
    return this.configuration;
  }

  /** Where to send the browser, and the state value to keep in its cookie. */
  async start(returnTo = '/'): Promise<{ url: string; state: string }> {
    const configuration = await this.discover();
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    await this.sql.query(`delete from pending_sign_ins where expires_at < now()`);
    await this.sql.query(`insert into pending_sign_ins (state, verifier, nonce, return_to, expires_at) values ($1, $2, $3, $4, now() + interval '10 minutes')`, [state, verifier, nonce, samePagePath(returnTo)]);
    const url = oidc.buildAuthorizationUrl(configuration, {
      redirect_uri: this.redirectUri,
      scope: 'openid email profile',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return { url: url.toString(), state };
  }

  /** Completes the flow from the provider's redirect; returns the signed-in user. */
  async finish(callbackUrl: URL, stateFromCookie: string | undefined): Promise<{ user: User; returnTo: string }> {
    const configuration = await this.discover();
    const state = callbackUrl.searchParams.get('state') ?? '';
    // Taken once: a second answer with the same state finds nothing.
    const [pending] = await this.sql.rows<{ verifier: string; nonce: string; returnTo: string }>(
      `delete from pending_sign_ins where state = $1 and expires_at > now() returning verifier, nonce, return_to as "returnTo"`, [state]);
    if (!pending || !stateFromCookie || stateFromCookie !== state) {
      throw new SignInRefused('This sign-in link has expired or was started in another browser; please sign in again.');
    }
    let claims: Identity | undefined;
    try {
      const tokens = await oidc.authorizationCodeGrant(configuration, callbackUrl, {
        pkceCodeVerifier: pending.verifier, expectedState: state, expectedNonce: pending.nonce, idTokenExpected: true,
      });
      const idToken = tokens.claims();
      claims = idToken;
      // Google puts the email in the ID token; providers that follow the spec's default put it only in userinfo.
      if (idToken && typeof idToken.email !== 'string') {
        const info = await oidc.fetchUserInfo(configuration, tokens.access_token, idToken.sub);
        claims = { ...info, iss: idToken.iss, sub: idToken.sub };
      }
    } catch (error) {
      logger.warn('OpenID Connect sign-in failed', { reason: (error as Error).message });
      throw new SignInRefused('The sign-in provider did not confirm who you are; please try again.');
    }
    if (!claims) throw new SignInRefused('The sign-in provider sent no identity.');
    const user = await this.match(claims);
    return { user, returnTo: pending.returnTo };
  }

  private async match(claims: Identity): Promise<User> {
    const subject = `${claims.iss}|${claims.sub}`;
    const email = typeof claims.email === 'string' ? claims.email.toLowerCase() : undefined;
    let user = await usersRepository.byOidcSubject(this.sql, subject);
    if (!user) {
      if (!email || claims.email_verified !== true) {
        throw new SignInRefused('Your sign-in provider did not share a verified email address, so no CRM account can be matched.');
      }
      const known = await usersRepository.byEmail(this.sql, email);
      const domain = email.split('@')[1];
      if (!known && !this.config.OIDC_ALLOWED_DOMAINS.includes(domain)) {
        throw new SignInRefused(`There is no CRM account for ${email}; ask an admin to create one.`);
      }
      user = known
        ? (await usersRepository.update(this.sql, known.id, { oidcSubject: subject }))!
        : await usersRepository.insert(this.sql, { email, name: String(claims.name ?? ''), role: this.config.OIDC_DEFAULT_ROLE, oidcSubject: subject });
      await this.audit.record({ userId: user.id, email, role: user.role, surface: 'web' }, 'user.link_oidc', `user:${user.id}`, { issuer: claims.iss });
    }
    if (user.disabledAt) throw new SignInRefused('This account is disabled.');
    return user;
  }
}
