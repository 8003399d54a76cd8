import type { Role } from './roles.js';
import type { Grant } from './scopes.js';

export const surfaces = ['web', 'api', 'slack', 'mcp', 'cli', 'system'] as const;
export type Surface = (typeof surfaces)[number];

/**
 * Who is asking. Every surface builds it from what it verified itself (a session cookie, an API token, a Slack
 * signature); a model never supplies any part of it.
 */
export interface Actor {
  userId: number | null;
  email: string;
  role: Role;
  surface: Surface;
  tokenId?: number;
  /** Present when a token acts (a script or an assistant): no person is there to say yes to a send. */
  grant?: Grant;
}

export const systemActor = (surface: Surface = 'system'): Actor => ({ userId: null, email: surface, role: 'admin', surface });
