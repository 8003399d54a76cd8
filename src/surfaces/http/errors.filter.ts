import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { NotSignedIn, PermissionDenied } from '../../auth/authorize.js';
import { SignInRefused } from '../../auth/oidc.service.js';
import { UserInputError } from '../../auth/users.service.js';
import { logger } from '../../logging/logger.js';
import { CsrfRejected } from './auth.guard.js';
import { BadInput } from './bad-input.js';
import { ImportNotFound } from '../../crm/ingestion/ingestion.service.js';
import { NoValidRecord, TooManyRecords } from '../../crm/ingestion/record-batch.js';
import { Conflict, NotFound, Refused } from '../../crm/crm-errors.js';
import { RuleError } from '../../crm/segments/rule.js';
import { ReadAbandoned } from '../../crm/segments/bounded-read.js';
import { TemplateError } from '../../crm/campaigns/message-template.js';
import { BadSignature, UnknownMessages } from '../../crm/delivery/receipts.service.js';
import { UnknownTool } from '../../tools/tool-runner.js';

/**
 * Turns every failure into a JSON answer with a sentence a person can act on. Unexpected errors are logged with
 * their stack and answered with the request id only, never with internals.
 */
@Catch()
export class ErrorsFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost) {
    const res = host.switchToHttp().getResponse<Response>();
    const [status, body] = describeError(error);
    if (status >= 500) logger.error('request failed', { error });
    res.status(status).json({ ...body, requestId: res.getHeader('X-Request-Id') });
  }
}

/** The status and answer for an error; MCP and Slack reuse the sentences so every surface says the same thing. */
export function describeError(error: unknown): [number, { error: string; message: string } & Record<string, unknown>] {
  if (error instanceof BadInput) return [400, { error: 'bad_input', message: error.message, problems: error.problems }];
  if (error instanceof NotSignedIn) return [401, { error: 'not_signed_in', message: error.message }];
  if (error instanceof PermissionDenied) return [403, { error: 'forbidden', message: error.message, action: error.action }];
  if (error instanceof CsrfRejected) return [403, { error: 'csrf', message: error.message }];
  if (error instanceof SignInRefused) return [401, { error: 'sign_in_refused', message: error.message }];
  if (error instanceof NoValidRecord) return [400, { error: 'bad_input', message: error.message, problems: error.problems }];
  if (error instanceof TooManyRecords) return [413, { error: 'too_large', message: error.message }];
  if (error instanceof ImportNotFound) return [404, { error: 'not_found', message: error.message }];
  if (error instanceof RuleError) return [400, { error: 'bad_rule', message: error.message, problems: error.problems }];
  if (error instanceof TemplateError) return [400, { error: 'bad_template', message: error.message, problems: error.problems }];
  if (error instanceof UnknownTool) return [404, { error: 'unknown_tool', message: error.message }];
  if (error instanceof NotFound) return [404, { error: 'not_found', message: error.message }];
  if (error instanceof Conflict) return [409, { error: 'conflict', message: error.message }];
  if (error instanceof Refused) return [422, { error: 'refused', message: error.message }];
  if (error instanceof BadSignature) return [401, { error: 'bad_signature', message: error.message }];
  if (error instanceof UnknownMessages) return [404, { error: 'unknown_messages', message: error.message, unknown: error.unknown }];
  if (error instanceof UserInputError) return [422, { error: 'rejected', message: error.message }];
  // Nobody is left to read it; nginx's 499 keeps it out of the server-error figures.
  if (error instanceof ReadAbandoned) return [499, { error: 'cancelled', message: error.message }];
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
