import fc from 'fast-check';
import { samePagePath } from './oidc.service.js';

const origin = 'https://crm.example';

describe(samePagePath.name, () => {
  it('never leaves the CRM, whatever returnTo a link carries', () => {
    const tricky = fc.constantFrom('/', '//', '/\\', '\\', '.', '..', '@', ':', '%2F', '%5C', '\t', '\n', 'evil.example', 'https:', '?', '#');
    fc.assert(fc.property(fc.array(fc.oneof(tricky, fc.string()), { maxLength: 8 }).map((parts) => parts.join('')), (returnTo) => {
      const path = samePagePath(returnTo);
      expect(path.startsWith('/')).toBe(true);
      // Where a browser would really go with this Location header.
      expect(new URL(path, origin).origin).toBe(origin);
    }), { numRuns: 2000 });
  });

  it('keeps a page of the CRM with its query and fragment, and drops the known tricks', () => {
    expect(samePagePath('/segments/4?tab=versions#v2')).toBe('/segments/4?tab=versions#v2');
    for (const trick of ['//evil.example/x', '/\\evil.example', '/.//evil.example', 'https://evil.example', '/\t/evil.example']) expect(samePagePath(trick)).toBe('/');
  });
});
