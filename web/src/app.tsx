import type { UIMessage } from 'ai';
import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { adoptServerSettings, api, setCsrfToken, type Me } from './api.js';
import { ApprovalPage } from './pages/approval-page.js';
import { ConsentPage } from './pages/consent-page.js';
import { Chat } from './chat/chat.js';
import { CampaignsPage } from './pages/campaigns-page.js';
import { AutomationsPage } from './pages/automations-page.js';
import { CustomerPage, CustomersPage } from './pages/customers-page.js';
import { SettingsPage } from './pages/settings-page.js';
import { SignIn } from './sign-in.js';
import { PageLink, routeAt, type Route } from './routes.js';
import { ScreenReporter, type ScreenContext } from './screen.js';

// Pages with charts or large forms load when first opened, so the chat starts with less to download.
const DashboardPage = lazy(() => import('./pages/dashboard-page.js').then((m) => ({ default: m.DashboardPage })));
const CampaignPage = lazy(() => import('./pages/campaign-page.js').then((m) => ({ default: m.CampaignPage })));
const SegmentsPage = lazy(() => import('./pages/segments-page.js').then((m) => ({ default: m.SegmentsPage })));
const SegmentPage = lazy(() => import('./pages/segments-page.js').then((m) => ({ default: m.SegmentPage })));
const ImportsPage = lazy(() => import('./pages/imports-page.js').then((m) => ({ default: m.ImportsPage })));

interface Conversation { id: string; title: string; updatedAt: string }
type Page = { kind: 'chat'; id: string; messages: UIMessage[] } | { kind: 'approval'; id: string } | { kind: 'consent'; id: string } | Exclude<Route, { kind: 'chat' }>;

const fresh = (): Page => ({ kind: 'chat', id: crypto.randomUUID(), messages: [] });
// A link from an AI assistant (MCP) or Slack: /approvals/<approval id>.
const approvalLink = /^\/approvals\/([0-9a-f-]{36})$/i.exec(location.pathname)?.[1];
// An assistant connecting with OAuth: /oauth/consent?request=<id>.
const consentRequest = location.pathname === '/oauth/consent' ? new URLSearchParams(location.search).get('request') : null;
const pageAt = (): Page | null => {
  const route = routeAt(location.pathname, location.hash);
  return route && route.kind !== 'chat' ? route : null;
};
const firstPage = (): Page => (pageAt() ?? (consentRequest ? { kind: 'consent', id: consentRequest } : approvalLink ? { kind: 'approval', id: approvalLink } : fresh()));

// The menu of pages, each with the kinds of page it stands for.
const menu: { to: string; label: string; kinds: Page['kind'][] }[] = [
  { to: '/dashboard', label: 'Dashboard', kinds: ['dashboard'] },
  { to: '/customers', label: 'Customers', kinds: ['customers', 'customer'] },
  { to: '/segments', label: 'Segments', kinds: ['segments', 'segment'] },
  { to: '/campaigns', label: 'Campaigns', kinds: ['campaigns', 'campaign'] },
  { to: '/automations', label: 'Automations', kinds: ['automations', 'automation'] },
  { to: '/imports', label: 'Imports', kinds: ['imports'] },
  { to: '/settings', label: 'Settings', kinds: ['settings'] },
];

/** The web app: sign-in, then the chat with the person's conversations beside it, and the pages of the CRM. */
export function App() {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [agent, setAgent] = useState<{ model: string; offline: boolean } | null>(null);
  const [conversations, setConversations] = useState<Conversation[]>([]);
  const [page, setPage] = useState<Page>(firstPage);
  const [menuOpen, setMenuOpen] = useState(false);
  // The chat as a panel beside a page: one conversation for as long as the panel stays open.
  const [panel, setPanel] = useState<string | null>(null);
  const [screen, setScreen] = useState<ScreenContext | null>(null);

  const signedIn = (m: Me) => {
    setCsrfToken(m.csrfToken);
    adoptServerSettings(m);
    setMe(m.user ? m : null);
  };
  useEffect(() => { api<Me>('/api/auth/session').then(signedIn, () => setMe(null)); }, []);
  // Back and forward between the pages with addresses.
  useEffect(() => {
    const moved = () => setPage(pageAt() ?? firstPage());
    addEventListener('popstate', moved);
    return () => removeEventListener('popstate', moved);
  }, []);
  const refresh = useCallback(() => { api<Conversation[]>('/api/conversations').then(setConversations, () => {}); }, []);
  useEffect(() => {
    if (!me) return;
    refresh();
    api('/api/agent').then(setAgent, () => {});
  }, [me, refresh]);

  async function open(id: string) {
    const c = await api<{ messages: UIMessage[] }>(`/api/conversations/${id}`);
    setPage({ kind: 'chat', id, messages: c.messages });
    setMenuOpen(false);
    history.pushState(null, '', '/');
  }
  async function signOut() {
    await api('/api/auth/sign-out', {});
    setMe(null);
  }

  if (me === undefined) return <p className="loading" aria-busy="true">Loading…</p>;
  if (me === null) return <SignIn onSignedIn={signedIn} />;
  return (
    <div className={panel && page.kind !== 'chat' ? 'layout with-panel' : 'layout'}>
      <header>
        <button type="button" className="menu" aria-expanded={menuOpen} aria-controls="sidebar" onClick={() => setMenuOpen(!menuOpen)}>Conversations</button>
        <h1>CRM</h1>
        {agent && <span className="badge" title="The model answering in the chat">{agent.offline ? 'offline model' : agent.model}</span>}
        <nav aria-label="Pages">
          <a href="/" aria-current={page.kind === 'chat' ? 'page' : undefined} onClick={(e) => { e.preventDefault(); history.pushState(null, '', '/'); setPage(fresh()); }}>New chat</a>
          {menu.map((m) => <PageLink key={m.to} to={m.to} current={m.kinds.includes(page.kind)}>{m.label}</PageLink>)}
        </nav>
        {page.kind !== 'chat' && <button type="button" className="ask" aria-expanded={!!panel} aria-controls="chat-panel" onClick={() => setPanel(panel ? null : crypto.randomUUID())}>{panel ? 'Close the assistant' : 'Ask about this page'}</button>}
        <span className="who">{me.user!.email} ({me.role})</span>
        <button type="button" className="link" onClick={signOut}>Sign out</button>
      </header>
      <aside id="sidebar" className={menuOpen ? 'open' : ''} aria-label="Your conversations">
        <ul>
          {conversations.map((c) => (
            <li key={c.id}><button type="button" aria-current={page.kind === 'chat' && page.id === c.id ? 'true' : undefined} onClick={() => open(c.id)}>{c.title || 'Untitled'}</button></li>
          ))}
          {conversations.length === 0 && <li className="empty">No conversations yet.</li>}
        </ul>
      </aside>
      {/* A page scrolls in main, which takes the keyboard's focus so it can be scrolled with the arrow keys. */}
      <main className={page.kind === 'chat' ? undefined : 'page'} tabIndex={page.kind === 'chat' ? undefined : 0}>
        <Suspense fallback={<p aria-busy="true">Loading…</p>}>
          <ScreenReporter onScreen={setScreen}>
            <PageView page={page} me={me} onTurnEnd={refresh} />
          </ScreenReporter>
        </Suspense>
      </main>
      {panel && page.kind !== 'chat' && (
        // Not an <aside>: the conversations list's styles are for that one.
        <section id="chat-panel" className="chat-panel" role="complementary" aria-label="Assistant">
          <Chat key={panel} id={panel} initialMessages={[]} onTurnEnd={refresh} screen={screen ?? { page: `the ${page.kind} page` }} />
        </section>
      )}
    </div>
  );
}

function PageView({ page, me, onTurnEnd }: { page: Page; me: Me; onTurnEnd: () => void }) {
  switch (page.kind) {
    case 'dashboard': return <DashboardPage />;
    case 'customers': return <CustomersPage />;
    case 'customer': return <CustomerPage key={page.id} customerId={page.id} />;
    case 'segments': return <SegmentsPage role={me.role} />;
    case 'segment': return <SegmentPage key={page.id} segmentId={page.id} role={me.role} />;
    case 'campaigns': return <CampaignsPage />;
    case 'campaign': return <CampaignPage key={page.id} campaignId={page.id} role={me.role} />;
    case 'automations': return <AutomationsPage role={me.role} />;
    case 'automation': return <AutomationsPage key={page.id} role={me.role} automationId={page.id} />;
    case 'imports': return <ImportsPage />;
    case 'settings': return <SettingsPage role={me.role} />;
    case 'consent': return <ConsentPage requestId={page.id} email={me.user!.email} role={me.role} />;
    case 'approval': return <ApprovalPage approvalId={page.id} role={me.role} />;
    case 'chat': return <Chat key={page.id} id={page.id} initialMessages={page.messages} onTurnEnd={onTurnEnd} />;
  }
}
