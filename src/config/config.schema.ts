import { z } from 'zod';
import { isTimeZone } from '../crm/time/time-zone.js';
import { isLoopbackName } from '../surfaces/mcp/request-origin.js';

// Environment values arrive as strings; these helpers turn "" into "not set" so that an empty line in .env means the default.
const optionalText = () => z.preprocess((v) => (v === '' ? undefined : v), z.string().optional());
const flag = (fallback: boolean) =>
  z.preprocess(
    (v) => (v === '' || v === undefined ? fallback : v),
    z.union([z.boolean(), z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1')]),
  );
const portNumber = z.coerce.number({ error: 'must be a port number from 1 to 65535' }).int('must be a whole number').min(1).max(65535);
const port = (fallback: number) => z.preprocess((v) => (v === '' || v === undefined ? fallback : v), portNumber);
const optionalPort = () => z.preprocess((v) => (v === '' ? undefined : v), portNumber.optional());

const postgresUrl = z
  .string()
  .refine((v) => /^postgres(ql)?:\/\/.+/.test(v) && URL.canParse(v), 'must be a postgres:// URL, e.g. postgres://user:password@host:5432/crm');

/**
 * Every environment variable the CRM reads, with what it means. The descriptions are shown when a value is wrong
 * and are the source of truth for `.env.example`.
 */
export const configSchema = z
  .object({
    PORT: port(3000).describe('HTTP port of the web app, API, Slack events and MCP endpoint.'),
    HOST: z.string().default('127.0.0.1').describe('Address to listen on; 0.0.0.0 to accept connections from other machines (containers).'),
    PUBLIC_URL: optionalText().pipe(z.url().optional()).describe('The address people use to reach the CRM; OpenID Connect redirects come back here. When unset, http://localhost:PORT.'),
    DATABASE_URL: optionalText()
      .pipe(postgresUrl.optional())
      .describe('PostgreSQL connection URL. When unset, an embedded PostgreSQL is started with its data under DATA_DIR.'),
    DATA_DIR: z.string().default('.data').describe('Where the embedded PostgreSQL keeps its data (used only when DATABASE_URL is unset).'),
    EMBEDDED_POSTGRES_PORT: optionalPort().describe('Port for the embedded PostgreSQL; a free port is chosen when unset.'),
    MIGRATE_ON_START: flag(true).describe('Run pending database migrations at start (true/false). When false, pending migrations stop the start.'),
    SEED_ON_EMPTY: flag(true).describe('Load the demo data on the first start of an empty database (true/false).'),
    SEED: z.coerce.number().int().default(42).describe('Random seed of the demo data; the same seed gives the same customers and orders.'),
    DEMO_CUSTOMERS: z.coerce.number().int().min(10).max(1_000_000).default(5000).describe('How many customers the demo data has (about five orders each).'),
    CURRENCY: z.string().regex(/^[A-Z]{3}$/, 'must be a three-letter ISO 4217 code such as INR').default('INR').describe('Currency of every amount in this CRM (ISO 4217).'),
    TIME_ZONE: z.string().refine(isTimeZone, 'must be an IANA time zone such as Asia/Kolkata').default('Asia/Kolkata').describe('Time zone of the business: calendar dates in segment rules, message dates and the best hour to send are read in it.'),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info').describe('Least important log line written: debug, info, warn or error.'),
    ADMIN_EMAIL: optionalText().pipe(z.email().optional()).describe('Email of the first admin, created on the first start when there are no users.'),
    ADMIN_PASSWORD: optionalText()
      .pipe(z.string().min(12, 'must be at least 12 characters').optional())
      .describe('Password of that first admin; when unset a one-time password is generated and printed once.'),
    SESSION_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 90).default(24 * 7).describe('How long a web sign-in lasts, in hours.'),
    COOKIE_SECURE: flag(false).describe('Mark session cookies Secure (true when the CRM is served over HTTPS).'),
    DB_STATEMENT_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(86_400).default(120).describe('Longest any one database statement of the server or a worker may run, in seconds; a longer one is cancelled.'),
    PREVIEW_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(3600).default(15).describe('Longest a segment preview or audience count may run, in seconds; it is then stopped and the person told to narrow the rule.'),
    PREVIEW_MAX_COST: z.coerce.number().min(1).default(50_000_000).describe('Largest planner cost estimate a segment preview may have; a costlier rule is refused with a sentence before it runs.'),
    WS_RECHECK_SECONDS: z.coerce.number().int().min(1).max(3600).default(10).describe('How often each open websocket\'s sign-in or token is checked again; a revoked token or ended session is disconnected by then.'),
    RUN_WORKERS: flag(true).describe('Run the background workers (imports, and later deliveries) inside the server (true/false); `npm run worker` runs more of them apart.'),
    JOB_SUPERVISE_SECONDS: z.coerce.number().int().min(1).max(3600).default(10).describe('How often the job queue looks for jobs whose worker died, in seconds.'),
    IMPORT_MAX_FILE_BYTES: z.coerce.number().int().min(1).default(5_000_000_000).describe('Largest file an import accepts, in bytes of text (after gzip is undone).'),
    IMPORT_MAX_LINE_BYTES: z.coerce.number().int().min(100).default(1_048_576).describe('Longest line (or record) of an import file, in characters; a longer one is rejected with its line number.'),
    IMPORT_BATCH_SIZE: z.coerce.number().int().min(1).max(100_000).default(10_000).describe('Lines written per transaction during a file import (a checkpoint is kept after each).'),
    IMPORT_MAX_RECORDS: z.coerce.number().int().min(1).max(100_000).default(10_000).describe('Most records one POST /api/customers or /api/orders request may carry.'),
    APPROVAL_TTL_MINUTES: z.coerce.number().int().min(1).max(7 * 24 * 60).default(30).describe('How long a campaign plan\'s approval can be redeemed, in minutes; after that the campaign must be planned again.'),
    FREQUENCY_CAP_MESSAGES: z.coerce.number().int().min(1).max(1000).default(3).describe('Frequency cap: a customer who already had this many messages in FREQUENCY_CAP_DAYS is left out of a new campaign.'),
    FREQUENCY_CAP_DAYS: z.coerce.number().int().min(1).max(365).default(7).describe('Frequency cap window, in days.'),
    TRACKING: flag(true).describe('Track email opens (a one-pixel image) and clicks (links through this CRM) for campaign reports (true/false); a campaign can also turn it off.'),
    HOLDOUT_PERCENT: z.coerce.number().min(0).max(50).default(10).describe('Share of each campaign\'s eligible audience, in percent, kept as a control group that receives nothing, so the report can say what the campaign added; 0 for none. A plan may choose its own.'),
    ATTRIBUTION_DAYS: z.coerce.number().int().min(1).max(90).default(5).describe('An order placed this many days after a message (or after launch, for the control group) counts for the campaign.'),
    TOOL_CALLS_KEEP_DAYS: z.coerce.number().int().min(1).max(3650).default(365).describe('How long the record of every tool call (who, where, which tool, the outcome) is kept, in days.'),
    OUTCOMES_SECONDS: z.coerce.number().int().min(1).max(3600).default(15).describe('How often A/B tests are checked for their deadline, closed reports announced and demo shoppers answer, in seconds.'),
    DEMO_SHOPPERS: flag(true).describe('In the demo shop only (the demo data, campaigns delivered by the simulator), simulated customers open, click and order after a campaign, so its report has figures (true/false).'),
    DEMO_CONVERSION_RATE: z.coerce.number().min(0).max(1).default(0.06).describe('Demo shoppers: share who order within the window without a message (the control group\'s rate).'),
    DEMO_UPLIFT: z.coerce.number().min(-1).max(10).default(0.35).describe('Demo shoppers: how much more likely a recipient is to order (0.35 = 35 % more); the lift a demo report should find.'),
    DEMO_VARIANT_UPLIFT: z.coerce.number().min(-1).max(10).default(0.25).describe('Demo shoppers: each later A/B version clicks and converts this much more than the one before.'),
    DEMO_OPEN_RATE: z.coerce.number().min(0).max(1).default(0.4).describe('Demo shoppers: share of recipients who open the email.'),
    DEMO_CLICK_RATE: z.coerce.number().min(0).max(1).default(0.25).describe('Demo shoppers: share of those who open who click its first link.'),
    DELIVERY_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(1000).describe('Messages handed to the vendor per request (and per delivery job).'),
    RECEIPT_TIMEOUT_SECONDS: z.coerce.number().int().min(1).default(900).describe('A message accepted by the vendor with no receipt after this many seconds is marked unconfirmed by the reconciler.'),
    RECONCILE_SECONDS: z.coerce.number().int().min(1).max(3600).default(30).describe('How often the reconciler looks for overdue receipts and stalled campaigns, in seconds.'),
    RECEIPTS_URL: optionalText().pipe(z.url().optional()).describe('Where the vendor posts delivery receipts; PUBLIC_URL/api/delivery-receipts when unset.'),
    VENDOR_URL: optionalText().pipe(z.url().optional()).describe('Address of the messaging vendor (the simulator run with `npm run vendor`). When unset, the server starts the simulator itself.'),
    VENDOR_PORT: z.preprocess((v) => (v === '' || v === undefined ? 3001 : v), z.coerce.number().int().min(0).max(65535)).describe('Port of the vendor simulator; 0 for any free port (the in-process simulator also takes a free port when this one is taken).'),
    VENDOR_SECRET: optionalText().pipe(z.string().min(16, 'must be at least 16 characters').optional()).describe('Shared secret that signs vendor requests and delivery receipts. Needed when VENDOR_URL is set; random per start otherwise.'),
    VENDOR_SEED: z.coerce.number().int().default(7).describe('Random seed of the vendor simulator: the same seed gives the same outcomes and delays.'),
    VENDOR_FAILURE_RATE: z.coerce.number().min(0).max(1).default(0.1).describe('Share of messages the simulator reports FAILED (0 to 1).'),
    VENDOR_DUPLICATE_RATE: z.coerce.number().min(0).max(1).default(0.05).describe('Share of receipts the simulator sends twice (0 to 1).'),
    VENDOR_MIN_DELAY_MS: z.coerce.number().int().min(0).default(100).describe('Shortest delay before the simulator sends a receipt, in milliseconds.'),
    VENDOR_MAX_DELAY_MS: z.coerce.number().int().min(0).default(3000).describe('Longest delay before the simulator sends a receipt, in milliseconds; random delays make receipts arrive out of order.'),
    VENDOR_ACCEPT_DELAY_MS: z.coerce.number().int().min(0).default(0).describe('How long the simulator takes to accept a batch, in milliseconds (a slow vendor).'),
    SMTP_URL: optionalText().pipe(z.string().refine((v) => /^smtps?:\/\/.+/.test(v) && URL.canParse(v), 'must be an smtp:// or smtps:// URL, e.g. smtps://user:password@email-smtp.eu-west-1.amazonaws.com:465').optional()).describe('Mail server (relay) that email campaigns are handed to: smtp://user:password@host:587 (STARTTLS) or smtps://user:password@host:465. When unset, email goes to the built-in simulator and nothing leaves this machine.'),
    EMAIL_FROM: optionalText().pipe(z.email('must be an email address such as offers@yourshop.example').optional()).describe('Sender address of campaign emails; must be one the mail server lets you send from. Needed with SMTP_URL.'),
    EMAIL_FROM_NAME: optionalText().describe('Sender name shown in the inbox beside EMAIL_FROM, e.g. "Your Shop".'),
    EMAIL_REPLY_TO: optionalText().pipe(z.email().optional()).describe('Where replies to campaign emails go, when not to EMAIL_FROM.'),
    EMAIL_RATE_PER_SECOND: z.coerce.number().int().min(0).default(0).describe('Most emails handed to the mail server per second (your provider\'s sending rate, e.g. 14 for a new Amazon SES account); 0 for no limit.'),
    EMAIL_CONNECTIONS: z.coerce.number().int().min(1).max(50).default(16).describe('SMTP connections kept open to the mail server at once.'),
    DELIVERY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5).describe('How often one message is tried when the mail server or SMS provider says "try again later" (SMTP 4xx, HTTP 429/5xx) before it counts as failed.'),
    DELIVERY_RETRY_SECONDS: z.coerce.number().min(0.1).max(3600).default(60).describe('Wait before the first retry of a message, in seconds; each later retry waits four times longer.'),
    SENDING_TIMEOUT_SECONDS: z.coerce.number().int().min(1).default(300).describe('A message claimed for sending (SMTP or Twilio) with no answer after this many seconds was caught by a crash: it becomes unconfirmed and is never sent again by itself.'),
    UNSUBSCRIBE_SECRET: optionalText().pipe(z.string().min(32, 'must be at least 32 characters').optional()).describe('Key that signs unsubscribe links. When unset the CRM makes one and keeps it in its database, so links keep working across restarts.'),
    UNSUBSCRIBE_LINK_DAYS: z.coerce.number().int().min(30).max(3650).default(365).describe('How long an unsubscribe link keeps working, in days (the law asks for at least 30).'),
    BOUNCE_ADDRESS: optionalText().pipe(z.email().optional()).describe('Envelope sender (return path) of campaign emails, e.g. bounces@shop.example: each message goes out as bounces+<its id>@shop.example (VERP), so a bounce report names the message it is about. When unset, EMAIL_FROM.'),
    BOUNCE_IMAP_URL: optionalText().pipe(z.string().refine((v) => /^imaps?:\/\/.+/.test(v) && URL.canParse(v), 'must be an imap:// or imaps:// URL, e.g. imaps://bounces%40shop.example:password@imap.example.com:993/INBOX').optional()).describe('Mailbox where bounce reports arrive (the mailbox of BOUNCE_ADDRESS), read over IMAP: imaps://user:password@host:993/INBOX. Each unseen report is applied and marked seen.'),
    BOUNCE_POLL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60).describe('How often the bounce mailbox is read, in seconds.'),
    TWILIO_ACCOUNT_SID: optionalText().describe('Twilio account SID (AC…). With TWILIO_AUTH_TOKEN and TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID, SMS campaigns go through Twilio.'),
    TWILIO_AUTH_TOKEN: optionalText().describe('Twilio auth token; also checks the X-Twilio-Signature of status callbacks and incoming messages. Never logged.'),
    TWILIO_FROM: optionalText().describe('Phone number (E.164, e.g. +14155550100) or sender id SMS campaigns are sent from.'),
    TWILIO_MESSAGING_SERVICE_SID: optionalText().describe('Twilio Messaging Service (MG…) to send from instead of TWILIO_FROM.'),
    TWILIO_API_URL: optionalText().pipe(z.url().optional()).describe('Twilio API address; leave unset for Twilio\'s own (tests point it at a local stand-in).'),
    SMS_QUIET_HOURS: z.string().regex(/^(\d{2}:\d{2}-\d{2}:\d{2})?$/, 'must look like 21:00-09:00, or be empty for none').default('21:00-09:00').describe('Hours (in TIME_ZONE) when no SMS is sent; messages due then wait until the hours end. Empty for none.'),
    SMS_OPT_OUT_TEXT: z.string().max(60).default('Reply STOP to opt out').describe('Line appended to every SMS so customers know how to stop them (carriers and many countries require it); empty for none.'),
    SMS_MAX_SEGMENTS: z.coerce.number().int().min(1).max(10).default(4).describe('Longest SMS a campaign may send, in segments (160 GSM-7 or 70 UCS-2 characters each, fewer when split).'),
    SENDGRID_WEBHOOK_PUBLIC_KEY: optionalText().describe('SendGrid Event Webhook verification key (the base64 public key from SendGrid\'s Mail Settings); enables /api/webhooks/sendgrid.'),
    SES_SNS_TOPIC_ARNS: z.string().default('').transform((v) => v.split(',').map((t) => t.trim()).filter(Boolean)).describe('Comma-separated Amazon SNS topic ARNs whose SES bounce and complaint notifications /api/webhooks/ses accepts; empty to accept none.'),
    SNS_CERT_URL_PATTERN: z.string().default('^https://sns\\.[a-z0-9-]+\\.amazonaws\\.com(\\.cn)?/').describe('Where SNS signing certificates may be fetched from (a regular expression over the URL). Leave the default: only Amazon\'s own addresses.'),
    AGENT_MODEL: z.preprocess((v) => (v === '' ? undefined : v), z.enum(['gemini', 'openai-compatible', 'offline']).optional()).describe('Which model the agent uses: gemini, openai-compatible or offline. When unset: gemini if GOOGLE_GENERATIVE_AI_API_KEY is set, otherwise the built-in offline model.'),
    GOOGLE_GENERATIVE_AI_API_KEY: optionalText().describe('Gemini API key (Google AI Studio). Never logged or shown to a model.'),
    GEMINI_MODEL: z.string().default('gemini-2.5-flash').describe('Gemini model name used when AGENT_MODEL is gemini.'),
    GEMINI_BASE_URL: optionalText().pipe(z.url().optional()).describe('Gemini API address; leave unset for Google\'s own (tests point it at a local stand-in).'),
    OPENAI_COMPATIBLE_BASE_URL: optionalText().pipe(z.url().optional()).describe('Base URL of an OpenAI-compatible server (Ollama http://localhost:11434/v1, vLLM, llama.cpp) for AGENT_MODEL=openai-compatible.'),
    OPENAI_COMPATIBLE_MODEL: z.string().default('llama3.1').describe('Model name on that OpenAI-compatible server.'),
    OPENAI_COMPATIBLE_API_KEY: optionalText().describe('API key for that server, if it wants one.'),
    AGENT_MAX_STEPS: z.coerce.number().int().min(1).max(50).default(8).describe('Most model steps (each a reply or a round of tool calls) in one chat turn.'),
    AGENT_MAX_TOKENS: z.coerce.number().int().min(1000).default(60_000).describe('Most tokens (input and output) one chat turn may use; the turn stops with a message when it is reached.'),
    AGENT_TURN_SECONDS: z.coerce.number().int().min(1).max(600).default(60).describe('Longest a chat turn may run, in seconds; it then stops with a message.'),
    AGENT_APPROVE_WRITES: flag(false).describe('Ask a person before the agent runs any tool that changes data (saving a segment, importing), not only before sends (true/false).'),
    MCP_ALLOWED_HOSTS: z
      .string()
      .default('')
      .transform((v) => v.split(',').map((h) => h.trim().toLowerCase()).filter(Boolean))
      .describe('Comma-separated host names the MCP endpoint answers besides localhost and PUBLIC_URL\'s host (protection against DNS rebinding).'),
    TRUST_PROXY: z.string().trim().default('loopback').describe('Which proxies\' X-Forwarded-For is believed (for sign-in throttling by address): "loopback", or the load balancer\'s addresses or ranges, comma-separated (Express "trust proxy" syntax).'),
    MCP_STATELESS: flag(false).describe('Serve MCP without sessions: every request stands alone, so any of several server processes behind one address can answer it. Assistants then approve no sends by elicitation (those wait for a person on the web page or in Slack) (true/false).'),
    MCP_LOOPBACK_USER: optionalText()
      .pipe(z.email().optional())
      .describe('Off by default. Email of a CRM user whom MCP requests without a token act as, with at most the analyst role, and only when they come from this machine to a loopback address. For the MCP conformance suite; refused unless HOST is a loopback address.'),
    SLACK_BOT_TOKEN: optionalText().describe('Slack bot token (xoxb-…) of the installed app. Enables the Slack bot.'),
    SLACK_SIGNING_SECRET: optionalText().describe('Slack signing secret; every request to /slack/events must be signed with it.'),
    SLACK_APP_TOKEN: optionalText().describe('Slack app-level token (xapp-…). When set, the bot uses Socket Mode instead of /slack/events.'),
    SLACK_API_URL: optionalText().pipe(z.url().optional()).describe('Slack Web API address; leave unset for Slack\'s own (tests point it at a local stand-in).'),
    SLACK_RUNS_CHANNEL: optionalText().describe('Slack channel id (C…) where each run of a recurring campaign is posted: sent, or stopped at a cap. None when unset.'),
    OIDC_ISSUER_URL: optionalText().pipe(z.url().optional()).describe('OpenID Connect issuer, e.g. https://accounts.google.com. Enables "Sign in with" on the web.'),
    OIDC_CLIENT_ID: optionalText().describe('OpenID Connect client id issued by the provider.'),
    OIDC_CLIENT_SECRET: optionalText().describe('OpenID Connect client secret issued by the provider.'),
    OIDC_PROVIDER_NAME: z.string().default('Google').describe('Name shown on the sign-in button.'),
    OIDC_ALLOWED_DOMAINS: z
      .string()
      .default('')
      .transform((v) => v.split(',').map((d) => d.trim().toLowerCase()).filter(Boolean))
      .describe('Comma-separated email domains whose people get an account on first OpenID sign-in; others need an existing user.'),
    OIDC_DEFAULT_ROLE: z.enum(['admin', 'marketer', 'analyst']).default('analyst').describe('Role given to accounts created on first OpenID sign-in.'),
  });

/**
 * Rules that tie variables together. They read the raw values so that they are reported even when another
 * variable is wrong too: a person should see every problem in one go.
 */
export function crossFieldProblems(raw: Record<string, string | undefined>): { key: string; message: string }[] {
  const set = (key: string) => !!raw[key]?.trim();
  const problems: { key: string; message: string }[] = [];
  const oidc = ['OIDC_ISSUER_URL', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET'];
  if (oidc.some(set)) {
    for (const key of oidc) if (!set(key)) problems.push({ key, message: 'must be set together with the other OIDC_* values' });
  }
  if (set('VENDOR_URL') && !set('VENDOR_SECRET')) problems.push({ key: 'VENDOR_SECRET', message: 'must be set when VENDOR_URL is set (the same value the vendor uses)' });
  if (Number(raw.VENDOR_MIN_DELAY_MS ?? 0) > Number(raw.VENDOR_MAX_DELAY_MS ?? 3000)) problems.push({ key: 'VENDOR_MIN_DELAY_MS', message: 'must not be more than VENDOR_MAX_DELAY_MS' });
  if (raw.AGENT_MODEL === 'gemini' && !set('GOOGLE_GENERATIVE_AI_API_KEY')) problems.push({ key: 'GOOGLE_GENERATIVE_AI_API_KEY', message: 'must be set when AGENT_MODEL is gemini' });
  if (raw.AGENT_MODEL === 'openai-compatible' && !set('OPENAI_COMPATIBLE_BASE_URL')) problems.push({ key: 'OPENAI_COMPATIBLE_BASE_URL', message: 'must be set when AGENT_MODEL is openai-compatible' });
  if (set('MCP_LOOPBACK_USER') && !isLoopbackName((raw.HOST ?? '127.0.0.1').trim())) problems.push({ key: 'MCP_LOOPBACK_USER', message: 'may only be set when HOST is a loopback address (127.0.0.1, localhost or ::1): tokenless MCP access must never reach the network' });
  if (set('SLACK_BOT_TOKEN') && !set('SLACK_SIGNING_SECRET') && !set('SLACK_APP_TOKEN')) problems.push({ key: 'SLACK_SIGNING_SECRET', message: 'must be set with SLACK_BOT_TOKEN (or use Socket Mode with SLACK_APP_TOKEN)' });
  if ((set('SLACK_SIGNING_SECRET') || set('SLACK_APP_TOKEN')) && !set('SLACK_BOT_TOKEN')) problems.push({ key: 'SLACK_BOT_TOKEN', message: 'must be set to run the Slack bot' });
  if (set('SMTP_URL') && !set('EMAIL_FROM')) problems.push({ key: 'EMAIL_FROM', message: 'must be set with SMTP_URL: the sender address of campaign emails' });
  if (set('TWILIO_ACCOUNT_SID') || set('TWILIO_AUTH_TOKEN')) {
    for (const key of ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN']) if (!set(key)) problems.push({ key, message: 'must be set together with the other TWILIO_* values' });
    if (!set('TWILIO_FROM') && !set('TWILIO_MESSAGING_SERVICE_SID')) problems.push({ key: 'TWILIO_FROM', message: 'must be set (or TWILIO_MESSAGING_SERVICE_SID): the number SMS campaigns are sent from' });
  }
  if (set('ADMIN_PASSWORD') && !set('ADMIN_EMAIL')) problems.push({ key: 'ADMIN_EMAIL', message: 'must be set when ADMIN_PASSWORD is set' });
  return problems;
}

/** The configuration as the CRM uses it: PUBLIC_URL is always known (from PORT when it was not given). */
export type Config = Omit<z.infer<typeof configSchema>, 'PUBLIC_URL'> & { PUBLIC_URL: string };

const anyAddress = new Set(['0.0.0.0', '::', '127.0.0.1', '::1', 'localhost']);

/** Where this CRM is when nobody said otherwise: the port it listens on, on this machine's own name for itself. */
export function defaultPublicUrl(host: string, port: number) {
  return `http://${anyAddress.has(host) ? 'localhost' : host.includes(':') ? `[${host}]` : host}:${port}`;
}
