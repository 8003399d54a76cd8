import { useEffect, useState } from 'react';
import { api, problemOf } from '../api.js';

interface ConsentRequest { id: string; clientName: string; clientId: string; redirectHost: string; scopes: string[]; grantable: string[] }

const meaning: Record<string, string> = {
  read: 'Read customers, segments, campaigns and reports',
  write: 'Change data: save segments, import records, plan and stop campaigns',
  send: 'Send campaigns to customers once you tick "send" in the assistant — without you approving each send here',
};

/**
 * An AI assistant asks to connect to the CRM as the signed-in person (OAuth). The person sees which assistant, where
 * it will be sent back, and chooses what it may do, within their role; sending is never ticked for them.
 */
export function ConsentPage({ requestId, email, role }: { requestId: string; email: string; role: string }) {
  const [request, setRequest] = useState<ConsentRequest | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [chosen, setChosen] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    api<ConsentRequest>(`/api/oauth/requests/${requestId}`).then(
      (r) => { setRequest(r); setChosen(r.scopes.filter((s) => r.grantable.includes(s) && s !== 'send')); },
      (error) => setProblem(problemOf(error, 'The request could not be loaded.')),
    );
  }, [requestId]);

  async function decide(approve: boolean) {
    setBusy(true);
    try {
      const { redirectTo } = await api<{ redirectTo: string }>(`/api/oauth/requests/${requestId}/decision`, { approve, scopes: chosen });
      location.assign(redirectTo);
    } catch (error) {
      setProblem(problemOf(error, 'The answer could not be sent.'));
      setBusy(false);
    }
  }

  if (problem) return <p role="alert">{problem}</p>;
  if (!request) return <p aria-busy="true">Loading the request…</p>;
  const toggle = (scope: string) => setChosen(chosen.includes(scope) ? chosen.filter((s) => s !== scope) : [...chosen, scope]);
  return (
    <section aria-labelledby="consent-title" className="consent">
      <h2 id="consent-title">Connect {request.clientName} to the CRM?</h2>
      <p>It will act as <strong>{email}</strong> ({role}) and be sent back to <strong>{request.redirectHost}</strong>. Only allow assistants you set up yourself.</p>
      <fieldset>
        <legend>It may</legend>
        {(['read', 'write', 'send'] as const).map((scope) => (
          <label key={scope} className={request.grantable.includes(scope) ? '' : 'unavailable'}>
            <input type="checkbox" name="scope" value={scope} checked={chosen.includes(scope)} disabled={!request.grantable.includes(scope) || busy} onChange={() => toggle(scope)} />
            {' '}<strong>{scope}</strong>: {meaning[scope]}
            {!request.grantable.includes(scope) && <> (your role does not allow it)</>}
            {scope === 'send' && request.scopes.includes('send') && <> — asked for by the assistant</>}
          </label>
        ))}
      </fieldset>
      <div className="decision" role="group" aria-label="Allow this assistant?">
        <button type="button" className="approve" disabled={busy || chosen.length === 0} onClick={() => decide(true)}>Allow</button>
        <button type="button" className="reject" disabled={busy} onClick={() => decide(false)}>Deny</button>
      </div>
    </section>
  );
}
