import { useEffect, useState } from 'react';

interface Health { status: string; database: string; migrations?: string }

// The chat arrives with the agent; for now the page says whether the CRM is up and where the API lives.
export function App() {
  const [health, setHealth] = useState<Health | null>(null);
  useEffect(() => {
    fetch('/healthz').then((r) => r.json()).then(setHealth, () => setHealth({ status: 'unreachable', database: 'unknown' }));
  }, []);
  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', maxWidth: 640, margin: '4rem auto', padding: '0 1rem' }}>
      <h1>CRM</h1>
      <p role="status">Server: {health ? `${health.status} (database ${health.database})` : 'checking…'}</p>
      <p>Sign in through the API at <code>POST /api/auth/sign-in</code>; the chat comes next.</p>
    </main>
  );
}
