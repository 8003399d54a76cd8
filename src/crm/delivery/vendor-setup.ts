import { randomBytes } from 'node:crypto';
import type { Config } from '../../config/config.schema.js';
import { logger } from '../../logging/logger.js';
import { vendorOptions } from '../../vendor/vendor-options.js';
import { VendorSimulator } from '../../vendor/vendor-simulator.js';
import type { VendorConnection } from './vendor-connection.js';

export function receiptsUrl(config: Config) {
  return config.RECEIPTS_URL ?? new URL('/api/delivery-receipts', config.PUBLIC_URL).toString();
}

/**
 * The simulator runs inside this server, so it posts receipts straight to the port the server listens on, whatever
 * PUBLIC_URL says (a proxy's address, or a port someone forgot to change).
 */
function localReceiptsUrl(config: Config) {
  const host = ['0.0.0.0', '::', 'localhost'].includes(config.HOST) ? '127.0.0.1' : config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST;
  return `http://${host}:${config.PORT}/api/delivery-receipts`;
}

/** The vendor at VENDOR_URL, or null when this process has none configured. */
export function configuredVendor(config: Config): VendorConnection | null {
  return config.VENDOR_URL ? { url: config.VENDOR_URL.replace(/\/$/, ''), secret: config.VENDOR_SECRET!, receiptsUrl: receiptsUrl(config) } : null;
}

/**
 * The vendor this process delivers through: the one at VENDOR_URL, or a simulator started here on VENDOR_PORT (or
 * any free port when that one is taken, so a second CRM on the machine still starts).
 */
export async function connectVendor(config: Config): Promise<{ connection: VendorConnection; simulator?: VendorSimulator }> {
  const configured = configuredVendor(config);
  if (configured) return { connection: configured };
  const secret = config.VENDOR_SECRET ?? randomBytes(32).toString('base64url');
  const simulator = new VendorSimulator(vendorOptions(config, secret));
  let url: string;
  try {
    url = await simulator.start(config.VENDOR_PORT);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    url = await simulator.start(0);
    logger.info('vendor simulator port taken, using another', { wanted: config.VENDOR_PORT, url });
  }
  logger.info('vendor simulator started', { url });
  return { connection: { url, secret, receiptsUrl: config.RECEIPTS_URL ?? localReceiptsUrl(config) }, simulator };
}
