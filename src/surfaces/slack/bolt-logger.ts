import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import { logger } from '../../logging/logger.js';

// Bolt writes through the CRM's JSON logger, so its lines are redacted like every other (tokens never appear).
const line = (parts: unknown[]) => parts.map((p) => (p instanceof Error ? p.message : typeof p === 'string' ? p : JSON.stringify(p))).join(' ');

export const boltLogger: BoltLogger = {
  debug: (...parts) => logger.debug(line(parts), { from: 'slack' }),
  info: (...parts) => logger.info(line(parts), { from: 'slack' }),
  warn: (...parts) => logger.warn(line(parts), { from: 'slack' }),
  error: (...parts) => logger.error(line(parts), { from: 'slack' }),
  setLevel: () => {},
  getLevel: () => LogLevel.INFO,
  setName: () => {},
};
