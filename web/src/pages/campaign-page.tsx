import { useCallback, useEffect, useState } from 'react';
import type { CampaignsService } from '../../../src/crm/campaigns/campaigns.service.js';
import { api, count, dateTime, problemOf, runTool } from '../api.js';
import { BarChart } from '../charts/bar-chart.js';
import { ReportCard } from '../cards/report-card.js';
import { useCampaignProgress } from '../live-events.js';
import { useScreen } from '../screen.js';
import { PageLink } from '../routes.js';

// GET /api/campaigns/<id>, as the server's own type says it (dates arrive as text).
type Campaign = Awaited<ReturnType<CampaignsService['stats']>>;

const cancellable = new Set(['scheduled', 'sending']);

/**
 * One campaign: its plan (who it was for, the message as written), delivery moving live while it sends, the reasons
 * messages failed, and, once launched, what it earned against its control group.
 */
export function CampaignPage({ campaignId, role }: { campaignId: number; role: string }) {
  const [campaign, setCampaign] = useState<Campaign | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const load = useCallback(() => api<Campaign>(`/api/campaigns/${campaignId}`).then(setCampaign, (e) => setProblem(problemOf(e, 'The campaign could not be loaded.'))), [campaignId]);
  useEffect(() => { void load(); }, [load]);
  const live = useCampaignProgress(campaign?.status === 'sending' ? campaignId : undefined);
  useEffect(() => { if (live && live.status !== 'sending') void load(); }, [live, load]);
  useScreen(campaign ? { page: `campaign "${campaign.name}" (#${campaign.id}, ${campaign.status})`, ...(campaign.rules ? { rules: campaign.rules as Record<string, unknown> } : {}) } : null);

  if (problem) return <p role="alert">{problem}</p>;
  if (!campaign) return <p aria-busy="true">Loading campaign {campaignId}…</p>;
  // Live figures only while the loaded campaign is sending (a stopped or finished one is read again instead).
  const c = live && campaign.status === 'sending' ? { ...campaign, ...live } : campaign;
  const plan = campaign.plan;
  const cancel = () => runTool('cancel_campaign', { campaignId }).then(load, (e) => setProblem(e.message));
  return (
    <article aria-labelledby="campaign-title" className="campaign-page">
      <h2 id="campaign-title">{c.name} <small data-testid="campaign-status">{c.status}</small></h2>
      <dl className="figures">
        <div><dt>Channel</dt><dd>{campaign.channel}</dd></div>
        <div><dt>Audience</dt><dd>{count(c.audience)}</dd></div>
        <div><dt>Sent</dt><dd data-testid="campaign-sent">{count(c.sent)}</dd></div>
        <div><dt>Failed</dt><dd>{count(c.failed)}</dd></div>
        <div><dt>Waiting</dt><dd>{count(c.pending)}</dd></div>
        <div><dt>Launched</dt><dd>{campaign.launchedAt ? `${dateTime(campaign.launchedAt)}${campaign.launchedBy ? ` by ${campaign.launchedBy}` : ''}` : campaign.scheduledFor ? `scheduled for ${dateTime(campaign.scheduledFor)}` : 'not yet'}</dd></div>
      </dl>
      {(c.sent + c.failed + c.pending > 0) && (
        <BarChart title="Delivery" categoryAxis="Messages" valueAxis="Customers" format={count} layout="rows" height={150}
          bars={[{ label: 'Sent', value: c.sent }, { label: 'Failed', value: c.failed }, { label: 'Waiting', value: c.pending }]} />
      )}
      {cancellable.has(c.status) && (role === 'marketer' || role === 'admin') && <button type="button" className="reject" onClick={cancel}>Stop this campaign</button>}
      {plan && (
        <section aria-labelledby="plan-title">
          <h3 id="plan-title">The plan</h3>
          <p>{plan.sentence}</p>
          <p>{count(plan.audience.matching)} matched; {count(plan.audience.eligible)} could be reached{plan.holdoutPercent > 0 ? `; ${plan.holdoutPercent}% kept back as the control group` : ''}.</p>
          <h4>The message as written</h4>
          {plan.subject && <p><strong>Subject:</strong> {plan.subject}</p>}
          <pre className="message-text">{plan.template}</pre>
          {plan.samples.length > 0 && (
            <>
              <h4>As customers received it</h4>
              <ul className="plain" data-testid="sent-samples">{plan.samples.slice(0, 3).map((m) => (
                <li key={m.customerId}><PageLink to={`/customers/${m.customerId}`}>{m.name ?? `Customer ${m.customerId}`}</PageLink>
                  {m.email && <> — <strong>{m.email.subject}</strong></>}<pre className="message-text">{m.email?.text ?? m.message}</pre></li>
              ))}</ul>
            </>
          )}
        </section>
      )}
      {campaign.failures.length > 0 && (
        <>
          <h3>Why messages failed</h3>
          <ul>{campaign.failures.map((f) => <li key={f.reason}>{f.reason}: {count(f.count)}</li>)}</ul>
        </>
      )}
      {campaign.launchedAt && <ReportCard campaignId={campaignId} />}
    </article>
  );
}
