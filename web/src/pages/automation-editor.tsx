import { useState } from 'react';
import type { ToolInput, ToolOutput } from '../../../src/tools/catalogue.js';
import { runTool } from '../api.js';

type Planned = ToolOutput<'plan_automation'>;

// A starting point a marketer edits: every Monday at 10, a win-back to those quiet for 90 days.
const example: ToolInput<'plan_automation'> = {
  name: 'Monday win-back',
  campaign: { rules: { field: 'days_since_last_order', op: '>=', value: 90 }, channel: 'email', subject: 'We miss you, {{first_name | "friend"}}', template: 'Come back for 10% off with COMEBACK10.' },
  schedule: { every: 'week', on: 'monday', at: '10:00' }, skipDays: 7, maxPerRun: 1000, maxPerDay: 1000,
};

/**
 * Writes or changes an automation as plan_automation takes it (a recurring campaign or a journey), checks it with the
 * server (which answers any mistake in a sentence), shows what it would do, and starts it on the person's click.
 */
export function AutomationEditor({ initial, automationId, onDone }: { initial?: Record<string, unknown>; automationId?: number; onDone: () => void }) {
  const [text, setText] = useState(() => JSON.stringify(initial ?? example, null, 2));
  const [planned, setPlanned] = useState<Planned | null>(null);
  const [error, setError] = useState<string | null>(null);
  async function plan() {
    setError(null);
    setPlanned(null);
    let definition: Record<string, unknown>;
    try {
      definition = JSON.parse(text);
    } catch (e) {
      return setError(`This is not JSON: ${(e as Error).message}`);
    }
    // Whatever was typed goes to the server as it is: it checks the definition and answers a mistake in a sentence.
    const input = { ...definition, ...(automationId ? { automationId } : {}) } as ToolInput<'plan_automation'>;
    await runTool('plan_automation', input).then(setPlanned, (e) => setError(e.message));
  }
  async function start() {
    await runTool('approve_automation', { approvalId: planned!.approval.id }).then(onDone, (e) => setError(e.message));
  }
  return (
    <section className="card" aria-label="Automation editor">
      <h3>{automationId ? 'Change the automation' : 'New automation'}</h3>
      <label htmlFor="automation-definition">Definition (a campaign and a schedule, or a journey)</label>
      <textarea id="automation-definition" rows={14} spellCheck={false} value={text} onChange={(e) => setText(e.target.value)} />
      <div className="decision">
        <button type="button" onClick={plan}>Check it</button>
        {planned && <button type="button" className="approve" onClick={start}>Approve and start</button>}
        <button type="button" className="reject" onClick={onDone}>Close</button>
      </div>
      {error && <p role="alert" className="error">{error}</p>}
      {planned && (
        <div data-testid="automation-plan">
          <p><strong>{planned.schedule}</strong></p>
          <p>{planned.matchingNow} customers match now: {planned.sentence}. At most {planned.caps.maxPerRun} messages a {planned.kind === 'journey' ? 'pass' : 'run'} and {planned.caps.maxPerDay} a day.</p>
          {planned.warnings.map((w) => <p key={w} className="warning">{w}</p>)}
          <p>Nothing runs until you approve{automationId ? '; until then the automation is stopped' : ''}.</p>
        </div>
      )}
    </section>
  );
}
