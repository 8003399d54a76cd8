import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { CrmError, type ErrorKind } from '../../crm/errors.js';
import { logger } from '../../logging/logger.js';

// The one place a kind of failure becomes an HTTP status. 499 (nginx's "client closed request") keeps answers
// nobody waited for out of the server-error figures.
export const statusOf: Record<ErrorKind, number> = {
  bad_input: 400, not_signed_in: 401, forbidden: 403, not_found: 404, conflict: 409, too_large: 413, refused: 422,
  cancelled: 499, unavailable: 503,
  // Not done by this caller: the send waits for a person's approval (the answer says where).
  awaiting_person: 403,
  too_many: 429,
};

/**
 * Turns every failure into a JSON answer with a sentence a person can act on. Unexpected errors are logged with
 * their stack and answered with the request id only, never with internals.
 */
@Catch()
export class ErrorsFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost) {
    const res = host.switchToHttp().getResponse<Response>();
    const [status, body] = describeError(error);
    if (status >= 500 && !(error instanceof CrmError)) logger.error('request failed', { error });
    if (typeof body.retryAfterSeconds === 'number') res.setHeader('Retry-After', String(body.retryAfterSeconds));
    res.status(status).json({ ...body, requestId: res.getHeader('X-Request-Id') });
  }
}

/** The status and answer for an error: the CRM's own errors by their kind and code; the web framework's as they come. */
export function describeError(error: unknown): [number, { error: string; message: string } & Record<string, unknown>] {
  if (error instanceof CrmError) return [statusOf[error.kind], { error: error.code, message: error.message, ...error.details() }];
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const message = status === 404 ? 'There is nothing at this address.' : error.message;
    return [status, { error: status === 404 ? 'not_found' : 'http_error', message }];
  }
  if (error instanceof SyntaxError && 'body' in error) return [400, { error: 'bad_input', message: 'The request body is not valid JSON.' }];
  // Errors from the body parser (too large, wrong encoding) carry their own status and a safe message.
  const status = (error as { status?: unknown; expose?: unknown })?.status;
  if (typeof status === 'number' && status >= 400 && status < 500 && (error as { expose?: boolean }).expose) {
    return [status, { error: 'bad_input', message: (error as Error).message }];
  }
  return [500, { error: 'internal', message: 'Something went wrong on our side; the request id identifies it in the logs.' }];
}
