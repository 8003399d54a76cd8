import { z } from 'zod';
import { toolNames } from '../tools/catalogue.js';
import { roles } from './roles.js';
import { scopes } from './scopes.js';

/** What a person asks for when making an API token, on the web, over HTTP or at the CLI. */
export const createTokenBody = z.object({
  role: z.enum(roles),
  name: z.string().trim().max(100).optional(),
  userId: z.number().int().positive().optional(),
  scopes: z.array(z.enum(scopes)).min(1).optional().describe('read, write, send; by default all the role allows except send'),
  tools: z.array(z.enum(toolNames)).min(1).optional().describe('Only these tools, and no other routes'),
});
