import { parseArgs } from 'node:util';
import { roles, type Role } from '../auth/roles.js';
import { createTokenBody } from '../auth/token-input.js';
import { UserInputError } from '../auth/users.service.js';
import { migrate } from '../db/database.js';
import { seedDemoData } from '../db/seed/seeder.js';
import { demoShoppers } from '../crm/outcomes/simulated-shoppers.js';
import type { CliContext } from './cli-context.js';
import type { Layout } from '../crm/ingestion/columns.js';
import { progressBar } from './progress-bar.js';
import { parseInput } from '../crm/errors.js';
import { testMessageInput } from '../crm/delivery/test-message.service.js';
import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';

export class UsageError extends Error {}

export interface Command {
  usage: string;
  summary: string;
  needsMigratedDatabase?: boolean;
  run(ctx: CliContext, args: string[], out: (line: string) => void): Promise<void>;
}

/** "a,b , c" as a list; nothing when the option was not given. */
const listOf = (value: string | undefined) => value?.split(',').map((v) => v.trim()).filter(Boolean);

function role(value: string | undefined, fallback?: Role): Role {
  const chosen = value ?? fallback;
  if (!chosen || !(roles as readonly string[]).includes(chosen)) throw new UsageError(`--role must be one of ${roles.join(', ')}.`);
  return chosen as Role;
}

const users = (ctx: CliContext) => ctx.services.users;
const tokens = (ctx: CliContext) => ctx.services.tokens;

export const commands: Record<string, Command> = {
  'db migrate': {
    usage: 'crm db migrate',
    summary: 'Apply pending database migrations.',
    async run(ctx, _args, out) {
      const applied = await migrate(ctx.database.orm, true);
      out(applied.length ? `Applied ${applied.join(', ')}.` : 'The database is up to date.');
    },
  },
  seed: {
    usage: 'crm seed [--seed 42] [--customers 5000]',
    summary: 'Load the demo customers and orders (the same seed gives the same data; loading twice changes nothing).',
    needsMigratedDatabase: true,
    async run(ctx, args, out) {
      const { values } = parseArgs({ args, options: { seed: { type: 'string' }, customers: { type: 'string' } } });
      const seed = Number(values.seed ?? ctx.config.SEED);
      const customers = Number(values.customers ?? ctx.config.DEMO_CUSTOMERS);
      if (!Number.isInteger(seed) || !Number.isInteger(customers) || customers < 10) throw new UsageError('--seed and --customers take whole numbers (at least 10 customers).');
      const result = await seedDemoData(ctx.sql, { seed, customers, shoppers: ctx.config.DEMO_SHOPPERS ? { ...demoShoppers(ctx.config), seed } : undefined });
      await ctx.services.audit.record(ctx.actor, 'demo.seed', null, { seed, ...result });
      out(`Loaded ${result.customers} customers and ${result.orders} orders (seed ${seed}).`);
    },
  },
  import: {
    usage: 'crm import <file> [--layout customers|orders|order-lines] [--map column=field …] [--date-format "DD/MM/YYYY HH:mm"] [--refund-prefix C]',
    summary: 'Import customers or orders from a CSV or NDJSON file (gzip accepted), with live progress and a final report.',
    needsMigratedDatabase: true,
    async run(ctx, args, out) {
      const { values, positionals } = parseArgs({
        args, allowPositionals: true,
        options: { layout: { type: 'string' }, map: { type: 'string', multiple: true }, 'date-format': { type: 'string' }, 'refund-prefix': { type: 'string' } },
      });
      const file = positionals[0];
      if (!file) throw new UsageError('Name the file to import.');
      if (!existsSync(file)) throw new UserInputError(`There is no file ${file}.`);
      const layouts = ['customers', 'orders', 'order-lines'];
      if (values.layout && !layouts.includes(values.layout)) throw new UsageError(`--layout must be one of ${layouts.join(', ')}.`);
      const map = Object.fromEntries((values.map ?? []).map((pair) => {
        const eq = pair.lastIndexOf('=');
        if (eq < 1) throw new UsageError(`--map takes column=field, not "${pair}".`);
        return [pair.slice(0, eq), pair.slice(eq + 1)];
      }));
      const service = ctx.services.ingestion;
      const created = await service.createFileImport(ctx.actor, {
        path: resolve(file), fileName: basename(file), source: 'cli',
        options: { layout: values.layout as Layout | undefined, map, dateFormat: values['date-format'], refundPrefix: values['refund-prefix'] },
      });
      const started = performance.now();
      const result = await service.runFileImport(created.id, progressBar());
      if (process.stderr.isTTY) process.stderr.write('\n');
      const seconds = (performance.now() - started) / 1000;
      const n = (v: number) => v.toLocaleString('en');
      out(`Import ${result.id} ${result.status} in ${seconds.toFixed(1)} s (${n(Math.round(result.received / Math.max(seconds, 0.001)))} lines/s), layout ${result.layout ?? 'unknown'}.`);
      if (result.error) out(result.error);
      out(`  received ${n(result.received)}, inserted ${n(result.inserted)}, updated ${n(result.updated)}, unchanged ${n(result.unchanged)}, rejected ${n(result.rejected)}, skipped ${n(result.skipped)}${result.layout === 'order-lines' ? ' (lines with no customer)' : ''}`);
      if (result.ignoredColumns.length) out(`  ignored columns: ${result.ignoredColumns.join(', ')}`);
      const report = await service.report(ctx.actor, result.id);
      for (const r of report.rejections.slice(0, 10)) out(`  line ${r.position}${r.field ? `, ${r.field}` : ''}: ${r.reason}`);
      if (result.rejected > 10) out(`  … and ${n(result.rejected - 10)} more rejected lines (GET /api/imports/${result.id}).`);
      if (result.status === 'failed') throw new UserInputError('Nothing was imported.');
    },
  },
  'user create': {
    usage: 'crm user create --email person@example.com --role marketer [--name "Asha Rao"] [--password …]',
    summary: 'Create a person who signs in with a password (generated and shown once when not given).',
    needsMigratedDatabase: true,
    async run(ctx, args, out) {
      const { values } = parseArgs({ args, options: { email: { type: 'string' }, role: { type: 'string' }, name: { type: 'string' }, password: { type: 'string' } } });
      if (!values.email) throw new UsageError('--email is required.');
      const result = await users(ctx).create(ctx.actor, { email: values.email, role: role(values.role), name: values.name, password: values.password });
      out(`Created ${result.user.email} (${result.user.role}, id ${result.user.id}).`);
      if (result.password) out(`Password (shown only now): ${result.password}`);
    },
  },
  'user list': {
    usage: 'crm user list',
    summary: 'List people and their roles.',
    needsMigratedDatabase: true,
    async run(ctx, _args, out) {
      for (const u of await users(ctx).list(ctx.actor)) out(`${String(u.id).padStart(4)}  ${u.role.padEnd(8)}  ${u.email}${u.disabled ? '  (disabled)' : ''}`);
    },
  },
  'user link-slack': {
    usage: 'crm user link-slack --email person@example.com --slack U0123ABCD   (--slack none removes the link)',
    summary: 'Let a Slack member act as this person in the Slack bot (for a Slack profile whose email differs).',
    needsMigratedDatabase: true,
    async run(ctx, args, out) {
      const { values } = parseArgs({ args, options: { email: { type: 'string' }, slack: { type: 'string' } } });
      if (!values.email || !values.slack) throw new UsageError('--email and --slack are required.');
      const slackUserId = values.slack === 'none' ? null : values.slack.toUpperCase();
      if (slackUserId && !/^[UW][A-Z0-9]{2,30}$/.test(slackUserId)) throw new UsageError('--slack must be a Slack member id such as U0123ABCD (Slack: profile, ⋮, Copy member ID).');
      const service = users(ctx);
      const user = await service.findByEmail(values.email);
      if (!user) throw new UserInputError(`There is no user ${values.email}.`);
      await service.linkSlack(ctx.actor, user.id, slackUserId);
      out(slackUserId ? `Slack member ${slackUserId} now acts as ${user.email} (${user.role}).` : `${user.email} has no Slack link now.`);
    },
  },
  'token create': {
    usage: 'crm token create --role marketer [--email person@example.com] [--name "nightly import"] [--scopes read,write,send] [--tools preview_segment,plan_campaign]',
    summary: "Create an API token bound to a user (the first admin when no email is given) and a role; it is shown once. Without --scopes it reads and writes but cannot send on its own.",
    needsMigratedDatabase: true,
    async run(ctx, args, out) {
      const { values } = parseArgs({ args, options: { role: { type: 'string' }, email: { type: 'string' }, name: { type: 'string' }, scopes: { type: 'string' }, tools: { type: 'string' } } });
      const limits = parseInput(createTokenBody.pick({ scopes: true, tools: true }), { scopes: listOf(values.scopes), tools: listOf(values.tools) });
      const service = users(ctx);
      const owner = values.email ? await service.findByEmail(values.email) : (await service.list(ctx.actor)).find((u) => u.role === 'admin' && !u.disabled);
      if (!owner) throw new UserInputError(values.email ? `There is no user ${values.email}.` : 'There is no admin yet; start the CRM once or create one with `crm user create`.');
      const created = await tokens(ctx).create(ctx.actor, { userId: owner.id, role: role(values.role), name: values.name, ...limits });
      out(`Token ${created.id} for ${owner.email} as ${created.role}, may ${created.scopes.join(', ')}${created.tools ? ` with only ${created.tools.join(', ')}` : ''} (shown only now; revoke with \`crm token revoke ${created.prefix}\`):`);
      out(created.token);
    },
  },
  'token list': {
    usage: 'crm token list',
    summary: 'List API tokens (never the tokens themselves).',
    needsMigratedDatabase: true,
    async run(ctx, _args, out) {
      for (const t of await tokens(ctx).list(ctx.actor, { all: true })) {
        out(`${String(t.id).padStart(4)}  ${t.prefix}…  ${t.role.padEnd(8)}  ${t.scopes.join(',').padEnd(15)}  user ${t.userId}  ${t.name}${t.revokedAt ? '  (revoked)' : ''}`);
      }
    },
  },
  'token revoke': {
    usage: 'crm token revoke <id or prefix>',
    summary: 'Revoke an API token; it is refused from the next request on.',
    needsMigratedDatabase: true,
    async run(ctx, args, out) {
      if (!args[0]) throw new UsageError('Name the token to revoke by its id or prefix.');
      const token = await tokens(ctx).revoke(ctx.actor, args[0]);
      out(`Token ${token.id} (${token.prefix}…) is revoked.`);
    },
  },
  'channel test': {
    usage: 'crm channel test --email you@example.com | --sms +919820012345 [--message "…"]',
    summary: 'Send one message through the configured mail server or Twilio and print what it answered.',
    needsMigratedDatabase: true,
    async run(ctx, args, out) {
      const { values } = parseArgs({ args, options: { email: { type: 'string' }, sms: { type: 'string' }, message: { type: 'string' } } });
      if (!values.email === !values.sms) throw new UsageError('Give one of --email <address> or --sms <phone number>.');
      const input = parseInput(testMessageInput, { channel: values.email ? 'email' : 'sms', to: values.email ?? values.sms, ...(values.message ? { message: values.message } : {}) });
      const result = await ctx.services.testMessages.send(ctx.actor, input);
      out(`${result.accepted ? 'Accepted' : 'Not accepted'} by ${result.carrier} for ${result.to}: ${result.answer}`);
      if (!result.accepted) process.exitCode = 1;
    },
  },
};

/** Finds the longest command name that the arguments start with ("token create" before "token"). */
export function findCommand(argv: string[]): { command: Command; args: string[] } | null {
  for (const words of [2, 1]) {
    const name = argv.slice(0, words).join(' ');
    if (commands[name]) return { command: commands[name], args: argv.slice(words) };
  }
  return null;
}

export function helpText() {
  const lines = Object.values(commands).map((c) => `  ${c.usage}\n      ${c.summary}`);
  return `Usage: crm <command>\n\n${lines.join('\n')}\n`;
}
