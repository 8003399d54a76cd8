import { z } from 'zod';
import { orderInput } from '../../crm/orders/order-input.js';
import { customerRecord } from '../../crm/ingestion/records.js';
import { passwordBody, signInBody } from './auth.controller.js';
import { layoutBody, uploadFields } from './imports.controller.js';
import { createTokenBody } from '../../auth/token-input.js';
import { createUserBody, roleBody, slackLinkBody } from './users.controller.js';
import { launchInput, planInput } from '../../crm/campaigns/campaign-input.js';
import { receiptBatch } from '../../vendor/vendor-protocol.js';
import { previewInput, segmentInput } from './segments.controller.js';
import { toolCatalogue } from '../../tools/catalogue.js';
import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

// The API described from the same zod schemas that check each request, so the document cannot drift from the code.
const schema = (s: z.ZodType) => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
const json = (s: z.ZodType) => ({ content: { 'application/json': { schema: schema(s) } } });
const oneOrMany = (s: z.ZodType) => json(z.union([s, z.array(s).max(10_000)]));
const error = { description: 'A sentence saying what is wrong', content: { 'application/json': { schema: { type: 'object', properties: { error: { type: 'string' }, message: { type: 'string' }, requestId: { type: 'string' } } } } } };
const tokenParam = { name: 'token', in: 'path', required: true, schema: { type: 'string' } };
const accepted = {
  description: 'Queued; follow statusUrl',
  content: { 'application/json': { schema: { type: 'object', properties: { importId: { type: 'string', format: 'uuid' }, status: { type: 'string' }, received: { type: 'integer' }, rejected: { type: 'integer' }, repeated: { type: 'boolean' }, statusUrl: { type: 'string' } } } } },
};
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'integer' } };
const idempotency = { name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string' }, description: 'Repeating a request with the same key returns the first import and changes nothing.' };

type Operation = { summary?: string } & Record<string, unknown>;
type Paths = Record<string, Record<string, Operation>>;

/**
 * The API document: every route the server really has (as Nest's own scan of the controllers finds them), each
 * described from the zod schemas below. A route without a description here still appears, with no summary, and
 * the OpenAPI test fails on it, so a new route cannot go unnoticed.
 */
export function openApiDocument(app: INestApplication) {
  const described = describedApi();
  const scanned = SwaggerModule.createDocument(app, new DocumentBuilder().build()).paths as unknown as Paths;
  const paths: Paths = {};
  for (const [path, methods] of Object.entries(scanned)) {
    // A route with a parameter may be described once for each of its values (POST /api/tools/{name}: one per tool).
    const template = new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}$`);
    const each = Object.keys(described.paths).filter((p) => p !== path && template.test(p) && !(p in scanned));
    for (const [method, operation] of Object.entries(methods)) {
      const instances = each.filter((p) => described.paths[p][method]);
      if (instances.length && !described.paths[path]?.[method]) for (const p of instances) (paths[p] ??= {})[method] = described.paths[p][method];
      else (paths[path] ??= {})[method] = described.paths[path]?.[method] ?? { responses: operation.responses };
    }
  }
  // Routes outside Nest's controllers (MCP, Slack) are described by hand and kept.
  for (const path of outsideNest) paths[path] = described.paths[path];
  return { ...described, paths };
}

// Served by plain Express handlers in front of Nest (see server.ts), so no controller scan finds them.
const outsideNest = ['/mcp', '/slack/events'];

function describedApi(): { paths: Paths } & Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: { title: 'CRM API', version: '0.1.0', description: 'Customers, orders, imports, segments, campaigns and analytics. Authenticate with `Authorization: Bearer crm_…` (make a token with `npm run crm -- token create`) or a web session plus `X-CSRF-Token` for writes.' },
    components: { securitySchemes: { token: { type: 'http', scheme: 'bearer' } } },
    security: [{ token: [] }],
    paths: {
      '/healthz': { get: { summary: 'Database reachable and migrations current', security: [], responses: { 200: { description: 'Healthy' }, 503: { description: 'Unhealthy, with the reason' } } } },
      '/api/auth/sign-in': { post: { summary: 'Sign in with email and password (sets the session cookie)', security: [], requestBody: json(signInBody), responses: { 200: { description: 'Signed in; the body holds the CSRF token' }, 401: error } } },
      '/api/auth/options': { get: { summary: 'How one may sign in here (password, and the OpenID Connect provider when set)', security: [], responses: { 200: { description: 'The sign-in options' } } } },
      '/api/auth/sign-out': { post: { summary: 'End this web sign-in (needs the session\'s X-CSRF-Token)', security: [], responses: { 204: { description: 'Signed out' }, 403: error } } },
      '/api/auth/password': { post: { summary: 'Change your own password: signed in on the web, with the current one (never with an API token); your other sign-ins end', requestBody: json(passwordBody), responses: { 204: { description: 'Changed' }, 400: error, 422: error } } },
      '/api/auth/oidc/start': { get: { summary: 'Start signing in with the OpenID Connect provider (returnTo: a page of this CRM)', security: [], parameters: [{ name: 'returnTo', in: 'query', required: false, schema: { type: 'string' } }], responses: { 302: { description: 'To the provider' } } } },
      '/api/auth/oidc/callback': { get: { summary: 'Where the provider sends the person back; opens the session', security: [], responses: { 302: { description: 'To the page they came from, or to sign-in with the reason' } } } },
      '/api/audit-events': { get: { summary: 'Recent audit events: who did what, through which surface (admins)', responses: { 200: { description: 'The events' }, 403: error } } },
      '/api/auth/session': { get: { summary: 'Whether this browser is signed in (no error when not): the signed-in person and CSRF token, or user null', security: [], responses: { 200: { description: 'The session, or none' } } } },
      '/api/auth/me': { get: { summary: 'Who is asking, and the session CSRF token', responses: { 200: { description: 'The caller' }, 401: error } } },
      '/api/tokens': {
        post: { summary: 'Make an API token (shown once)', requestBody: json(createTokenBody), responses: { 201: { description: 'The token' }, 403: error, 422: error } },
        get: { summary: 'Your API tokens (admins: ?all=true)', responses: { 200: { description: 'Tokens, never their secrets' } } },
      },
      '/api/tokens/{id}': { delete: { summary: 'Revoke a token by id or prefix', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: { 200: { description: 'Revoked' } } } },
      '/api/users': {
        get: { summary: 'People and roles (admin)', responses: { 200: { description: 'Users' }, 403: error } },
        post: { summary: 'Create a person (admin)', requestBody: json(createUserBody), responses: { 201: { description: 'Created; a generated password is shown once' }, 403: error } },
      },
      '/api/users/{id}': { patch: { summary: 'Change a person\'s role (admin); it takes effect on their next request, on every surface', parameters: [idParam], requestBody: json(roleBody), responses: { 200: { description: 'Changed' }, 400: error, 403: error, 404: error } } },
      '/api/users/{id}/unlock': { post: { summary: 'Lift the lock wrong passwords put on this person\'s sign-in (admin)', parameters: [idParam], responses: { 200: { description: 'Whether it was locked' }, 403: error, 404: error } } },
      '/api/tool-calls': { get: { summary: 'Every tool call on every surface, newest first: who, surface, client, tool, a digest of the arguments, outcome (admins)', parameters: ['tool', 'userId', 'surface', 'outcome', 'since', 'until', 'limit'].map((name) => ({ name, in: 'query', required: false, schema: { type: 'string' } })), responses: { 200: { description: 'The calls' }, 400: error, 403: error } } },
      '/.well-known/oauth-protected-resource': { get: { summary: 'OAuth protected-resource metadata for /mcp (RFC 9728)', security: [], responses: { 200: { description: 'The metadata' } } } },
      '/.well-known/oauth-protected-resource/mcp': { get: { summary: 'OAuth protected-resource metadata for /mcp (RFC 9728), at the address derived from it', security: [], responses: { 200: { description: 'The metadata' } } } },
      '/.well-known/oauth-authorization-server': { get: { summary: 'OAuth authorization-server metadata (RFC 8414)', security: [], responses: { 200: { description: 'The metadata' } } } },
      '/oauth/register': { post: { summary: 'Register a public OAuth client (RFC 7591): redirect URIs https, or http to loopback', security: [], responses: { 201: { description: 'The client' }, 400: { description: 'invalid_redirect_uri or invalid_client_metadata' } } } },
      '/oauth/authorize': { get: { summary: 'Start an authorization (code, PKCE S256): to the consent page, or back to the client with an error', security: [], responses: { 302: { description: 'Onward' }, 400: { description: 'Unknown client or redirect URI' } } } },
      '/oauth/token': { post: { summary: 'Exchange a code (with its PKCE verifier) or a refresh token for tokens bound to the person, the client and /mcp', security: [], responses: { 200: { description: 'The tokens' }, 400: { description: 'invalid_grant, invalid_request, invalid_scope, invalid_target or unsupported_grant_type' }, 401: { description: 'invalid_client' } } } },
      '/oauth/revoke': { post: { summary: 'Revoke an access or refresh token (RFC 7009); a refresh token takes its whole grant with it', security: [], responses: { 200: { description: 'Revoked, or was not known' } } } },
      '/api/oauth/requests/{id}': { get: { summary: 'The assistant asking to connect, and the scopes the signed-in person may grant (the consent page)', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }], responses: { 200: { description: 'The request' }, 404: error, 422: error } } },
      '/api/oauth/requests/{id}/decision': { post: { summary: 'Allow (with the scopes ticked) or deny; only a person signed in on the web page', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }], responses: { 200: { description: 'Where the browser goes next' }, 400: error, 422: error } } },
      '/api/oauth/clients': { get: { summary: 'Registered assistants (admin)', responses: { 200: { description: 'The clients' }, 403: error } } },
      '/api/oauth/clients/{id}': { delete: { summary: 'Revoke an assistant: its tokens stop working and it cannot sign in again (admin)', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: { 200: { description: 'Revoked' }, 403: error, 404: error } } },
      '/api/users/{id}/slack': { put: { summary: 'Link a Slack member to this person (admin); they then act as this person in Slack', parameters: [idParam], requestBody: json(slackLinkBody), responses: { 200: { description: 'Linked' }, 400: error, 403: error } } },
      '/api/customers': {
        post: { summary: 'Import customers: one record or up to 10,000, queued for a worker', parameters: [idempotency], requestBody: oneOrMany(customerRecord), responses: { 202: accepted, 400: error, 403: error, 413: error } },
      },
      '/api/orders': {
        post: { summary: "Import orders with their lines and their customer's external id: one or up to 10,000, queued", parameters: [idempotency], requestBody: oneOrMany(orderInput), responses: { 202: accepted, 400: error, 403: error, 413: error } },
      },
      '/api/imports': {
        get: { summary: 'Your latest imports (admins: everyone\'s), newest first', responses: { 200: { description: 'The imports' } } },
        post: {
          summary: 'Upload a CSV or NDJSON file (gzip accepted) of customers, orders or order lines',
          parameters: [idempotency],
          requestBody: { content: { 'multipart/form-data': { schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' }, ...((schema(uploadFields).properties as object) ?? {}) } } } } },
          responses: { 202: accepted, 400: error, 403: error },
        },
      },
      '/api/imports/layout': { post: { summary: 'What an upload would make of a header before it is sent: the layout, the field each column feeds, and the fields still missing', requestBody: json(layoutBody), responses: { 200: { description: 'The layout preview' }, 400: error, 403: error } } },
      '/api/imports/{id}/rejections.csv': { get: { summary: 'The rejected lines of an import as CSV (line, column, reason)', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }], responses: { 200: { description: 'text/csv' }, 404: error } } },
      '/api/imports/{id}': {
        get: {
          summary: 'Status, counts (received, inserted, updated, unchanged, rejected, skipped) and each rejected line or record',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
          responses: { 200: { description: 'The import' }, 404: error },
        },
      },
      '/api/segments/fields': { get: { summary: 'Fields a rule may name, with their operators (see docs/rules.md)', responses: { 200: { description: 'The fields' } } } },
      '/api/segments/preview': { post: { summary: 'Count, funnel, ten samples and the English sentence of a rule', requestBody: json(previewInput), responses: { 200: { description: 'The preview' }, 400: error } } },
      '/api/segments': {
        get: { summary: 'Saved segments, most recently changed first', responses: { 200: { description: 'The segments' } } },
        post: { summary: 'Save a segment (version 1)', requestBody: json(segmentInput), responses: { 201: { description: 'The segment' }, 400: error, 409: error } },
      },
      '/api/segments/{id}': {
        get: { summary: 'A segment with every version of its rule', parameters: [idParam], responses: { 200: { description: 'The segment' }, 404: error } },
        patch: { summary: 'Rename, describe, or change the rule (a new version)', parameters: [idParam], requestBody: json(segmentInput.partial()), responses: { 200: { description: 'The segment' }, 400: error, 404: error } },
        delete: { summary: 'Delete a segment', parameters: [idParam], responses: { 204: { description: 'Deleted' }, 404: error } },
      },
      '/api/segments/{id}/diff': { get: { summary: 'Who joins and who leaves between two versions, on today\'s customers', parameters: [idParam, { name: 'from', in: 'query', required: true, schema: { type: 'integer' } }, { name: 'to', in: 'query', required: true, schema: { type: 'integer' } }], responses: { 200: { description: 'Added and removed' }, 404: error } } },
      '/api/campaigns/plan': { post: { summary: 'Audience, exclusions, five rendered messages and an approval id; sends nothing', requestBody: json(planInput), responses: { 200: { description: 'The plan' }, 400: error, 404: error } } },
      '/api/campaigns/launch': { post: { summary: 'Redeem an approval (once, before it expires): freeze the audience and start delivery', requestBody: json(launchInput), responses: { 202: { description: 'Sending' }, 403: error, 404: error, 409: error, 422: error } } },
      '/api/campaigns/approvals/{approvalId}': { get: { summary: 'The plan an approval stands for (what would be sent), for a person deciding on a send an AI assistant asked for', parameters: [{ name: 'approvalId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }], responses: { 200: { description: 'The plan' }, 404: error } } },
      '/api/campaigns': { get: { summary: 'Campaigns newest first with audience, sent, failed, pending and delivery rate', parameters: [{ name: 'limit', in: 'query', schema: { type: 'integer' } }, { name: 'before', in: 'query', schema: { type: 'integer' } }], responses: { 200: { description: 'The campaigns' } } } },
      '/api/campaigns/{id}': { get: { summary: 'One campaign: figures, plan and failure reasons', parameters: [idParam], responses: { 200: { description: 'The campaign' }, 404: error } } },
      '/api/campaigns/{id}/cancel': { post: { summary: 'Stop a scheduled or sending campaign: messages not yet handed over are not sent', parameters: [idParam], responses: { 200: { description: 'Cancelled, with how many messages will not be sent' }, 403: error, 404: error, 409: error } } },
      '/unsubscribe/{token}': {
        get: { summary: 'The unsubscribe page of an email\'s link: asks before it unsubscribes (no sign-in; the signed token is the proof)', security: [], parameters: [tokenParam], responses: { 200: { description: 'An HTML page' }, 400: { description: 'An HTML page saying the link is forged or expired' } } },
        post: { summary: 'Unsubscribe (or subscribe again) from the page, or RFC 8058 one-click with the body List-Unsubscribe=One-Click', security: [], parameters: [tokenParam], responses: { 200: { description: 'Done' }, 400: error } },
      },
      '/t/o/{token}': { get: { summary: 'Open tracking: a one-pixel image in each tracked email (answers the same for any token)', security: [], parameters: [tokenParam], responses: { 200: { description: 'A transparent GIF' } } } },
      '/t/c/{token}': { get: { summary: 'Click tracking: records the click and redirects to that link of the message (never anywhere else)', security: [], parameters: [tokenParam], responses: { 302: { description: 'To the link' }, 404: { description: 'Not a link of ours' } } } },
      '/api/webhooks/twilio/status': { post: { summary: 'Twilio status callbacks (form fields), checked by X-Twilio-Signature', security: [], responses: { 200: { description: 'Applied, or a repeat that changed nothing' }, 400: error, 401: error, 404: error } } },
      '/api/webhooks/twilio/inbound': { post: { summary: 'Texts customers send to our number: STOP, START, HELP; answered in TwiML', security: [], responses: { 200: { description: 'TwiML' }, 401: error } } },
      '/api/webhooks/sendgrid': { post: { summary: 'SendGrid Event Webhook (bounces, spam reports, unsubscribes), signed with ECDSA (X-Twilio-Email-Event-Webhook-Signature)', security: [], responses: { 200: { description: 'Applied, repeats and unknown messages counted' }, 400: error, 401: error, 404: error } } },
      '/api/webhooks/ses': { post: { summary: 'Amazon SES bounce and complaint notifications through an SNS topic (SNS signature checked against Amazon\'s certificate)', security: [], responses: { 200: { description: 'Applied, or the subscription confirmed' }, 400: error, 401: error, 404: error } } },
      '/api/delivery-receipts': { post: { summary: 'Receipts from the messaging vendor, signed with X-Signature: t=…,v1=HMAC-SHA256(secret, "t.body")', security: [], requestBody: json(receiptBatch), responses: { 202: { description: 'Queued' }, 400: error, 401: error, 404: error } } },
      '/api/analytics/overview': { get: { summary: 'Customers, revenue and orders by month, top customers, RFM groups, campaign performance', responses: { 200: { description: 'The overview' } } } },
      '/api/chat': { post: { summary: 'One chat turn: {conversationId, message: {text} | {approvals: [{id, approved, reason?}]}}; streams AI SDK UI message chunks (server-sent events)', responses: { 200: { description: 'The streamed answer' }, 400: { description: 'Bad turn' }, 404: { description: 'No such conversation or approval for this person' }, 409: { description: 'Approval already answered' } } } },
      '/api/conversations': { get: { summary: 'Your conversations with the agent, most recent first', responses: { 200: { description: 'Conversations' } } } },
      '/api/conversations/{id}': { get: { summary: 'One of your conversations with every message, tool call, approval and token usage', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }], responses: { 200: { description: 'The conversation' }, 404: { description: 'Not yours, or no such conversation' } } } },
      '/api/agent': { get: { summary: 'Which model answers in the chat', responses: { 200: { description: '{model, offline}' } } } },
      '/api/tools': { get: { summary: 'The tool catalogue: name, description, risk, permission and input schema of each tool', responses: { 200: { description: 'The tools' } } } },
      ...Object.fromEntries(toolCatalogue.map((t) => [`/api/tools/${t.name}`, {
        post: {
          summary: `${t.description} (risk: ${t.risk}; needs ${t.permission})`, requestBody: json(t.input),
          responses: { 200: { description: 'The result', content: { 'application/json': { schema: schema(t.output) } } }, 400: error, 403: error, 404: error },
        },
      }])),
      '/api/analytics/insights': { get: { summary: 'Churn risk, lifetime value, best hour to send — each with its figures, or declined', responses: { 200: { description: 'The insights' } } } },
      '/mcp': {
        post: { summary: 'MCP over Streamable HTTP for AI assistants: the same tools, with a person\'s confirmation before any send (see the README)', responses: { 200: { description: 'A JSON-RPC answer or an event stream' }, 401: error, 403: error, 404: error } },
        get: { summary: 'The MCP session\'s event stream', responses: { 200: { description: 'An event stream' }, 401: error, 404: error } },
        delete: { summary: 'End an MCP session', responses: { 200: { description: 'Ended' }, 404: error } },
      },
      '/slack/events': { post: { summary: 'Slack events, slash commands and button presses, each signed by Slack (only when the Slack bot is configured)', security: [], responses: { 200: { description: 'Acknowledged' }, 401: error } } },
    },
  };
}
