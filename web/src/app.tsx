import type { UIMessage } from 'ai';
import { useCallback, useEffect, useState } from 'react';
import { adoptServerSettings, api, setCsrfToken, type Me } from './api.js';
import { ApprovalPage } from './approval-page.js';
import { ConsentPage } from './consent-page.js';
import { Chat } from './chat.js';
import { HistoryPage } from './history-page.js';
import { AutomationsPage } from './automations-page.js';
import { CustomerPage, CustomersPage, go } from './customers-page.js';
import { SettingsPage } from './settings-page.js';
import { SignIn } from './sign-in.js';

interface Conversation { id: string; title: string; updatedAt: string }
type Page = { kind: 'chat'; id: string; messages: UIMessage[] } | { kind: 'history' } | { kind: 'automations' } | { kind: 'approval'; id: string } | { kind: 'consent'; id: string } | { kind: 'settings' } | { kind: 'customers' } | { kind: 'customer'; id: number };

const fresh = (): Page => ({ kind: 'chat', id: crypto.randomUUID(), messages: [] });
// A link from an AI assistant (MCP) or Slack: /approvals/<approval id>.
const approvalLink = /^\/approvals\/([0-9a-f-]{36})$/i.exec(location.pathname)?.[1];
// An assistant connecting with OAuth: /oauth/consent?request=<id>.
const consentRequest = location.pathname === '/oauth/consent' ? new URLSearchParams(location.search).get('request') : null;
// Pages with their own addresses: /settings, /customers, /customers/<id>.
const pageAt = (): Page | null => {
  if (location.pathname === '/settings') return { kind: 'settings' };
  if (location.pathname === '/customers') return { kind: 'customers' };
  const customer = /^\/customers\/(\d+)$/.exec(location.pathname)?.[1];
  return customer ? { kind: 'customer', id: Number(customer) } : null;
};
const firstPage = (): Page => (pageAt() ?? (consentRequest ? { kind: 'consent', id: consentRequest } : approvalLink ? { kind: 'approval', id: approvalLink } : location.hash === '#history' ? { kind: 'history' } : location.hash === '#automations' ? { kind: 'automations' } : fresh()));

/** The web app: sign-in, then the chat with the person's conversations beside it, and campaign history. */
export function App() {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [agent, setAgent] = useState<{ model: string; offline: boolean } | null>(null);
  const [conversations, setConversations] = useState<Conversation[]>([]);
  const [page, setPage] = useState<Page>(firstPage);
  const [menuOpen, setMenuOpen] = useState(false);

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
    location.hash = '';
  }
  async function signOut() {
    await api('/api/auth/sign-out', {});
    setMe(null);
  }

  if (me === undefined) return <p className="loading" aria-busy="true">Loading…</p>;
  if (me === null) return <SignIn onSignedIn={signedIn} />;
  return (
    <div className="layout">
      <header>
        <button type="button" className="menu" aria-expanded={menuOpen} aria-controls="sidebar" onClick={() => setMenuOpen(!menuOpen)}>Conversations</button>
        <h1>CRM</h1>
        {agent && <span className="badge" title="The model answering in the chat">{agent.offline ? 'offline model' : agent.model}</span>}
        <nav aria-label="Pages">
          <a href="#" aria-current={page.kind === 'chat' ? 'page' : undefined} onClick={(e) => { e.preventDefault(); history.pushState(null, '', '/'); setPage(fresh()); }}>New chat</a>
          <a href="/#history" aria-current={page.kind === 'history' ? 'page' : undefined} onClick={() => setPage({ kind: 'history' })}>Campaign history</a>
          <a href="/#automations" aria-current={page.kind === 'automations' ? 'page' : undefined} onClick={() => setPage({ kind: 'automations' })}>Automations</a>
          <a href="/customers" aria-current={page.kind === 'customers' || page.kind === 'customer' ? 'page' : undefined} onClick={(e) => { e.preventDefault(); go('/customers'); }}>Customers</a>
          <a href="/settings" aria-current={page.kind === 'settings' ? 'page' : undefined} onClick={(e) => { e.preventDefault(); go('/settings'); }}>Settings</a>
        </nav>
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
      <main>
        {page.kind === 'settings' ? <SettingsPage role={me.role} /> : page.kind === 'customers' ? <CustomersPage /> : page.kind === 'customer' ? <CustomerPage key={page.id} customerId={page.id} /> : page.kind === 'consent' ? <ConsentPage requestId={page.id} email={me.user!.email} role={me.role} /> : page.kind === 'approval' ? <ApprovalPage approvalId={page.id} role={me.role} /> : page.kind === 'history' ? <HistoryPage /> : page.kind === 'automations' ? <AutomationsPage role={me.role} /> : <Chat key={page.id} id={page.id} initialMessages={page.messages} onTurnEnd={refresh} />}
      </main>
    </div>
  );
}
