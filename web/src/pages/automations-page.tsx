import { useCallback, useEffect, useState } from 'react';
import type { ToolName, ToolOutput } from '../../../src/tools/catalogue.js';
import { count, dateTime, runTool } from '../api.js';
import { AutomationEditor } from './automation-editor.js';
import { PageLink } from '../routes.js';

// Names checked against the catalogue: a renamed tool fails the `satisfies` check here.
const pauseAutomation = 'pause_automation' satisfies ToolName;
const resumeAutomation = 'resume_automation' satisfies ToolName;

type Automation = ToolOutput<'list_automations'>['automations'][number];

const statusText: Record<Automation['status'], string> = { draft: 'waiting for approval', active: 'running', paused: 'paused' };

/**
 * Recurring campaigns: what each does and when it runs next, its latest runs (each a campaign with its own report),
 * and pause or resume. Pausing needs no approval; resuming sends again, so only a marketer or admin may, here, by hand.
 */
export function AutomationsPage({ role, automationId }: { role: string; automationId?: number }) {
  const [rows, setRows] = useState<Automation[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  // One automation's page (/automations/<id>) shows that one alone.
  const load = useCallback(() => runTool('list_automations', {}).then((r) => setRows(automationId ? r.automations.filter((a) => a.automationId === automationId) : r.automations), (e) => setError(e.message)), [automationId]);
  useEffect(() => { void load(); }, [load]);
  const act = (tool: typeof pauseAutomation | typeof resumeAutomation, automationId: number) =>
    runTool(tool, { automationId }).then(load, (e) => setError(e.message));
  const mayAct = role === 'marketer' || role === 'admin';
  const [editing, setEditing] = useState<{ automationId?: number; initial?: Record<string, unknown> } | null>(null);
  const done = () => { setEditing(null); void load(); };
  return (
    <section className="history" aria-labelledby="automations-title">
      <h2 id="automations-title">Automations</h2>
      {error && <p role="alert" className="error">{error}</p>}
      {mayAct && !editing && <button type="button" onClick={() => setEditing({})}>New automation</button>}
      {editing && <AutomationEditor key={editing.automationId ?? 'new'} automationId={editing.automationId} initial={editing.initial} onDone={done} />}
      {rows && rows.length === 0 && <p>No recurring campaigns yet. Ask the assistant, for example "every Monday at 10, email customers who went quiet for 90 days".</p>}
      {rows?.map((a) => (
        <article className="card" key={a.automationId} aria-label={`Automation ${a.name}`}>
          <h3>{automationId ? a.name : <PageLink to={`/automations/${a.automationId}`}>{a.name}</PageLink>} <small data-testid="automation-status">{statusText[a.status]}</small></h3>
          {a.statusReason && <p className="warning">{a.statusReason}</p>}
          <dl className="figures">
            <div><dt>{a.kind === 'journey' ? 'Kind' : 'Schedule (cron)'}</dt><dd>{a.kind === 'journey' ? 'journey' : a.cron}</dd></div>
            <div><dt>Next run</dt><dd>{a.nextRunAt ? dateTime(a.nextRunAt) : '—'}</dd></div>
            <div><dt>Messages sent</dt><dd>{count(a.sent)}</dd></div>
            <div><dt>Caps</dt><dd>{count(a.caps.maxPerRun)} a run, {count(a.caps.maxPerDay)} a day</dd></div>
            <div><dt>Skips customers reached within</dt><dd>{a.caps.skipDays} days</dd></div>
          </dl>
          {a.kind === 'journey' && a.steps.length > 0 && (
            <table>
              <caption>Customers at each step</caption>
              <thead><tr><th scope="col">Step</th><th scope="col">Reached</th><th scope="col">Waiting</th><th scope="col">Sent</th><th scope="col">Skipped</th><th scope="col">Left here</th></tr></thead>
              <tbody>{a.steps.map((s) => (
                <tr key={s.step}><th scope="row">{s.step}</th><td>{count(s.entered)}</td><td>{count(s.waiting)}</td><td>{count(s.sent)}</td><td>{count(s.skipped)}</td><td>{count(s.exited)}</td></tr>
              ))}</tbody>
            </table>
          )}
          {a.runs.length > 0 && (
            <table>
              <caption>Latest runs</caption>
              <thead><tr><th scope="col">Due</th><th scope="col">Outcome</th><th scope="col">Recipients</th><th scope="col">Campaign</th></tr></thead>
              <tbody>{a.runs.map((r) => (
                <tr key={r.dueAt}><td>{dateTime(r.dueAt)}</td><td>{r.status}{r.reason && <><br /><small>{r.reason}</small></>}</td><td>{count(r.recipients)}</td><td>{r.campaignId ? <PageLink to={`/campaigns/${r.campaignId}`}>{`#${r.campaignId}`}</PageLink> : '—'}</td></tr>
              ))}</tbody>
            </table>
          )}
          {mayAct && a.status === 'active' && <button type="button" className="reject" onClick={() => act(pauseAutomation, a.automationId)}>Pause</button>}
          {mayAct && a.status === 'paused' && <button type="button" onClick={() => act(resumeAutomation, a.automationId)}>Resume</button>}
          {mayAct && <button type="button" className="link" onClick={() => setEditing({ automationId: a.automationId, initial: a.definition })}>Change</button>}
        </article>
      ))}
    </section>
  );
}
