import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AuditService } from '../../audit/audit.service.js';
import type { Config } from '../../config/config.schema.js';
import { CONFIG } from '../../config/config.token.js';
import { Sql } from '../../db/sql.js';
import type { Actor } from '../actor.js';
import { authorize } from '../authorize.js';
import type { Role } from '../roles.js';
import { parseScopeList, scopesOfRole, scopesWithin, type Scope } from '../scopes.js';
import { hashToken, newToken } from '../token-format.js';
import { OAuthError } from './oauth-error.js';
import { redirectUriProblem } from './redirect-uris.js';

const ACCESS_SECONDS = 3600;
const REFRESH_DAYS = 30;
const CODE_SECONDS = 120;
const CONSENT_MINUTES = 10;

/** What a client sends to register (RFC 7591); unknown fields are kept as they came, never trusted. */
export const registrationBody = z.object({
  redirect_uris: z.array(z.string().max(2000)).min(1).max(10),
  client_name: z.string().trim().max(200).optional(),
  client_uri: z.string().max(2000).optional(),
  token_endpoint_auth_method: z.string().max(50).optional(),
  grant_types: z.array(z.string().max(50)).max(5).optional(),
  response_types: z.array(z.string().max(50)).max(5).optional(),
  scope: z.string().max(200).optional(),
}).passthrough();

export const authorizeQuery = z.object({
  response_type: z.string().max(50),
  client_id: z.string().max(100),
  redirect_uri: z.string().max(2000).optional(),
  code_challenge: z.string().max(200).optional(),
  code_challenge_method: z.string().max(20).optional(),
  scope: z.string().max(200).optional(),
  state: z.string().max(1000).optional(),
  resource: z.string().max(2000).optional(),
});

export const tokenBody = z.discriminatedUnion('grant_type', [
  z.object({ grant_type: z.literal('authorization_code'), code: z.string().max(200), redirect_uri: z.string().max(2000).optional(), client_id: z.string().max(100), code_verifier: z.string().max(200).optional(), resource: z.string().max(2000).optional() }),
  z.object({ grant_type: z.literal('refresh_token'), refresh_token: z.string().max(200), client_id: z.string().max(100), scope: z.string().max(200).optional(), resource: z.string().max(2000).optional() }),
]);

export interface ConsentRequest { id: string; clientName: string; clientId: string; redirectHost: string; scopes: Scope[]; grantable: Scope[] }

const s256 = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');

/**
 * The CRM as an OAuth 2.1 authorization server for its own MCP endpoint: dynamic registration, authorization code
 * with PKCE (S256 only), a consent page where the signed-in person sees the client and chooses the scopes within
 * their role, tokens bound to the person, the client and the resource, refresh with rotation, and revocation.
 * Everything is in PostgreSQL, so any server process can answer any step.
 */
@Injectable()
export class OAuthService {
  readonly resource: string;
  readonly issuer: string;

  constructor(private readonly sql: Sql, private readonly audit: AuditService, @Inject(CONFIG) config: Config) {
    this.issuer = new URL(config.PUBLIC_URL).origin;
    this.resource = new URL('/mcp', config.PUBLIC_URL).href;
  }

  async register(body: unknown) {
    const parsed = registrationBody.safeParse(body);
    if (!parsed.success) throw new OAuthError('invalid_client_metadata', parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; '));
    const meta = parsed.data;
    for (const uri of meta.redirect_uris) {
      const problem = redirectUriProblem(uri);
      if (problem) throw new OAuthError('invalid_redirect_uri', problem);
    }
    // Public clients only: an assistant on someone's desk cannot keep a secret, and PKCE binds each code to the one
    // that asked for it.
    if (meta.token_endpoint_auth_method && meta.token_endpoint_auth_method !== 'none') throw new OAuthError('invalid_client_metadata', 'Only public clients (token_endpoint_auth_method "none", with PKCE) can register.');
    if (meta.grant_types?.some((g) => !['authorization_code', 'refresh_token'].includes(g))) throw new OAuthError('invalid_client_metadata', 'The grant types are authorization_code and refresh_token.');
    const clientId = randomUUID();
    const stored = { ...meta, token_endpoint_auth_method: 'none', grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'] };
    await this.sql.query(`insert into oauth_clients (client_id, client_name, redirect_uris, metadata) values ($1, $2, $3, $4)`, [clientId, meta.client_name ?? null, meta.redirect_uris, JSON.stringify(stored)]);
    return { ...stored, client_id: clientId, client_id_issued_at: Math.floor(Date.now() / 1000) };
  }

  private async client(clientId: string) {
    const [row] = await this.sql.rows<{ clientId: string; name: string | null; redirectUris: string[]; revokedAt: Date | null }>(
      `select client_id as "clientId", client_name as name, redirect_uris as "redirectUris", revoked_at as "revokedAt" from oauth_clients where client_id::text = $1`, [clientId]);
    return row ?? null;
  }

  /**
   * The start of a sign-in: a request waiting for the person's consent. Every problem is shown to the person on the
   * CRM's own page; only the consent page's answer (allow, deny, scopes beyond the role) goes back to the client.
   */
  async authorize(query: unknown): Promise<{ consentId: string }> {
    const parsed = authorizeQuery.safeParse(query);
    if (!parsed.success) throw new OAuthError('invalid_request', 'The authorization request is missing client_id or response_type.');
    const q = parsed.data;
    const client = await this.client(q.client_id);
    if (!client || client.revokedAt) throw new OAuthError('invalid_client', client ? 'This client has been revoked by an administrator.' : 'There is no such client; register it first.', 400);
    const redirectUri = q.redirect_uri ?? (client.redirectUris.length === 1 ? client.redirectUris[0] : undefined);
    if (!redirectUri || !client.redirectUris.includes(redirectUri)) throw new OAuthError('invalid_request', 'The redirect_uri is not one this client registered.');
    // Anyone may register a client with any https address, so before a person has seen the client nothing is sent
    // back to that address: a refusal here is answered on the CRM's own page, never as a redirect (RFC 9700 §4.11).
    if (q.response_type !== 'code') throw new OAuthError('unsupported_response_type', 'Only the authorization code flow (response_type=code) is offered.');
    if (!q.code_challenge || q.code_challenge_method !== 'S256') throw new OAuthError('invalid_request', 'PKCE is required, with code_challenge_method S256.');
    if (!/^[A-Za-z0-9_-]{43}$/.test(q.code_challenge)) throw new OAuthError('invalid_request', 'The code_challenge must be a base64url SHA-256 digest (43 characters).');
    if (q.resource !== undefined && !this.isOurResource(q.resource)) throw new OAuthError('invalid_target', `This server issues tokens for ${this.resource} only.`);
    const words = q.scope?.split(' ').filter(Boolean) ?? [];
    const unknown = words.filter((w) => !parseScopeList([w]).length);
    if (unknown.length) throw new OAuthError('invalid_scope', `Unknown scope ${unknown.join(', ')}; the scopes are read, write and send.`);
    const scopes = words.length ? parseScopeList(words) : (['read', 'write'] as Scope[]);
    const id = randomUUID();
    await this.sql.query(
      `insert into oauth_requests (id, client_id, redirect_uri, state, code_challenge, scopes, resource, expires_at) values ($1, $2, $3, $4, $5, $6, $7, now() + make_interval(mins => $8))`,
      [id, client.clientId, redirectUri, q.state ?? null, q.code_challenge, scopes, this.resource, CONSENT_MINUTES],
    );
    return { consentId: id };
  }

  /** What the consent page shows the signed-in person: who asks, for what, and what their role lets them grant. */
  async consentRequest(actor: Actor, id: string): Promise<ConsentRequest | null> {
    if (!z.uuid().safeParse(id).success) return null;
    const [row] = await this.sql.rows(
      `select r.id, r.client_id as "clientId", c.client_name as "clientName", r.redirect_uri as "redirectUri", r.scopes
       from oauth_requests r join oauth_clients c using (client_id) where r.id = $1 and r.decided_at is null and r.expires_at > now() and c.revoked_at is null`, [id]);
    if (!row) return null;
    return { id: row.id, clientId: row.clientId, clientName: row.clientName ?? 'An unnamed assistant', redirectHost: new URL(row.redirectUri).host, scopes: row.scopes, grantable: [...scopesOfRole(actor.role)] };
  }

  /**
   * The person's answer. Only a person signed in on the web page decides (a token cannot consent for anyone); the
   * scopes granted are those they ticked, never beyond their role. Returns where the browser goes next.
   */
  async decide(actor: Actor, id: string, decision: { approve: boolean; scopes: Scope[] }): Promise<{ redirectTo: string }> {
    const row = await this.sql.transaction(async (client) => {
      const [r] = (await client.query(
        `update oauth_requests set decided_at = now() where id = $1 and decided_at is null and expires_at > now() returning client_id as "clientId", redirect_uri as "redirectUri", state, code_challenge as "codeChallenge", scopes, resource`, [id])).rows;
      return r;
    });
    if (!row) throw new OAuthError('invalid_request', 'This sign-in request has expired or was already answered; start again from the assistant.');
    const back = (params: Record<string, string | undefined>) => ({ redirectTo: withParams(row.redirectUri, { ...params, state: row.state ?? undefined, iss: this.issuer }) });
    if (!decision.approve) {
      await this.audit.record(actor, 'oauth.deny', `oauth_client:${row.clientId}`);
      return back({ error: 'access_denied', error_description: 'The person declined.' });
    }
    const beyond = decision.scopes.filter((s) => !scopesOfRole(actor.role).includes(s));
    if (beyond.length || !decision.scopes.length) return back({ error: 'invalid_scope', error_description: beyond.length ? `Your role (${actor.role}) cannot grant ${beyond.join(', ')}.` : 'No scope was granted.' });
    const code = newToken();
    await this.sql.query(
      `insert into oauth_codes (code_hash, client_id, user_id, redirect_uri, code_challenge, scopes, resource, family, expires_at) values ($1, $2, $3, $4, $5, $6, $7, $8, now() + make_interval(secs => $9))`,
      [hashToken(code), row.clientId, actor.userId, row.redirectUri, row.codeChallenge, decision.scopes, row.resource, randomUUID(), CODE_SECONDS],
    );
    await this.audit.record(actor, 'oauth.consent', `oauth_client:${row.clientId}`, { scopes: decision.scopes });
    return back({ code });
  }

  /** The token endpoint (RFC 6749 §4.1.3 and §6). */
  async token(body: unknown) {
    const parsed = tokenBody.safeParse(body);
    if (!parsed.success) {
      const grant = (body as { grant_type?: unknown })?.grant_type;
      if (typeof grant === 'string' && !['authorization_code', 'refresh_token'].includes(grant)) throw new OAuthError('unsupported_grant_type', 'The grant types are authorization_code and refresh_token.');
      throw new OAuthError('invalid_request', parsed.error.issues.map((i) => `${i.path.join('.') || 'body'} ${i.message}`).join('; '));
    }
    const t = parsed.data;
    const client = await this.client(t.client_id);
    if (!client || client.revokedAt) throw new OAuthError('invalid_client', client ? 'This client has been revoked.' : 'Unknown client.');
    if (t.resource !== undefined && !this.isOurResource(t.resource)) throw new OAuthError('invalid_target', `This server issues tokens for ${this.resource} only.`);
    return t.grant_type === 'authorization_code' ? this.redeemCode(t, client.clientId) : this.refresh(t, client.clientId);
  }

  // Refusals are returned from the transaction, not thrown in it, so that what they change (a burnt code, a revoked
  // family) is committed with them.
  private async redeemCode(t: Extract<z.output<typeof tokenBody>, { grant_type: 'authorization_code' }>, clientId: string) {
    return settled(await this.sql.transaction(async (db): Promise<Issued | OAuthError> => {
      const [code] = (await db.query(
        `select client_id as "clientId", user_id as "userId", redirect_uri as "redirectUri", code_challenge as "codeChallenge", scopes, resource, family, expires_at as "expiresAt", used_at as "usedAt"
         from oauth_codes where code_hash = $1 for update`, [hashToken(t.code)])).rows;
      if (!code || code.clientId !== clientId) return new OAuthError('invalid_grant', 'This authorization code is unknown.');
      if (code.usedAt) {
        // A code used twice was stolen or replayed: everything issued from it stops working (RFC 6749 §4.1.2).
        await db.query(`update oauth_tokens set revoked_at = now() where family = $1 and revoked_at is null`, [code.family]);
        return new OAuthError('invalid_grant', 'This authorization code was already used; the tokens issued from it are revoked.');
      }
      // One try only: a wrong verifier burns the code too, so it cannot be guessed at.
      await db.query(`update oauth_codes set used_at = now() where code_hash = $1`, [hashToken(t.code)]);
      if (code.expiresAt <= new Date()) return new OAuthError('invalid_grant', 'This authorization code has expired.');
      if (t.redirect_uri !== undefined && t.redirect_uri !== code.redirectUri) return new OAuthError('invalid_grant', 'The redirect_uri differs from the one the code was issued for.');
      if (!t.code_verifier) return new OAuthError('invalid_request', 'code_verifier is required (PKCE).');
      if (s256(t.code_verifier) !== code.codeChallenge) return new OAuthError('invalid_grant', 'The code_verifier does not match the code_challenge.');
      return this.issue(db, { clientId, userId: Number(code.userId), scopes: code.scopes, resource: code.resource, family: code.family });
    }));
  }

  private async refresh(t: Extract<z.output<typeof tokenBody>, { grant_type: 'refresh_token' }>, clientId: string) {
    return settled(await this.sql.transaction(async (db): Promise<Issued | OAuthError> => {
      const [old] = (await db.query(
        `select client_id as "clientId", user_id as "userId", scopes, resource, family, expires_at as "expiresAt", revoked_at as "revokedAt"
         from oauth_tokens where token_hash = $1 and kind = 'refresh' for update`, [hashToken(t.refresh_token)])).rows;
      if (!old || old.clientId !== clientId) return new OAuthError('invalid_grant', 'This refresh token is unknown.');
      if (old.revokedAt) {
        // Refresh tokens are used once (rotation): an old one coming back means a copy is loose. Revoke the family.
        await db.query(`update oauth_tokens set revoked_at = now() where family = $1 and revoked_at is null`, [old.family]);
        return new OAuthError('invalid_grant', 'This refresh token was revoked or already used.');
      }
      if (old.expiresAt <= new Date()) return new OAuthError('invalid_grant', 'This refresh token has expired; sign in again.');
      const words = t.scope?.split(' ').filter(Boolean) ?? [];
      const asked = words.length ? parseScopeList(words) : old.scopes;
      if (words.length && words.length !== asked.length || asked.some((s: Scope) => !old.scopes.includes(s))) return new OAuthError('invalid_scope', 'A refresh cannot add scopes the person did not grant.');
      await db.query(`update oauth_tokens set revoked_at = now() where token_hash = $1`, [hashToken(t.refresh_token)]);
      return this.issue(db, { clientId, userId: Number(old.userId), scopes: asked, resource: old.resource, family: old.family });
    }));
  }

  private async issue(db: { query: Sql['query'] }, grant: { clientId: string; userId: number; scopes: Scope[]; resource: string; family: string }): Promise<Issued> {
    const access = newToken();
    const refresh = newToken();
    const insert = `insert into oauth_tokens (token_hash, kind, client_id, user_id, scopes, resource, family, expires_at) values ($1, $2, $3, $4, $5, $6, $7, now() + make_interval(secs => $8))`;
    await db.query(insert, [hashToken(access), 'access', grant.clientId, grant.userId, grant.scopes, grant.resource, grant.family, ACCESS_SECONDS]);
    await db.query(insert, [hashToken(refresh), 'refresh', grant.clientId, grant.userId, grant.scopes, grant.resource, grant.family, REFRESH_DAYS * 86_400]);
    return { access_token: access, token_type: 'Bearer', expires_in: ACCESS_SECONDS, refresh_token: refresh, scope: grant.scopes.join(' ') };
  }

  /** RFC 7009: revoking a token the client does not hold, or one already gone, is no error. A refresh token takes its family with it. */
  async revoke(body: unknown) {
    const parsed = z.object({ token: z.string().max(200), client_id: z.string().max(100), token_type_hint: z.string().max(50).optional() }).safeParse(body);
    if (!parsed.success) throw new OAuthError('invalid_request', 'token and client_id are required.');
    const client = await this.client(parsed.data.client_id);
    if (!client) throw new OAuthError('invalid_client', 'Unknown client.');
    const [row] = await this.sql.rows(`select kind, family from oauth_tokens where token_hash = $1 and client_id::text = $2`, [hashToken(parsed.data.token), client.clientId]);
    if (!row) return;
    if (row.kind === 'refresh') await this.sql.query(`update oauth_tokens set revoked_at = now() where family = $1 and revoked_at is null`, [row.family]);
    else await this.sql.query(`update oauth_tokens set revoked_at = now() where token_hash = $1 and revoked_at is null`, [hashToken(parsed.data.token)]);
  }

  /**
   * The caller an access token stands for at the MCP endpoint, or null: unknown, expired, revoked, for another
   * resource, from a revoked client, or its person disabled. The role is the person's today; the scopes no more.
   */
  async verify(token: string): Promise<Actor | null> {
    const [row] = await this.sql.rows<{ userId: string; email: string; role: Role; disabled: boolean; scopes: Scope[]; resource: string; clientId: string; clientName: string | null }>(
      `select u.id as "userId", u.email, u.role, u.disabled_at is not null as disabled, t.scopes, t.resource, t.client_id as "clientId", c.client_name as "clientName"
       from oauth_tokens t join users u on u.id = t.user_id join oauth_clients c on c.client_id = t.client_id
       where t.token_hash = $1 and t.kind = 'access' and t.revoked_at is null and t.expires_at > now() and c.revoked_at is null`, [hashToken(token)]);
    if (!row || row.disabled || !this.isOurResource(row.resource)) return null;
    const role = row.role;
    return {
      userId: Number(row.userId), email: row.email, role, surface: 'mcp',
      grant: { scopes: scopesWithin(row.scopes, role), tools: null, client: `${row.clientName ?? 'assistant'} (OAuth client ${row.clientId.slice(0, 8)})` },
    };
  }

  /** An admin stops a client: its tokens stop working and it cannot start a sign-in again. */
  async revokeClient(actor: Actor, clientId: string) {
    authorize(actor, 'users.manage');
    const { rowCount } = await this.sql.query(`update oauth_clients set revoked_at = coalesce(revoked_at, now()) where client_id::text = $1`, [clientId]);
    if (rowCount) await this.audit.record(actor, 'oauth.revoke_client', `oauth_client:${clientId}`);
    return rowCount ? { clientId, revoked: true } : null;
  }

  async clients(actor: Actor) {
    authorize(actor, 'users.manage');
    return this.sql.rows(`select client_id as "clientId", client_name as "clientName", redirect_uris as "redirectUris", created_at as "createdAt", revoked_at as "revokedAt" from oauth_clients order by created_at desc limit 500`);
  }

  private isOurResource(value: string) {
    try {
      const url = new URL(value);
      return `${url.origin}${url.pathname.replace(/\/$/, '')}` === this.resource.replace(/\/$/, '');
    } catch {
      return false;
    }
  }
}

interface Issued { access_token: string; token_type: 'Bearer'; expires_in: number; refresh_token: string; scope: string }
const settled = (outcome: Issued | OAuthError): Issued => {
  if (outcome instanceof OAuthError) throw outcome;
  return outcome;
};

function withParams(base: string, params: Record<string, string | undefined>) {
  const url = new URL(base);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return url.href;
}
