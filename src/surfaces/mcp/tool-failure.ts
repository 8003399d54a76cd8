import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { logger } from '../../logging/logger.js';
import { errorSentence } from '../../crm/error-sentence.js';

/**
 * A tool that could not do its job answers as a tool error the assistant can read and act on (not a protocol
 * error), in the CRM's own sentences, as on every surface. Unexpected failures are logged and reported without internals.
 */
export function toolFailure(error: unknown): CallToolResult {
  const { sentence, expected } = errorSentence(error);
  if (!expected) logger.error('mcp tool failed', { error });
  return { isError: true, content: [{ type: 'text', text: sentence }] };
}
