import type { MouseEvent, ReactNode } from 'react';

// The pages with their own addresses, read from the location, so links can be shared and back and forward work.
export type Route =
  | { kind: 'chat' } | { kind: 'dashboard' } | { kind: 'customers' } | { kind: 'customer'; id: number }
  | { kind: 'segments' } | { kind: 'segment'; id: number } | { kind: 'campaigns' } | { kind: 'campaign'; id: number }
  | { kind: 'automations' } | { kind: 'automation'; id: number } | { kind: 'imports' } | { kind: 'settings' };

const lists = { '/dashboard': 'dashboard', '/customers': 'customers', '/segments': 'segments', '/campaigns': 'campaigns', '/automations': 'automations', '/imports': 'imports', '/settings': 'settings' } as const;
const items = { customers: 'customer', segments: 'segment', campaigns: 'campaign', automations: 'automation' } as const;

/** The page at a path, or null for an address that is not a page (the chat then opens). */
export function routeAt(pathname: string, hash = ''): Route | null {
  const list = lists[pathname.replace(/\/$/, '') as keyof typeof lists];
  if (list) return { kind: list };
  const item = /^\/(customers|segments|campaigns|automations)\/(\d+)$/.exec(pathname);
  if (item) return { kind: items[item[1] as keyof typeof items], id: Number(item[2]) };
  // Older links: /#history and /#automations.
  if (hash === '#history') return { kind: 'campaigns' };
  if (hash === '#automations') return { kind: 'automations' };
  return null;
}

/** Goes to a page of the web app without reloading it. */
export function go(path: string) {
  history.pushState(null, '', path);
  dispatchEvent(new PopStateEvent('popstate'));
}

/** A link to a page of the web app: followed in place, or in a new tab with Ctrl or ⌘ as any link. */
export function PageLink({ to, children, current }: { to: string; children: ReactNode; current?: boolean }) {
  const follow = (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    go(to);
  };
  return <a href={to} aria-current={current ? 'page' : undefined} onClick={follow}>{children}</a>;
}
