import 'reflect-metadata';
import { PermissionDenied } from '../auth/authorize.js';
import { CrmError } from '../crm/errors.js';
import { UserInputError } from '../auth/users.service.js';
import { ConfigError, loadConfig } from '../config/load-config.js';
import { DatabaseStartError, migrate } from '../db/database.js';
import { logger } from '../logging/logger.js';
import { openCliContext } from './cli-context.js';
import { findCommand, helpText, UsageError } from './commands.js';

// The CLI's own output is for a person; only warnings from the libraries below it reach the JSON log.
logger.setLevel('warn');

const argv = process.argv.slice(2);
const found = findCommand(argv);
if (!found || argv.includes('--help') || argv.includes('-h')) {
  process.stdout.write(helpText());
  process.exit(found || !argv.length || argv.includes('--help') ? 0 : 2);
}

let exitCode = 0;
let ctx;
try {
  ctx = await openCliContext(loadConfig());
  if (found.command.needsMigratedDatabase) await migrate(ctx.database.orm, ctx.config.MIGRATE_ON_START);
  await found.command.run(ctx, found.args, (line) => process.stdout.write(`${line}\n`));
} catch (error) {
  const known = [ConfigError, DatabaseStartError, UsageError, UserInputError, PermissionDenied, CrmError].some((kind) => error instanceof kind);
  const isParseError = (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
  process.stderr.write(`${known || isParseError ? (error as Error).message : String((error as Error).stack ?? error)}\n`);
  if (error instanceof UsageError || isParseError) process.stderr.write(`Usage: ${found.command.usage}\n`);
  exitCode = error instanceof UsageError || isParseError ? 2 : 1;
} finally {
  await ctx?.close();
}
// A command may set process.exitCode itself (a test message the provider refused).
process.exit(exitCode || Number(process.exitCode ?? 0));
