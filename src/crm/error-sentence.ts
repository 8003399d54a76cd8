import { CrmError } from './errors.js';

const UNEXPECTED = 'Something went wrong on our side; it has been logged.';

/**
 * The sentence a person reads for any failure, on surfaces that answer in words (MCP tool errors, Slack messages):
 * the CRM's own explanation, or a plain apology for anything unexpected (never its internals). `expected` tells
 * whether it is worth a log line of its own.
 */
export function errorSentence(error: unknown): { sentence: string; expected: boolean } {
  return error instanceof CrmError ? { sentence: error.message, expected: true } : { sentence: UNEXPECTED, expected: false };
}
