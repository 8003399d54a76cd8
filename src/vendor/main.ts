import 'reflect-metadata';
import { ConfigError, loadConfig } from '../config/load-config.js';
import { logger } from '../logging/logger.js';
import { onStopSignal } from '../process-signals.js';
import { VendorSimulator } from './vendor-simulator.js';
import { vendorOptions } from './vendor-options.js';

// `npm run vendor`: the messaging vendor simulator on its own, for workers in other processes or machines.
try {
  const config = loadConfig();
  logger.setLevel(config.LOG_LEVEL);
  if (!config.VENDOR_SECRET) throw new ConfigError('VENDOR_SECRET must be set: the CRM and the vendor sign their requests with it.');
  const vendor = new VendorSimulator(vendorOptions(config, config.VENDOR_SECRET));
  const url = await vendor.start(config.VENDOR_PORT, config.HOST);
  onStopSignal(() => void vendor.stop().then(() => process.exit(0)));
  process.stdout.write(`vendor simulator running at ${url}\n`);
} catch (error) {
  process.stderr.write(`The vendor simulator could not start. ${error instanceof ConfigError ? error.message : String((error as Error).stack ?? error)}\n`);
  process.exit(1);
}
