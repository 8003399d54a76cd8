import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { logger } from '../../logging/logger.js';
import { describeError } from '../http/errors.filter.js';

/**
 * A tool that could not do its job answers as a tool error the assistant can read and act on (not a protocol
 * error), in the same sentences the HTTP API uses. Unexpected failures are logged and reported without internals.
 */
export function toolFailure(error: unknown): CallToolResult {
  const [status, body] = describeError(error);
  if (status >= 500) logger.error('mcp tool failed', { error });
  return { isError: true, content: [{ type: 'text', text: body.message }] };
}
