import { useEffect, useState } from 'react';
import type { ToolOutput } from '../../../src/tools/catalogue.js';
import { count, money, runTool } from '../api.js';

type Report = ToolOutput<'get_campaign_report'>;

const pct = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`);

/** Horizontal bars on one scale, each with its figure: the funnel, the two groups, the versions of a test. */
function Bars({ label, bars, max }: { label: string; bars: { name: string; value: number; text: string; tone?: string }[]; max?: number }) {
  const top = Math.max(max ?? 0, ...bars.map((b) => b.value), 1e-9);
  return (
    <figure className="bars" aria-label={label}>
      <figcaption>{label}</figcaption>
      {bars.map((b) => (
        <div className="bar-row" key={b.name}>
          <span className="bar-name">{b.name}</span>
          <span className="bar-track"><span className={`bar-fill ${b.tone ?? ''}`} style={{ width: `${(100 * b.value) / top}%` }} /></span>
          <span className="bar-text">{b.text}</span>
        </div>
      ))}
    </figure>
  );
}

/**
 * What a campaign earned, with charts: the funnel from delivered to converted, the conversion rate of those sent
 * against the control group, the lift with its interval, and each version of an A/B test.
 */
export function ReportCard({ campaignId, initial }: { campaignId: number; initial?: Report }) {
  const [report, setReport] = useState<Report | null>(initial ?? null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!initial) runTool('get_campaign_report', { campaignId }).then(setReport, (e) => setError(e.message));
  }, [campaignId, initial]);
  if (error) return <p className="error" role="alert">{error}</p>;
  if (!report) return <section className="card" aria-busy="true">Loading the report of campaign {campaignId}…</section>;
  const { engagement: e, lift, sent, holdout } = report;
  const funnel = [
    { name: 'Delivered', value: e.delivered, text: count(e.delivered) },
    ...(e.tracking ? [
      { name: 'Opened', value: e.opened, text: `${count(e.opened)} (${pct(e.openRate)})` },
      { name: 'Clicked', value: e.clicked, text: `${count(e.clicked)} (${pct(e.clickRate)})` },
    ] : []),
    { name: 'Ordered', value: sent.converted, text: `${count(sent.converted)} (${pct(lift.conversionRate.sent)})` },
  ];
  return (
    <section className="card report" aria-label={`Report of campaign ${campaignId}`}>
      <h3>What “{report.name}” earned</h3>
      <dl className="figures">
        <div><dt>Revenue</dt><dd data-testid="report-revenue">{money(sent.revenue)}</dd></div>
        <div><dt>Orders</dt><dd>{count(sent.orders)}</dd></div>
        <div><dt>Added by the campaign</dt><dd data-testid="report-incremental">{lift.incrementalRevenue === null ? '—' : money(lift.incrementalRevenue)}</dd></div>
        <div><dt>Relative lift</dt><dd>{lift.relativeLift === null ? '—' : pct(lift.relativeLift)}{lift.interval95 && <small> ({pct(lift.interval95[0])} to {pct(lift.interval95[1])})</small>}</dd></div>
      </dl>
      <Bars label="From delivered to ordered" bars={funnel} />
      {holdout.customers > 0 && (
        <Bars label="Conversion rate: sent against the control group" bars={[
          { name: `Sent (${count(sent.customers)})`, value: lift.conversionRate.sent ?? 0, text: pct(lift.conversionRate.sent) },
          { name: `Control (${count(holdout.customers)})`, value: lift.conversionRate.holdout ?? 0, text: pct(lift.conversionRate.holdout), tone: 'muted' },
        ]} />
      )}
      <p className={lift.significant ? 'verdict significant' : 'verdict'} data-testid="report-verdict">{lift.verdict}</p>
      {report.abTest && (
        <>
          <Bars label={`A/B test by ${report.abTest.metric}`} bars={report.abTest.variants.map((v) => ({
            name: `${v.label}${report.abTest!.winner === v.label ? ' ★' : ''}`, value: v.rate ?? 0, text: `${pct(v.rate)} of ${count(v.recipients)}`, tone: report.abTest!.winner === v.label ? '' : 'muted',
          }))} />
          <p className="verdict" data-testid="report-ab">{report.abTest.sentence}</p>
        </>
      )}
      <p className="note">Orders within {report.attributionDays} days of each message count{report.windowOpen ? '; the window is still open, so later orders may still count' : ''}. Opens and clicks by machines ({count(e.machineOpens + e.machineClicks)}) are left out.</p>
    </section>
  );
}
