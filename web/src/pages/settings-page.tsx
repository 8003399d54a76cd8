import { roles } from '../../../src/auth/roles.js';
import type { publicUser } from '../../../src/auth/users.service.js';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api, dateTime, problemOf } from '../api.js';

interface Token { id: number; name: string; role: string; scopes: string[]; tools: string[] | null; prefix: string; createdAt: string; lastUsedAt: string | null; revokedAt: string | null }
// The server's own shapes and list of roles (types and a constant only: nothing else of the server reaches the bundle).
type Person = ReturnType<typeof publicUser>;
const scopesOf: Record<string, string[]> = { analyst: ['read'], marketer: ['read', 'write', 'send'], admin: ['read', 'write', 'send'] };
const message = (error: unknown) => problemOf(error, 'That did not work; try again.');

/** Your password: the one-time password the CRM printed on its first start is changed here. */
function PasswordForm() {
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const element = event.currentTarget; // React clears currentTarget once the handler has returned
    const form = new FormData(element);
    if (form.get('password') !== form.get('again')) return setStatus({ ok: false, text: 'The two new passwords differ.' });
    try {
      await api('/api/auth/password', { currentPassword: form.get('current'), password: form.get('password') });
      setStatus({ ok: true, text: 'Password changed. Your other sign-ins have ended.' });
      element.reset();
    } catch (error) {
      setStatus({ ok: false, text: message(error) });
    }
  }
  return (
    <form onSubmit={submit} aria-labelledby="password-title">
      <h3 id="password-title">Your password</h3>
      <label>Current password<input name="current" type="password" autoComplete="current-password" required /></label>
      <label>New password (at least 12 characters)<input name="password" type="password" autoComplete="new-password" minLength={12} required /></label>
      <label>New password again<input name="again" type="password" autoComplete="new-password" minLength={12} required /></label>
      <button type="submit">Change password</button>
      {status && <p role={status.ok ? 'status' : 'alert'}>{status.text}</p>}
    </form>
  );
}

/** API tokens for scripts and assistants: made with the scopes chosen, shown once, revocable. */
function Tokens({ role }: { role: string }) {
  const [tokens, setTokens] = useState<Token[]>([]);
  const [made, setMade] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const load = useCallback(() => { api<Token[]>('/api/tokens').then(setTokens, (e) => setProblem(message(e))); }, []);
  useEffect(load, [load]);
  async function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    try {
      const created = await api<{ token: string }>('/api/tokens', { role: form.get('role'), name: form.get('name') || undefined, scopes: form.getAll('scope') });
      setMade(created.token);
      setProblem(null);
      load();
    } catch (error) {
      setProblem(message(error));
    }
  }
  async function revoke(id: number) {
    await api(`/api/tokens/${id}`, undefined, 'DELETE').catch((e) => setProblem(message(e)));
    load();
  }
  return (
    <section aria-labelledby="tokens-title">
      <h3 id="tokens-title">API tokens</h3>
      <form onSubmit={create} className="token-form">
        <label>Name<input name="name" placeholder="nightly import" maxLength={100} /></label>
        <label>Role<select name="role" defaultValue={role}>{roles.filter((r) => scopesOf[role].length >= scopesOf[r].length && (role === 'admin' || r !== 'admin')).map((r) => <option key={r}>{r}</option>)}</select></label>
        <fieldset>
          <legend>May</legend>
          {scopesOf[role].map((scope) => (
            <label key={scope} className="inline"><input type="checkbox" name="scope" value={scope} defaultChecked={scope !== 'send'} /> {scope}{scope === 'send' && ' (reach customers without asking you first)'}</label>
          ))}
        </fieldset>
        <button type="submit">Make a token</button>
      </form>
      {made && (
        <p role="status" className="token-shown">Your new token, shown only now: <code data-testid="new-token">{made}</code></p>
      )}
      {problem && <p role="alert">{problem}</p>}
      <div className="table-scroll">
        <table>
          <thead><tr><th scope="col">Token</th><th scope="col">Role</th><th scope="col">May</th><th scope="col">Made</th><th scope="col">Last used</th><th scope="col"><span className="visually-hidden">Revoke</span></th></tr></thead>
          <tbody>
            {tokens.map((t) => (
              <tr key={t.id}>
                <th scope="row">{t.name} <small>{t.prefix}…</small></th><td>{t.role}</td><td>{t.scopes.join(', ')}{t.tools && ` (only ${t.tools.join(', ')})`}</td>
                <td>{dateTime(t.createdAt)}</td><td>{t.lastUsedAt ? dateTime(t.lastUsedAt) : 'never'}</td>
                <td>{t.revokedAt ? 'revoked' : <button type="button" onClick={() => revoke(t.id)}>Revoke {t.name}</button>}</td>
              </tr>
            ))}
            {tokens.length === 0 && <tr><td colSpan={6}>No tokens yet.</td></tr>}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** People and their roles, for admins: a change takes effect on the person's next request, on every surface. */
function People() {
  const [people, setPeople] = useState<Person[]>([]);
  const [note, setNote] = useState<string | null>(null);
  const load = useCallback(() => { api<Person[]>('/api/users').then(setPeople, (e) => setNote(message(e))); }, []);
  useEffect(load, [load]);
  async function setRole(id: number, role: string) {
    await api(`/api/users/${id}`, { role }, 'PATCH').then(() => setNote('Role changed.'), (e) => setNote(message(e)));
    load();
  }
  async function linkSlack(person: Person, slackUserId: string) {
    await api(`/api/users/${person.id}/slack`, { slackUserId: slackUserId.trim() || null }, 'PUT')
      .then(() => setNote(slackUserId.trim() ? `${person.email} now acts as themselves in Slack.` : `${person.email} is no longer linked to Slack.`), (e) => setNote(message(e)));
    load();
  }
  async function unlock(person: Person) {
    const answer = await api<{ wasLocked: boolean }>(`/api/users/${person.id}/unlock`, {}).catch((e) => { setNote(message(e)); return null; });
    if (answer) setNote(answer.wasLocked ? `${person.email} may sign in again.` : `${person.email} was not locked.`);
  }
  async function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    try {
      const made = await api<{ password?: string }>('/api/users', { email: form.get('email'), role: form.get('role') });
      setNote(`Made. Their one-time password, shown only now: ${made.password}`);
      load();
    } catch (error) {
      setNote(message(error));
    }
  }
  return (
    <section aria-labelledby="people-title">
      <h3 id="people-title">People and roles</h3>
      <div className="table-scroll">
        <table>
          <thead><tr><th scope="col">Person</th><th scope="col">Role</th><th scope="col">Slack member id</th><th scope="col"><span className="visually-hidden">Sign-in lock</span></th></tr></thead>
          <tbody>
            {people.map((p) => (
              <tr key={p.id}>
                <th scope="row">{p.email}{p.disabled && ' (disabled)'}</th>
                <td><select aria-label={`Role of ${p.email}`} value={p.role} onChange={(e) => setRole(p.id, e.target.value)}>{roles.map((r) => <option key={r}>{r}</option>)}</select></td>
                <td><form className="inline" onSubmit={(e) => { e.preventDefault(); void linkSlack(p, String(new FormData(e.currentTarget).get('slack') ?? '')); }}>
                  <input name="slack" aria-label={`Slack member id of ${p.email}`} defaultValue={p.slackUserId ?? ''} placeholder="U0123ABCD" size={12} />
                  <button type="submit" aria-label={`Link ${p.email} to this Slack member`}>Link</button>
                </form></td>
                <td><button type="button" onClick={() => unlock(p)}>Unlock {p.email}</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <form onSubmit={create} className="token-form">
        <label>Email<input name="email" type="email" required /></label>
        <label>Role<select name="role" defaultValue="marketer">{roles.map((r) => <option key={r}>{r}</option>)}</select></label>
        <button type="submit">Add a person</button>
      </form>
      {note && <p role="status">{note}</p>}
    </section>
  );
}

/** Where each channel's messages go, as the server reports it (never a credential). */
function Channels() {
  const [channels, setChannels] = useState<Record<string, string> | null>(null);
  useEffect(() => { fetch('/healthz').then((r) => r.json()).then((h) => setChannels(h.channels ?? {}), () => setChannels({})); }, []);
  return (
    <section aria-labelledby="channels-title">
      <h3 id="channels-title">Channels</h3>
      {channels && <ul>{Object.entries(channels).map(([channel, route]) => <li key={channel}><strong>{channel}</strong>: {route}</li>)}</ul>}
    </section>
  );
}

/** The signed-in person's settings; admins also manage people. */
export function SettingsPage({ role }: { role: string }) {
  return (
    <section className="settings" aria-labelledby="settings-title">
      <h2 id="settings-title">Settings</h2>
      <PasswordForm />
      <Tokens role={role} />
      {role === 'admin' && <People />}
      <Channels />
    </section>
  );
}
