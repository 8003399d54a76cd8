import { useEffect, useState } from 'react';
import { api, count } from '../api.js';
import { useCampaignProgress } from '../live-events.js';
import type { ToolOutput } from '../../../src/tools/catalogue.js';
import { PageLink } from '../routes.js';

// The get_campaign_stats tool's figures (the websocket's campaign.progress carries the same ones).
type Stats = Pick<ToolOutput<'get_campaign_stats'>, 'status' | 'audience' | 'sent' | 'failed' | 'pending' | 'unconfirmed' | 'deliveryRate' | 'stalled'> & { id?: number; name?: string };

/** A campaign's delivery as a bar that fills while receipts arrive (figures pushed over the websocket). */
export function StatsCard({ campaignId, initial }: { campaignId: number; initial?: Stats }) {
  const [stats, setStats] = useState<Stats | null>(initial ?? null);
  const live = useCampaignProgress(campaignId);
  useEffect(() => {
    api<Stats>(`/api/campaigns/${campaignId}`).then(setStats, () => {});
  }, [campaignId]);
  const s: Stats | null = live ? { ...stats, ...live } : stats;
  if (!s) return <section className="card" aria-busy="true">Loading campaign {campaignId}…</section>;
  const total = Math.max(s.audience, 1);
  const segments = [['sent', s.sent], ['failed', s.failed], ['unconfirmed', s.unconfirmed], ['pending', s.pending]] as const;
  return (
    <section className="card" aria-label={`Campaign ${campaignId} delivery`}>
      <h3>{s.name ?? `Campaign ${campaignId}`} <small data-testid="campaign-status">{s.status}</small></h3>
      <div className="stack" role="img" aria-label={segments.map(([k, v]) => `${v} ${k}`).join(', ')}>
        {segments.map(([k, v]) => <span key={k} className={`stack-${k}`} style={{ width: `${(100 * v) / total}%` }} />)}
      </div>
      <dl className="figures" aria-live="polite">
        <div><dt>Audience</dt><dd>{count(s.audience)}</dd></div>
        <div><dt>Sent</dt><dd data-testid="campaign-sent">{count(s.sent)}</dd></div>
        <div><dt>Failed</dt><dd data-testid="campaign-failed">{count(s.failed)}</dd></div>
        <div><dt>Pending</dt><dd>{count(s.pending)}</dd></div>
        <div><dt>Delivery rate</dt><dd>{s.deliveryRate === null ? '—' : `${Math.round(s.deliveryRate * 1000) / 10}%`}</dd></div>
      </dl>
      {s.stalled && <p className="stalled" role="alert">{s.stalled}</p>}
      <PageLink to={`/campaigns/${campaignId}`}>The campaign's page</PageLink>
    </section>
  );
}
