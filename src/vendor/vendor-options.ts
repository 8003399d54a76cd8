import type { Config } from '../config/config.schema.js';
import type { VendorOptions } from './vendor-simulator.js';

export function vendorOptions(config: Config, secret: string): VendorOptions {
  return {
    secret, seed: config.VENDOR_SEED, failureRate: config.VENDOR_FAILURE_RATE, duplicateRate: config.VENDOR_DUPLICATE_RATE,
    minDelayMs: config.VENDOR_MIN_DELAY_MS, maxDelayMs: config.VENDOR_MAX_DELAY_MS, acceptDelayMs: config.VENDOR_ACCEPT_DELAY_MS,
  };
}
