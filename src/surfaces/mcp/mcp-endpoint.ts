import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import type { Actor } from '../../auth/actor.js';
import { addressKey, SignInThrottle, TooManyAttempts } from '../../auth/sign-in-throttle.js';
import { TokensService } from '../../auth/tokens.service.js';
import { OAuthService } from '../../auth/oauth/oauth.service.js';
import { UsersService } from '../../auth/users.service.js';
import type { Config } from '../../config/config.schema.js';
import { CONFIG } from '../../config/config.token.js';
import { CampaignsService } from '../../crm/campaigns/campaigns.service.js';
import { logger } from '../../logging/logger.js';
import { ToolRunner } from '../../tools/tool-runner.js';
import { mcpServerFor } from './mcp-session-server.js';
import { AllowedOrigins, fromThisMachine } from './request-origin.js';

// `actor` is replaced on every request by what the token stands for now (its user's current role, at most the token's).
interface Session { transport: StreamableHTTPServerTransport; caller: string; current: { actor: Actor }; lastSeen: number }

const IDLE_MS = 30 * 60_000;
const VERSION = '0.1.0';

// JSON-RPC error bodies, as MCP clients expect them even for HTTP-level refusals.
const refuse = (res: Response, status: number, message: string, headers: Record<string, string> = {}) => {
  res.status(status).set(headers).json({ jsonrpc: '2.0', error: { code: -32000, message }, id: null });
};

/** Runs a throttle step; when it says to wait, answers 429 with when to try again and returns true. */
async function waitTold(res: Response, step: () => Promise<void>): Promise<boolean> {
  try {
    await step();
    return false;
  } catch (error) {
    if (!(error instanceof TooManyAttempts)) throw error;
    refuse(res, 429, error.message, { 'Retry-After': String(error.retryAfterSeconds) });
    return true;
  }
}

/**
 * The Streamable HTTP transport at /mcp. Order of checks: Host and Origin (DNS rebinding), then the caller (API
 * token, or the loopback setting), then the session, which belongs to the caller who opened it.
 */
@Injectable()
export class McpEndpoint implements OnModuleDestroy {
  private readonly sessions = new Map<string, Session>();
  private readonly origins: AllowedOrigins;
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    private readonly tokens: TokensService,
    private readonly users: UsersService,
    private readonly runner: ToolRunner,
    private readonly campaigns: CampaignsService,
    private readonly throttle: SignInThrottle,
    private readonly oauth: OAuthService,
  ) {
    this.origins = new AllowedOrigins(config.PUBLIC_URL, config.MCP_ALLOWED_HOSTS);
    this.sweeper = setInterval(() => this.closeIdle(), 60_000).unref();
  }

  readonly handle = async (req: Request, res: Response) => {
    const refusal = this.origins.refusal(req);
    if (refusal) return refuse(res, 403, refusal);
    // An address told to wait is refused before its token is looked at; a wrong token counts against its address,
    // as on the HTTP API, so a guesser is soon told to wait.
    const guesses = [addressKey(req.ip, 'token')];
    if (req.header('authorization') && await waitTold(res, () => this.throttle.check(guesses))) return;
    const caller = await this.identify(req);
    if (!caller) {
      if (req.header('authorization') && await waitTold(res, () => this.throttle.attempt(guesses))) return;
      // The metadata tells an assistant where to sign in with OAuth (RFC 9728 §5.1).
      return refuse(res, 401, 'Sign in with OAuth (the metadata is at /.well-known/oauth-protected-resource/mcp), or send a CRM API token as "Authorization: Bearer <token>".', {
        'WWW-Authenticate': `Bearer realm="crm", resource_metadata="${new URL('/.well-known/oauth-protected-resource/mcp', this.config.PUBLIC_URL).href}"`,
      });
    }
    if (this.config.MCP_STATELESS) return this.answerAlone(caller, req, res);
    const key = caller.tokenId ? `token:${caller.tokenId}` : caller.grant?.client ? `oauth:${caller.userId}:${caller.grant.client}` : `loopback:${caller.userId}`;
    const sessionId = req.header('mcp-session-id');
    if (sessionId) {
      const session = this.sessions.get(sessionId);
      // Someone else's session id is as unknown as a made-up one.
      if (!session || session.caller !== key) return refuse(res, 404, 'This MCP session is unknown or has ended; initialize a new one.');
      session.lastSeen = Date.now();
      session.current.actor = caller;
      return session.transport.handleRequest(req, res, req.body);
    }
    if (req.method !== 'POST' || !isInitializeRequest(req.body)) return refuse(res, 400, 'Start with an initialize request; later requests carry its Mcp-Session-Id header.');
    await this.open(caller, key).handleRequest(req, res, req.body);
  };

  private open(actor: Actor, caller: string) {
    const current = { actor };
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: randomUUID,
      onsessioninitialized: (id) => { this.sessions.set(id, { transport, caller, current, lastSeen: Date.now() }); },
    });
    transport.onclose = () => { if (transport.sessionId) this.sessions.delete(transport.sessionId); };
    const server = mcpServerFor(() => current.actor, this.runner, { campaigns: this.campaigns, publicUrl: this.config.PUBLIC_URL }, VERSION);
    void server.connect(transport);
    return transport;
  }

  /**
   * Without sessions: a server and transport for this one request, gone when it is answered. Nothing is kept between
   * requests, so whichever process behind the load balancer answers, the answer is the same.
   */
  private async answerAlone(caller: Actor, req: Request, res: Response) {
    if (req.method !== 'POST') return refuse(res, 405, 'This server runs MCP without sessions (MCP_STATELESS): send each request as a POST.', { Allow: 'POST' });
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    const server = mcpServerFor(() => caller, this.runner, { campaigns: this.campaigns, publicUrl: this.config.PUBLIC_URL }, VERSION);
    res.on('close', () => { void transport.close(); void server.close(); });
    await server.connect(transport);
    await transport.handleRequest(req, res, req.body);
  }

  /** The token's user and role; without a token, the loopback user when that setting is on and the request is local. */
  private async identify(req: Request): Promise<Actor | null> {
    const header = req.header('authorization');
    if (header) {
      const [scheme, token] = header.split(' ');
      if (scheme?.toLowerCase() !== 'bearer' || !token) return null;
      return (await this.tokens.verify(token.trim(), 'mcp')) ?? this.oauth.verify(token.trim());
    }
    if (!this.config.MCP_LOOPBACK_USER || !fromThisMachine(req)) return null;
    const actor = await this.users.actorFor(await this.users.findByEmail(this.config.MCP_LOOPBACK_USER), 'mcp', 'analyst');
    // An assistant on this machine is still an assistant, not a person: it reads.
    return actor && { ...actor, grant: { scopes: ['read'], tools: null, client: 'loopback' } };
  }

  private closeIdle() {
    const cutoff = Date.now() - IDLE_MS;
    for (const [id, session] of this.sessions) {
      if (session.lastSeen < cutoff) {
        this.sessions.delete(id);
        session.transport.close().catch((error) => logger.warn('mcp session close failed', { error }));
      }
    }
  }

  async onModuleDestroy() {
    clearInterval(this.sweeper);
    await Promise.all([...this.sessions.values()].map((s) => s.transport.close().catch(() => undefined)));
    this.sessions.clear();
  }
}
