import { useEffect, useState } from 'react';
import { api, count, dateTime } from '../api.js';
import { useCampaignProgress } from '../live-events.js';
import { ReportCard } from '../cards/report-card.js';
import { PageLink } from '../routes.js';

interface Row { id: number; name: string; channel: string; status: string; audience: number; sent: number; failed: number; pending: number; deliveryRate: number | null; launchedBy: string | null; launchedAt: string | null }

function CampaignRow({ row }: { row: Row }) {
  const live = useCampaignProgress(row.status === 'sending' ? row.id : undefined);
  const [open, setOpen] = useState(false);
  const r = live ? { ...row, ...live } : row;
  return (
    <>
    <tr>
      <th scope="row"><PageLink to={`/campaigns/${r.id}`}>{r.name}</PageLink></th><td>{r.channel}</td><td>{r.status}</td><td>{count(r.audience)}</td><td>{count(r.sent)}</td><td>{count(r.failed)}</td>
      <td>{count(r.pending)}</td><td>{r.deliveryRate === null ? '—' : `${Math.round(r.deliveryRate * 1000) / 10}%`}</td>
      <td>{r.launchedBy ?? '—'}{r.launchedAt && <><br /><small>{dateTime(r.launchedAt)}</small></>}</td>
      <td>{r.launchedAt && <button type="button" aria-expanded={open} onClick={() => setOpen(!open)}>{open ? 'Hide report' : 'Report'}</button>}</td>
    </tr>
    {open && <tr className="report-row"><td colSpan={10}><ReportCard campaignId={r.id} /></td></tr>}
    </>
  );
}

/** Every campaign, newest first, with delivery figures that move while a campaign is sending. */
export function CampaignsPage() {
  const [rows, setRows] = useState<Row[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => { api<Row[]>('/api/campaigns?limit=50').then(setRows, (e) => setError(e.message)); }, []);
  return (
    <section className="history" aria-labelledby="history-title">
      <h2 id="history-title">Campaigns</h2>
      {error && <p role="alert" className="error">{error}</p>}
      {rows && rows.length === 0 && <p>No campaigns yet. Ask the assistant to plan one.</p>}
      {rows && rows.length > 0 && (
        <div className="table-scroll">
          <table>
            <thead><tr><th scope="col">Campaign</th><th scope="col">Channel</th><th scope="col">Status</th><th scope="col">Audience</th><th scope="col">Sent</th><th scope="col">Failed</th><th scope="col">Pending</th><th scope="col">Delivery rate</th><th scope="col">Launched</th><th scope="col"><span className="visually-hidden">Report</span></th></tr></thead>
            <tbody>{rows.map((r) => <CampaignRow key={r.id} row={r} />)}</tbody>
          </table>
        </div>
      )}
    </section>
  );
}
