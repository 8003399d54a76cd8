import { z } from 'zod';
import { isTimeZone } from '../crm/time/time-zone.js';

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
    PUBLIC_URL: z.url().default('http://localhost:3000').describe('The address people use to reach the CRM; OpenID Connect redirects come back here.'),
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
    RUN_WORKERS: flag(true).describe('Run the background workers (imports, and later deliveries) inside the server (true/false); `npm run worker` runs more of them apart.'),
    JOB_SUPERVISE_SECONDS: z.coerce.number().int().min(1).max(3600).default(10).describe('How often the job queue looks for jobs whose worker died, in seconds.'),
    IMPORT_MAX_FILE_BYTES: z.coerce.number().int().min(1).default(5_000_000_000).describe('Largest file an import accepts, in bytes of text (after gzip is undone).'),
    IMPORT_MAX_LINE_BYTES: z.coerce.number().int().min(100).default(1_048_576).describe('Longest line (or record) of an import file, in characters; a longer one is rejected with its line number.'),
    IMPORT_BATCH_SIZE: z.coerce.number().int().min(1).max(100_000).default(10_000).describe('Lines written per transaction during a file import (a checkpoint is kept after each).'),
    IMPORT_MAX_RECORDS: z.coerce.number().int().min(1).max(100_000).default(10_000).describe('Most records one POST /api/customers or /api/orders request may carry.'),
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
  if (set('ADMIN_PASSWORD') && !set('ADMIN_EMAIL')) problems.push({ key: 'ADMIN_EMAIL', message: 'must be set when ADMIN_PASSWORD is set' });
  return problems;
}

export type Config = z.infer<typeof configSchema>;
