import { useEffect, useState } from 'react';
import { api, count, problemOf } from '../api.js';
import { PlanCard, type CampaignPlan } from '../cards/plan-card.js';

type State = { kind: 'loading' } | { kind: 'missing'; message: string } | { kind: 'plan'; plan: CampaignPlan };
type Decision = null | { sent: number } | 'rejected' | { error: string };

/**
 * A send an AI assistant asked for over MCP, waiting for a person: the plan as it will go out, with Approve and
 * Reject. Only marketers and admins see the buttons; the approval works once.
 */
export function ApprovalPage({ approvalId, role }: { approvalId: string; role: string }) {
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [decision, setDecision] = useState<Decision>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    api<CampaignPlan>(`/api/campaigns/approvals/${approvalId}`).then(
      (plan) => setState({ kind: 'plan', plan }),
      (error) => setState({ kind: 'missing', message: problemOf(error, 'The plan could not be loaded.') }),
    );
  }, [approvalId]);

  async function approve() {
    setBusy(true);
    try {
      const launched = await api<{ campaignId: number; audience: number }>('/api/campaigns/launch', { approvalId });
      setDecision({ sent: launched.audience });
    } catch (error) {
      setDecision({ error: problemOf(error, 'The campaign could not be launched.') });
    } finally {
      setBusy(false);
    }
  }

  if (state.kind === 'loading') return <p aria-busy="true">Loading the plan…</p>;
  if (state.kind === 'missing') return <p role="alert">{state.message}</p>;
  const mayDecide = role === 'marketer' || role === 'admin';
  const outcome = decision === null ? null
    : decision === 'rejected' ? <p role="status">Rejected. Nothing was sent; the approval expires unused.</p>
    : 'sent' in decision ? <p role="status">Approved: sending to {count(decision.sent)} customers. Follow it on the <a href="/campaigns">Campaigns</a> page.</p>
    : <p role="alert">{decision.error}</p>;
  return (
    <section aria-label="Approve a send">
      <h2>An assistant asks to send this campaign</h2>
      <PlanCard
        plan={state.plan}
        decision={outcome ?? (mayDecide
          ? (
            <div className="decision" role="group" aria-label="Approve this send?">
              <button type="button" className="approve" disabled={busy} onClick={approve}>Approve and send</button>
              <button type="button" className="reject" disabled={busy} onClick={() => setDecision('rejected')}>Reject</button>
            </div>
          )
          : <p>Only a marketer or admin can approve a send; your role is {role}.</p>)}
      />
    </section>
  );
}
