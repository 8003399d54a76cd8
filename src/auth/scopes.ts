import type { Role } from './roles.js';

/**
 * What a token (an API token or an assistant's OAuth token) may do, within its person's role: read looks, write
 * changes CRM data, send reaches customers. A person signed in on the web, in Slack or at the CLI holds no grant:
 * their role alone decides.
 */
export const scopes = ['read', 'write', 'send'] as const;
export type Scope = (typeof scopes)[number];

export interface Grant {
  scopes: readonly Scope[];
  /** When set, the only tools the token may call (and nothing outside the tool routes). */
  tools: readonly string[] | null;
  /** The assistant an OAuth token was issued to, for the audit log; null for an API token. */
  client: string | null;
}

const scopesByRole: Record<Role, readonly Scope[]> = { analyst: ['read'], marketer: scopes, admin: scopes };

/** The scopes a role may hold: an analyst's tokens only read. */
export const scopesOfRole = (role: Role): readonly Scope[] => scopesByRole[role];

/** A token's scopes as its person's role allows them today: the role is read on every request. */
export const scopesWithin = (granted: readonly Scope[], role: Role): Scope[] => granted.filter((s) => scopesByRole[role].includes(s));

/** What a token gets when its maker names no scopes: all its role allows but sending, which must be asked for. */
export const defaultScopes = (role: Role): Scope[] => scopesByRole[role].filter((s) => s !== 'send');

/** OAuth writes scopes as one space-separated string; unknown words are dropped (RFC 6749 lets a server narrow). */
export const parseScopeList = (words: readonly string[]): Scope[] => scopes.filter((s) => words.includes(s));
