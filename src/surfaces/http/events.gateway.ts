import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { WebSocketGateway, type OnGatewayConnection, type OnGatewayDisconnect } from '@nestjs/websockets';
import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import type { Actor } from '../../auth/actor.js';
import { can } from '../../auth/authorize.js';
import type { Action } from '../../auth/permissions.js';
import { SessionsService } from '../../auth/sessions.service.js';
import { TokensService } from '../../auth/tokens.service.js';
import type { Config } from '../../config/config.schema.js';
import { CONFIG } from '../../config/config.token.js';
import { CrmEventsListener } from '../../events/crm-events-listener.js';
import { type CrmEventName, type CrmEvents, type EventEnvelope } from '../../events/crm-events.js';
import { logger } from '../../logging/logger.js';
import { readCookies, SESSION_COOKIE } from './cookies.js';

/**
 * Live events for the web app at /ws: import progress now, campaign progress later. A client is identified like an
 * HTTP request (API token, or session cookie from our own page) and receives only its own events; admins see all.
 */
@Injectable()
@WebSocketGateway({ path: '/ws' })
export class EventsGateway implements OnGatewayConnection, OnGatewayDisconnect, OnModuleInit, OnModuleDestroy {
  private readonly clients = new Map<WebSocket, { actor: Actor; req: IncomingMessage }>();
  private unsubscribe?: () => void;
  private recheck?: NodeJS.Timeout;

  constructor(
    private readonly listener: CrmEventsListener,
    private readonly tokens: TokensService,
    private readonly sessions: SessionsService,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  onModuleInit() {
    // A token revoked, a session ended or a role changed after the socket opened: checked again on a timer, since
    // nothing else would ever ask the socket for its credentials again.
    this.recheck = setInterval(() => void this.checkClients(), this.config.WS_RECHECK_SECONDS * 1000);
    this.recheck.unref();
    this.unsubscribe = this.listener.subscribe((envelope) => {
      for (const [client, { actor }] of this.clients) {
        if (mayReceive(actor, envelope)) this.send(client, envelope.event, envelope.data);
      }
    });
  }

  onModuleDestroy() {
    clearInterval(this.recheck);
    this.unsubscribe?.();
    for (const client of this.clients.keys()) client.close(1001, 'server stopping');
  }

  async handleConnection(client: WebSocket, req: IncomingMessage) {
    const actor = await this.identify(req).catch(() => null);
    if (!actor || !mayListen(actor)) return client.close(4401, 'Sign in first, or send an API token that may read.');
    this.clients.set(client, { actor, req });
    this.send(client, 'connected', { role: actor.role });
  }

  private async checkClients() {
    for (const [client, entry] of this.clients) {
      const actor = await this.identify(entry.req).catch(() => undefined);
      // undefined: the database did not answer; the check is tried again next time rather than disconnecting everyone.
      if (actor === undefined || !this.clients.has(client)) continue;
      if (!actor || !mayListen(actor)) {
        this.clients.delete(client);
        client.close(4401, 'Your sign-in has ended or the token was revoked.');
      } else entry.actor = actor;
    }
  }

  handleDisconnect(client: WebSocket) {
    this.clients.delete(client);
  }

  send<E extends CrmEventName>(client: WebSocket, event: E, data: CrmEvents[E]) {
    if (client.readyState === client.OPEN) client.send(JSON.stringify({ event, data }));
  }

  private async identify(req: IncomingMessage): Promise<Actor | null> {
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (bearer) return this.tokens.verify(bearer, 'api');
    // A browser sends cookies to any page's websocket: only our own page (same host) may use the session.
    const origin = req.headers.origin;
    if (origin && new URL(origin).host !== req.headers.host) {
      logger.warn('websocket refused: foreign origin', { origin });
      return null;
    }
    return (await this.sessions.find(readCookies(req.headers.cookie)[SESSION_COOKIE]))?.actor ?? null;
  }
}

/** The events are reading: a token needs the read scope, and one limited to named tools stays on the tool routes. */
function mayListen(actor: Actor) {
  return can(actor, 'imports.read') && (!actor.grant || actor.grant.scopes.includes('read') && !actor.grant.tools);
}

// Campaigns are shared work: whoever may read campaigns follows their progress. Other events go to their owner.
const sharedEvents: Partial<Record<CrmEventName, Action>> = { 'campaign.progress': 'campaigns.read', 'campaign.report': 'campaigns.read', 'automation.run': 'campaigns.read' };

function mayReceive(actor: Actor, envelope: EventEnvelope): boolean {
  if (actor.role === 'admin') return true;
  const shared = sharedEvents[envelope.event];
  if (shared) return can(actor, shared);
  return envelope.ownerId !== null && actor.userId === envelope.ownerId;
}
