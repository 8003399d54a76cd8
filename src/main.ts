import 'reflect-metadata';
import { boot, type RunningCrm } from './boot.js';
import { ConfigError, loadConfig } from './config/load-config.js';
import { DatabaseStartError } from './db/database.js';
import { logger } from './logging/logger.js';
import { onStopSignal } from './process-signals.js';
import { PortInUse } from './server.js';

const startedAt = performance.now();

// On a stop signal: HTTP first, then the pools, then PostgreSQL, then exit 0. A signal during start-up stops what has started.
let crm: RunningCrm | undefined;
let stopRequested: NodeJS.Signals | undefined;
function shutdown(signal: NodeJS.Signals) {
  if (stopRequested) return;
  stopRequested = signal;
  logger.info('stopping', { signal });
  if (!crm) return; // boot is still running; it stops as soon as it finishes
  crm.stop().then(() => process.exit(0), (error) => { logger.error('stop failed', { error }); process.exit(1); });
}
onStopSignal(shutdown);

function fail(error: unknown): never {
  const known = error instanceof ConfigError || error instanceof DatabaseStartError || error instanceof PortInUse;
  // A person reads this line: one sentence for known problems, the stack only for the unexpected.
  process.stderr.write(`\nThe CRM could not start. ${known ? (error as Error).message : String((error as Error)?.stack ?? error)}\n\n`);
  process.exit(1);
}

let config;
try {
  config = loadConfig();
} catch (error) {
  fail(error);
}
logger.setLevel(config.LOG_LEVEL);

crm = await boot(config).catch(fail);
if (stopRequested) {
  const signal = stopRequested;
  stopRequested = undefined;
  shutdown(signal);
} else {
  const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
  // Printed straight to the terminal, not the log: the one-time password must not be kept in log files.
  const lines = [``, `  The CRM is running at ${crm.url}  (ready in ${seconds}s)`];
  if (crm.seeded) lines.push(`  Demo data loaded: ${config.DEMO_CUSTOMERS.toLocaleString('en')} customers with two years of orders.`);
  if (crm.firstAdmin) {
    lines.push(`  Sign in as ${crm.firstAdmin.email}${crm.firstAdmin.password ? ` with the one-time password ${crm.firstAdmin.password}` : ' with ADMIN_PASSWORD'}`);
    if (crm.firstAdmin.password) lines.push(`  (shown only now; change it after signing in, or create users with \`npm run crm -- user create\`).`);
  }
  lines.push(`  API tokens: npm run crm -- token create --role marketer    Health: ${crm.url}/healthz`, `  Stop with Ctrl-C.`, ``);
  process.stdout.write(`${lines.join('\n')}\n`);
}
