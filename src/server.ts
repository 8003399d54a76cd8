import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { WsAdapter } from '@nestjs/platform-ws';
import { SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { openApiDocument } from './surfaces/http/openapi.js';
import express from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AppModule, type AppDependencies } from './app.module.js';
import { requestLog } from './surfaces/http/request-log.middleware.js';
import { securityHeaders } from './surfaces/http/security-headers.js';
import { McpEndpoint } from './surfaces/mcp/mcp-endpoint.js';
import { EngagementService } from './crm/engagement/engagement.service.js';
import { trackingRoutes } from './surfaces/http/tracking-routes.js';
import { SlackBot } from './surfaces/slack/slack-bot.js';
import { NestJsonLogger } from './logging/logger.js';
import { projectRoot } from './project-root.js';

export class PortInUse extends Error {}

/** Builds the HTTP application: API, health, and the web app's files. Listening is left to the caller. */
export async function createHttpApp(deps: AppDependencies): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(deps), {
    logger: new NestJsonLogger(),
    bodyParser: false,
    abortOnError: false,
  });
  app.useWebSocketAdapter(new WsAdapter(app));
  app.disable('x-powered-by');
  // Whose X-Forwarded-For to believe: a proxy on this machine by default, or the load balancer's addresses.
  app.set('trust proxy', deps.config.TRUST_PROXY);
  app.use(requestLog);
  app.use(securityHeaders);
  // Large enough for a 10,000-record import batch; bigger files go through multipart upload.
  // Receipts and Slack requests are signed over their exact bytes, so those keep the raw body beside the parsed one.
  app.use(express.json({
    limit: '32mb',
    verify: (req, _res, buf) => {
      if (req.url?.startsWith('/api/delivery-receipts') || req.url?.startsWith('/api/webhooks/') || req.url?.startsWith('/slack/')) (req as { rawBody?: Buffer }).rawBody = buf;
    },
  }));
  // Forms: the unsubscribe page and RFC 8058 one-click unsubscribes, Twilio's webhooks (signed over the fields), and
  // the OAuth token and revocation endpoints.
  // Only there: Slack's commands are forms too, and Bolt must read their bytes itself to check the signature.
  app.use(['/unsubscribe', '/api/webhooks/twilio', '/oauth/token', '/oauth/revoke'], express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 200 }));
  // Amazon SNS posts its JSON as text/plain; it is signed over the fields of the parsed message.
  app.use('/api/webhooks/ses', express.text({ type: 'text/plain', limit: '256kb' }));

  // Open and click tracking: plain Express too (see tracking-routes.ts).
  app.use('/t', trackingRoutes(app.get(EngagementService)));

  // MCP for AI assistants: plain Express in front of Nest's routes, since the SDK's transport writes the response itself.
  const mcp = app.get(McpEndpoint);
  app.use('/mcp', (req: express.Request, res: express.Response, next: express.NextFunction) => { mcp.handle(req, res).catch(next); });

  // Slack's events, commands and button presses (HTTP mode); Bolt checks each signature before anything else.
  const slack = app.get(SlackBot).router;
  if (slack) app.use(slack);

  // /api/docs for people, /api/docs-json for tools.
  SwaggerModule.setup('api/docs', app, openApiDocument(app) as unknown as OpenAPIObject, { jsonDocumentUrl: 'api/docs-json' });

  const web = join(projectRoot(), 'web', 'dist');
  if (existsSync(web)) {
    app.useStaticAssets(web, { index: false, maxAge: '1h' });
    // The web app routes on the client: any page that is not the API gets index.html.
    app.use((req: express.Request, res: express.Response, next: express.NextFunction) => {
      if (req.method !== 'GET' || /^\/(api|healthz|mcp|slack|ws|unsubscribe|t|\.well-known|oauth\/(?:authorize|token|register|revoke))(\/|$)/.test(req.path)) return next();
      res.sendFile(join(web, 'index.html'));
    });
  }
  return app;
}

export async function listen(app: NestExpressApplication, port: number, host: string): Promise<string> {
  try {
    await app.listen(port, host);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new PortInUse(`Port ${port} is already in use; stop what uses it or set PORT to another port.`);
    throw error;
  }
  const address = app.getHttpServer().address() as { port: number };
  return `http://${host === '0.0.0.0' || host === '127.0.0.1' ? 'localhost' : host}:${address.port}`;
}
