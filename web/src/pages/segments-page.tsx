import { useCallback, useEffect, useRef, useState } from 'react';
import type { SegmentsService } from '../../../src/crm/segments/segments.service.js';
import type { ToolOutput } from '../../../src/tools/catalogue.js';
import { api, count, dateTime, problemOf, runTool } from '../api.js';
import { AudienceFigures, type SegmentPreview } from '../cards/audience-figures.js';
import { RuleForm } from '../cards/rule-form.js';
import { CustomerLink } from './customers-page.js';
import { go, PageLink } from '../routes.js';
import { useScreen } from '../screen.js';

type Rule = Record<string, any>;
type Segment = Awaited<ReturnType<SegmentsService['get']>>;
type Diff = Awaited<ReturnType<SegmentsService['diff']>>;

const mayWrite = (role: string) => role === 'marketer' || role === 'admin';

/**
 * The audience of a rule, counted again a moment after each edit: the count, the funnel and samples follow the
 * form as the person types, and a rule that cannot be counted says why.
 */
function useLivePreview(initial: Rule) {
  const [rule, setRule] = useState(initial);
  const [preview, setPreview] = useState<SegmentPreview | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const asked = useRef(0);
  useEffect(() => {
    const mine = ++asked.current;
    const timer = setTimeout(() => {
      runTool('preview_segment', { rules: rule }).then(
        (p) => { if (mine === asked.current) { setPreview(p); setProblem(null); } },
        (e) => { if (mine === asked.current) setProblem(problemOf(e, 'This rule could not be counted.')); },
      );
    }, 350);
    return () => clearTimeout(timer);
  }, [rule]);
  return { rule, setRule, preview, problem };
}

/** Saved segments with how many customers each holds now, and a new one built with the rule form. */
export function SegmentsPage({ role }: { role: string }) {
  const [list, setList] = useState<ToolOutput<'list_segments'> | null>(null);
  const [counts, setCounts] = useState<Record<number, number | string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  useEffect(() => {
    runTool('list_segments', {}).then(async (l) => {
      setList(l);
      // Counted one after another, so a long list does not start fifty counts at once.
      for (const s of l.segments) {
        const found = await runTool('get_segment', { segmentId: s.id }).then((g) => g.preview.count, () => 'could not be counted');
        setCounts((c) => ({ ...c, [s.id]: found }));
      }
    }, (e) => setProblem(problemOf(e, 'The segments could not be loaded.')));
  }, []);
  return (
    <section aria-labelledby="segments-title">
      <h2 id="segments-title">Segments</h2>
      {problem && <p role="alert">{problem}</p>}
      {mayWrite(role) && !creating && <button type="button" onClick={() => setCreating(true)}>New segment</button>}
      {creating && <NewSegment onCancel={() => setCreating(false)} />}
      {list && list.segments.length === 0 && <p>No saved segments yet. Build one here, or ask the assistant to save an audience.</p>}
      {list && list.segments.length > 0 && (
        <div className="table-scroll">
          <table>
            <thead><tr><th scope="col">Segment</th><th scope="col">Who</th><th scope="col">Customers now</th><th scope="col">Version</th></tr></thead>
            <tbody>{list.segments.map((s) => (
              <tr key={s.id}>
                <th scope="row"><PageLink to={`/segments/${s.id}`}>{s.name}</PageLink></th><td>{s.sentence}</td>
                <td data-testid="segment-count">{counts[s.id] === undefined ? '…' : typeof counts[s.id] === 'number' ? count(counts[s.id]) : counts[s.id]}</td><td>{s.version}</td>
              </tr>
            ))}</tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function NewSegment({ onCancel }: { onCancel: () => void }) {
  const live = useLivePreview({ field: 'total_spend', op: 'gt', value: 10000 });
  const [name, setName] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const save = () => runTool('create_segment', { name: name.trim(), rules: live.rule }).then((s) => go(`/segments/${s.id}`), (e) => setProblem(problemOf(e, 'The segment could not be saved.')));
  return (
    <section className="card" aria-label="New segment">
      <label>Name<input value={name} onChange={(e) => setName(e.target.value)} required /></label>
      <RuleForm rules={live.rule} onChange={live.setRule} onPreview={live.setRule} action="Count again" />
      {live.problem && <p role="alert" className="error">{live.problem}</p>}
      {live.preview && <AudienceFigures preview={live.preview} rules={live.rule} />}
      {problem && <p role="alert" className="error">{problem}</p>}
      <button type="button" onClick={save} disabled={!name.trim()}>Save segment</button>
      <button type="button" className="link" onClick={onCancel}>Cancel</button>
    </section>
  );
}

/** One segment: its rule in English and as a form counted as it changes, its versions, and who joins or leaves between two. */
export function SegmentPage({ segmentId, role }: { segmentId: number; role: string }) {
  const [segment, setSegment] = useState<Segment | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const load = useCallback(() => api<Segment>(`/api/segments/${segmentId}`).then(setSegment, (e) => setProblem(problemOf(e, 'The segment could not be loaded.'))), [segmentId]);
  useEffect(() => { void load(); }, [load]);
  if (problem) return <p role="alert">{problem}</p>;
  if (!segment) return <p aria-busy="true">Loading segment {segmentId}…</p>;
  return <SegmentEditor key={segment.version} segment={segment} role={role} onSaved={load} />;
}

function SegmentEditor({ segment, role, onSaved }: { segment: Segment; role: string; onSaved: () => void }) {
  const live = useLivePreview(segment.rules as Rule);
  const [problem, setProblem] = useState<string | null>(null);
  const changed = JSON.stringify(live.rule) !== JSON.stringify(segment.rules);
  useScreen({ page: `segment "${segment.name}" (version ${segment.version}${changed ? ', with the rule being changed' : ''})`, rules: live.rule });
  const save = () => api(`/api/segments/${segment.id}`, { rules: live.rule }, 'PATCH').then(onSaved, (e) => setProblem(problemOf(e, 'The new version could not be saved.')));
  return (
    <article aria-labelledby="segment-title" className="segment-page">
      <h2 id="segment-title">{segment.name} <small>version {segment.version}</small></h2>
      {segment.description && <p>{segment.description}</p>}
      <p><strong>Saved rule:</strong> {segment.sentence}</p>
      <section className="card" aria-label="The rule and its audience">
        <RuleForm rules={live.rule} onChange={live.setRule} onPreview={live.setRule} action="Count again" />
        {live.problem && <p role="alert" className="error">{live.problem}</p>}
        {live.preview && <AudienceFigures preview={live.preview} rules={live.rule} />}
        {problem && <p role="alert" className="error">{problem}</p>}
        {mayWrite(role) && changed && <button type="button" onClick={save}>Save as version {segment.version + 1}</button>}
      </section>
      <Versions segment={segment} />
    </article>
  );
}

function Versions({ segment }: { segment: Segment }) {
  const versions = segment.versions as { version: number; createdBy: string | null; createdAt: string }[];
  const [from, setFrom] = useState(versions[1]?.version ?? versions[0]?.version);
  const [to, setTo] = useState(versions[0]?.version);
  const [diff, setDiff] = useState<Diff | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const compare = () => api<Diff>(`/api/segments/${segment.id}/diff?from=${from}&to=${to}`).then((d) => { setDiff(d); setProblem(null); }, (e) => setProblem(problemOf(e, 'The versions could not be compared.')));
  return (
    <section aria-labelledby="versions-title">
      <h3 id="versions-title">Versions</h3>
      <ol reversed className="plain">{versions.map((v) => <li key={v.version}>Version {v.version}, {dateTime(v.createdAt)}{v.createdBy ? ` by ${v.createdBy}` : ''}</li>)}</ol>
      {versions.length > 1 && (
        <form className="inline" onSubmit={(e) => { e.preventDefault(); void compare(); }}>
          <label>From <select value={from} onChange={(e) => setFrom(Number(e.target.value))}>{versions.map((v) => <option key={v.version} value={v.version}>version {v.version}</option>)}</select></label>
          <label>to <select value={to} onChange={(e) => setTo(Number(e.target.value))}>{versions.map((v) => <option key={v.version} value={v.version}>version {v.version}</option>)}</select></label>
          <button type="submit">Who joins and who leaves</button>
        </form>
      )}
      {problem && <p role="alert" className="error">{problem}</p>}
      {diff && (
        <div data-testid="segment-diff">
          <p>Version {diff.from.version}: {count(diff.from.count)} customers ({diff.from.sentence.replace(/\.$/, "")}). Version {diff.to.version}: {count(diff.to.count)} ({diff.to.sentence.replace(/\.$/, "")}).</p>
          <p><strong>{count(diff.added.count)}</strong> join, <strong>{count(diff.removed.count)}</strong> leave.</p>
          {[['Joining', diff.added.sample], ['Leaving', diff.removed.sample]].map(([title, sample]) => (sample as Diff['added']['sample']).length > 0 && (
            <p key={title as string}>{title as string}: {(sample as Diff['added']['sample']).map((c, i) => <span key={c.id}>{i > 0 && ', '}<CustomerLink id={c.id}>{c.name ?? `Customer ${c.id}`}</CustomerLink></span>)}</p>
          ))}
        </div>
      )}
    </section>
  );
}
