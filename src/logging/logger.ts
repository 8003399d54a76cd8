import { AsyncLocalStorage } from 'node:async_hooks';
import type { LoggerService } from '@nestjs/common';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

// Field names whose values are never written, wherever they sit in a log line.
const SECRET_KEY = /pass(word)?|secret|token|authorization|cookie|api[_-]?key|credential|signature/i;
// Values that look like credentials even under an innocent name.
const SECRET_VALUE = [/\bcrm_[A-Za-z0-9_-]{20,}/g, /(postgres(?:ql)?:\/\/[^:/\s]+:)[^@\s]+@/g, /\bBearer\s+\S+/gi, /\bxox[abpe]-[A-Za-z0-9-]+/g];

export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') {
    return SECRET_VALUE.reduce((s, re) => s.replace(re, (_m, keep) => (typeof keep === 'string' ? `${keep}***@` : '[redacted]')), value);
  }
  if (value instanceof Error) return { name: value.name, message: redact(value.message), stack: redact(value.stack) };
  if (!value || typeof value !== 'object' || depth > 6) return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, SECRET_KEY.test(k) ? '[redacted]' : redact(v, depth + 1)]),
  );
}

/** Carries the request id through every await of one request, so each log line can name it. */
export const requestScope = new AsyncLocalStorage<{ requestId: string }>();

export class Logger {
  constructor(
    private level: LogLevel = 'info',
    private readonly write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  ) {}

  setLevel(level: LogLevel) {
    this.level = level;
  }

  log(level: LogLevel, msg: string, fields: Record<string, unknown> = {}) {
    if (rank[level] < rank[this.level]) return;
    const requestId = requestScope.getStore()?.requestId;
    const line = { time: new Date().toISOString(), level, msg: redact(msg), ...(requestId ? { requestId } : {}), ...(redact(fields) as object) };
    this.write(JSON.stringify(line));
  }

  debug(msg: string, fields?: Record<string, unknown>) { this.log('debug', msg, fields); }
  info(msg: string, fields?: Record<string, unknown>) { this.log('info', msg, fields); }
  warn(msg: string, fields?: Record<string, unknown>) { this.log('warn', msg, fields); }
  error(msg: string, fields?: Record<string, unknown>) { this.log('error', msg, fields); }
}

export const logger = new Logger((process.env.LOG_LEVEL as LogLevel) || 'info');

/** Lets NestJS write its own lines through the same JSON logger. */
export class NestJsonLogger implements LoggerService {
  constructor(private readonly target: Logger = logger) {}
  // Nest's own chatter (modules loaded, routes mapped) is startup detail, not news: debug level.
  log(message: unknown, context?: string) { this.target.debug(String(message), { context }); }
  error(message: unknown, trace?: string, context?: string) { this.target.error(String(message), { context, trace }); }
  warn(message: unknown, context?: string) { this.target.warn(String(message), { context }); }
  debug(message: unknown, context?: string) { this.target.debug(String(message), { context }); }
  verbose(message: unknown, context?: string) { this.target.debug(String(message), { context }); }
}
