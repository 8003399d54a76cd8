import type { Actor } from './actor.js';
import { authorize, can, NotSignedIn, PermissionDenied } from './authorize.js';
import { lesserRole, type Action } from './permissions.js';
import type { Role } from './roles.js';

const actor = (role: Role): Actor => ({ userId: 1, email: `${role}@example.com`, role, surface: 'api' });

// Written out by hand from the product's rules, not derived from the table under test.
const expected: [Action, analyst: boolean, marketer: boolean, admin: boolean][] = [
  ['customers.read', true, true, true],
  ['segments.preview', true, true, true],
  ['campaigns.plan', true, true, true],
  ['analytics.read', true, true, true],
  ['agent.chat', true, true, true],
  ['customers.write', false, true, true],
  ['imports.write', false, true, true],
  ['segments.write', false, true, true],
  ['campaigns.launch', false, true, true],
  ['tokens.manage_own', true, true, true],
  ['tokens.manage_all', false, false, true],
  ['users.manage', false, false, true],
  ['audit.read', false, false, true],
];

describe('authorize', () => {
  it.each(expected)('%s: analyst %s, marketer %s, admin %s', (action, analyst, marketer, admin) => {
    expect([can(actor('analyst'), action), can(actor('marketer'), action), can(actor('admin'), action)]).toEqual([analyst, marketer, admin]);
  });

  it('names the action a role lacks', () => {
    expect(() => authorize(actor('analyst'), 'campaigns.launch')).toThrow(new PermissionDenied('campaigns.launch', 'analyst'));
    expect(() => authorize(actor('analyst'), 'campaigns.launch')).toThrow('Your role (analyst) does not allow campaigns.launch.');
  });

  it('refuses a caller nobody verified', () => {
    expect(() => authorize(null, 'customers.read')).toThrow(NotSignedIn);
  });

  it('gives a token no more than its user has today', () => {
    expect(lesserRole('admin', 'analyst')).toBe('analyst');
    expect(lesserRole('marketer', 'admin')).toBe('marketer');
  });
});
