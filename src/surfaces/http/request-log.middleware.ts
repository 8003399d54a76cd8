import type { NextFunction, Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { logger, requestScope } from '../../logging/logger.js';

/** Gives each request an id (kept from X-Request-Id when it is sane), echoes it back, and logs one line when it ends. */
export function requestLog(req: Request, res: Response, next: NextFunction) {
  const given = req.header('x-request-id');
  const requestId = given && /^[\w.-]{1,100}$/.test(given) ? given : randomUUID();
  res.setHeader('X-Request-Id', requestId);
  const started = process.hrtime.bigint();
  res.on('finish', () => {
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    requestScope.run({ requestId }, () =>
      logger.info('request', {
        method: req.method,
        path: req.path,
        status: res.statusCode,
        ms: Math.round(ms * 10) / 10,
        userId: (req as Request & { actor?: { userId: number | null } }).actor?.userId ?? undefined,
      }),
    );
  });
  requestScope.run({ requestId }, next);
}
