import type { Role } from './roles.js';
import type { Scope } from './scopes.js';

/** Everything a caller may be allowed to do, named the way the audit log and error messages name it. */
export const actions = [
  'customers.read',
  'customers.write',
  'imports.read',
  'imports.write',
  'segments.read',
  'segments.preview',
  'segments.write',
  'campaigns.read',
  'campaigns.plan',
  'campaigns.launch',
  'campaigns.send',
  'analytics.read',
  'agent.chat',
  'tokens.manage_own',
  'tokens.manage_all',
  'users.manage',
  'audit.read',
] as const;
export type Action = (typeof actions)[number];

const reading: Action[] = ['customers.read', 'imports.read', 'segments.read', 'segments.preview', 'campaigns.read', 'campaigns.plan', 'analytics.read', 'agent.chat', 'tokens.manage_own'];
const changing: Action[] = ['customers.write', 'imports.write', 'segments.write', 'campaigns.launch', 'campaigns.send'];

// analyst: reads and previews (a campaign plan is a preview); cannot send or change data.
// marketer: may also change data and launch campaigns. admin: may also manage people, every token, and read the audit log.
export const permissionTable: Record<Role, ReadonlySet<Action>> = {
  analyst: new Set(reading),
  marketer: new Set([...reading, ...changing]),
  admin: new Set(actions),
};

/**
 * The scope a token needs for an action. campaigns.launch covers stopping and cancelling (which send nothing);
 * campaigns.send is what reaches customers.
 */
export const scopeOf = (action: Action): Scope => {
  if (action === 'campaigns.send') return 'send';
  // Reading the audit log is reading. (A token may make tokens for its person with no more than its own scopes.)
  return reading.includes(action) || action === 'audit.read' ? 'read' : 'write';
};

const rank: Record<Role, number> = { analyst: 0, marketer: 1, admin: 2 };

/** The lesser of two roles: a token never carries more than its user may do today. */
export function lesserRole(a: Role, b: Role): Role {
  return rank[a] <= rank[b] ? a : b;
}

export function roleAtLeast(role: Role, floor: Role) {
  return rank[role] >= rank[floor];
}
