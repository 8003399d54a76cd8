import { useState, type FormEvent } from 'react';
import { api, type Me } from './api.js';

/** Email and password sign-in (the first admin's password is printed by the server on its first start). */
export function SignIn({ onSignedIn }: { onSignedIn: (me: Me) => void }) {
  const [error, setError] = useState<string | null>(new URLSearchParams(location.search).get('signInError'));
  const [busy, setBusy] = useState(false);
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    try {
      await api('/api/auth/sign-in', { email: form.get('email'), password: form.get('password') });
      onSignedIn(await api<Me>('/api/auth/me'));
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }
  return (
    <main className="sign-in">
      <h1>CRM</h1>
      <p>Ask for an audience in plain words, approve, and see what happened.</p>
      <form onSubmit={submit} aria-describedby={error ? 'sign-in-error' : undefined}>
        <label>Email<input name="email" type="email" autoComplete="username" required autoFocus /></label>
        <label>Password<input name="password" type="password" autoComplete="current-password" required /></label>
        <button type="submit" disabled={busy}>{busy ? 'Signing in…' : 'Sign in'}</button>
        {error && <p id="sign-in-error" role="alert" className="error">{error}</p>}
      </form>
    </main>
  );
}
