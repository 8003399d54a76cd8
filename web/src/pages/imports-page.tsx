import { useCallback, useEffect, useRef, useState, type DragEvent } from 'react';
import type { LayoutPreview } from '../../../src/crm/ingestion/columns.js';
import { readHeader } from '../../../src/crm/ingestion/text-lines.js';
import type { IngestionService } from '../../../src/crm/ingestion/ingestion.service.js';
import { api, ApiError, count, csrfHeaders, dateTime, problemOf } from '../api.js';
import { useCrmEvent } from '../live-events.js';

type Report = Awaited<ReturnType<IngestionService['report']>>;
type Recent = Awaited<ReturnType<IngestionService['recent']>>;
// `layout` is the person's own choice; without one the server reads the layout off the columns each time.
type Stage = { step: 'choose' } | { step: 'map'; file: File; header: string[]; preview: LayoutPreview; map: Record<string, string>; layout?: string }
  | { step: 'running'; importId: string; uploaded: number; fraction: number; lines: number; report: Report | null };


// The first 64 KB of the file as text; a gzipped file is unpacked in the browser just that far.
async function firstText(file: File): Promise<string> {
  const gz = new Uint8Array(await file.slice(0, 2).arrayBuffer());
  if (gz[0] !== 0x1f || gz[1] !== 0x8b) return file.slice(0, 65_536).text();
  const reader = file.stream().pipeThrough(new DecompressionStream('gzip')).getReader();
  const decoder = new TextDecoder();
  let text = '';
  while (text.length < 65_536) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  await reader.cancel().catch(() => {});
  return text;
}

// Sent with XMLHttpRequest for its upload progress, which fetch does not give.
function upload(form: FormData, onProgress: (fraction: number) => void): Promise<{ importId: string }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/imports');
    for (const [k, v] of Object.entries(csrfHeaders())) xhr.setRequestHeader(k, v);
    xhr.setRequestHeader('idempotency-key', crypto.randomUUID());
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onload = () => {
      const body = (() => { try { return JSON.parse(xhr.responseText); } catch { return null; } })();
      if (xhr.status >= 200 && xhr.status < 300) resolve(body);
      else reject(new ApiError(xhr.status, body?.message ?? `The server answered ${xhr.status}.`));
    };
    xhr.onerror = () => reject(new ApiError(0, 'The upload did not reach the server.'));
    xhr.send(form);
  });
}

/**
 * Files in: drop or choose a CSV or NDJSON file (gzip too), see which field each column will feed and change it,
 * then follow the import's progress to its counts and the rejected lines, downloadable as CSV.
 */
export function ImportsPage() {
  const [stage, setStage] = useState<Stage>({ step: 'choose' });
  const [problem, setProblem] = useState<string | null>(null);
  const [recent, setRecent] = useState<Recent | null>(null);
  const [over, setOver] = useState(false);
  // The upload's progress (0–1) while the file is on its way; the Import button waits meanwhile, so a second click
  // cannot send the file twice.
  const [uploading, setUploading] = useState<number | null>(null);
  // The mapping as the person last set it, and which answer about it is the latest: quick changes are never lost,
  // and a late answer never overwrites a newer one.
  const mapping = useRef<{ map: Record<string, string>; layout?: string; asked: number }>({ map: {}, asked: 0 });
  const loadRecent = useCallback(() => api<Recent>('/api/imports').then(setRecent, () => {}), []);
  useEffect(() => { void loadRecent(); }, [loadRecent]);

  async function chosen(file: File | undefined) {
    if (!file) return;
    setProblem(null);
    try {
      // Read by the importer's own code, so the page shows the columns the import will see (delimiter, quotes, NDJSON).
      const header = readHeader(await firstText(file));
      if (!header.length || header.every((h) => !h)) throw new ApiError(400, 'The file has no header line to read.');
      const preview = await api<LayoutPreview>('/api/imports/layout', { header });
      mapping.current = { map: {}, asked: 0 };
      setStage({ step: 'map', file, header, preview, map: {} });
    } catch (error) {
      setProblem(problemOf(error, 'The file could not be read.'));
    }
  }
  async function ask(header: string[]) {
    const mine = ++mapping.current.asked;
    const { map, layout } = mapping.current;
    try {
      const preview = await api<LayoutPreview>('/api/imports/layout', { header, map, layout });
      if (mine === mapping.current.asked) setStage((s) => (s.step === 'map' ? { ...s, map, layout, preview } : s));
    } catch (error) {
      setProblem(problemOf(error, 'That mapping could not be checked.'));
    }
  }
  function remap(column: string, field: string) {
    if (stage.step !== 'map') return;
    const map = { ...mapping.current.map };
    // A column set to "not imported" is left out of the mapping; the server then ignores it unless it recognises it.
    if (field) map[column] = field; else delete map[column];
    mapping.current.map = map;
    void ask(stage.header);
  }
  function relayout(layout: string) {
    if (stage.step !== 'map') return;
    mapping.current.layout = layout;
    void ask(stage.header);
  }
  async function start() {
    if (stage.step !== 'map') return;
    const form = new FormData();
    if (stage.preview.layout) form.append('layout', stage.preview.layout);
    if (Object.keys(mapping.current.map).length) form.append('map', JSON.stringify(mapping.current.map));
    form.append('file', stage.file, stage.file.name);
    setProblem(null);
    setUploading(0);
    try {
      const accepted = await upload(form, setUploading);
      setStage({ step: 'running', importId: accepted.importId, uploaded: 1, fraction: 0, lines: 0, report: null });
    } catch (error) {
      setProblem(problemOf(error, 'The upload failed.'));
    } finally {
      setUploading(null);
    }
  }

  const running = stage.step === 'running' ? stage : null;
  useCrmEvent(running ? 'import.progress' : null, (p) => setStage((s) => (s.step === 'running' && s.importId === p.importId ? { ...s, fraction: p.fraction, lines: p.lines } : s)));
  const finished = useCallback(async (importId: string) => {
    const report = await api<Report>(`/api/imports/${importId}`);
    setStage((s) => (s.step === 'running' && s.importId === importId ? { ...s, report, fraction: report.status === 'succeeded' ? 1 : s.fraction } : s));
    if (report.status === 'succeeded' || report.status === 'failed') void loadRecent();
    return report.status;
  }, [loadRecent]);
  useCrmEvent(running ? 'import.finished' : null, (f) => void finished(f.importId));
  // The websocket may be down: the report is also read every few seconds until the import ends.
  useEffect(() => {
    if (!running || running.report?.status === 'succeeded' || running.report?.status === 'failed') return;
    const timer = setInterval(() => void finished(running.importId), 3000);
    return () => clearInterval(timer);
  }, [running?.importId, running?.report?.status, finished]);

  const drop = (e: DragEvent) => { e.preventDefault(); setOver(false); void chosen(e.dataTransfer.files[0]); };
  return (
    <section aria-labelledby="imports-title" className="imports-page">
      <h2 id="imports-title">Imports</h2>
      {problem && <p role="alert" className="error">{problem}</p>}
      {stage.step === 'choose' && (
        <div className={over ? 'drop-zone over' : 'drop-zone'} onDragOver={(e) => { e.preventDefault(); setOver(true); }} onDragLeave={() => setOver(false)} onDrop={drop} data-testid="drop-zone">
          <p>Drop a file of customers, orders or order lines here (CSV or NDJSON, gzip accepted), or</p>
          <label className="button">Choose a file<input type="file" accept=".csv,.ndjson,.jsonl,.gz,text/csv" className="visually-hidden" onChange={(e) => void chosen(e.target.files?.[0])} /></label>
        </div>
      )}
      {stage.step === 'map' && (
        <section className="card" aria-label="How the file will be read">
          <h3>{stage.file.name} <small>{count(Math.round(stage.file.size / 1024))} KB</small></h3>
          <label>Each line is <select value={stage.preview.layout ?? ''} onChange={(e) => relayout(e.target.value)}>
            {stage.preview.layout === null && <option value="">not recognised</option>}
            {stage.preview.layouts.map((l) => <option key={l} value={l}>{l === 'order-lines' ? 'an order line' : l === 'orders' ? 'an order' : 'a customer'}</option>)}
          </select></label>
          <table>
            <caption>Columns and the fields they feed</caption>
            <thead><tr><th scope="col">Column</th><th scope="col">Field</th></tr></thead>
            <tbody>{stage.preview.columns.map((c, i) => (
              <tr key={`${c.column}-${i}`}>
                <th scope="row">{c.column || `column ${i + 1}`}</th>
                <td><select aria-label={`Field of column ${c.column || i + 1}`} value={c.field ?? ''} onChange={(e) => remap(c.column, e.target.value)}>
                  <option value="">not imported</option>
                  {stage.preview.fields.map((f) => <option key={f} value={f}>{f}</option>)}
                </select></td>
              </tr>
            ))}</tbody>
          </table>
          {stage.preview.problem && <p role="alert" className="error">{stage.preview.problem}</p>}
          {stage.preview.missing.length > 0 && <p role="alert" className="error">No column gives {stage.preview.missing.join(', ')}, which this layout needs.</p>}
          {uploading !== null && <label>Uploading<progress max={100} value={Math.round(uploading * 100)}>{Math.round(uploading * 100)}%</progress></label>}
          <button type="button" onClick={() => void start()} disabled={uploading !== null || !stage.preview.layout || stage.preview.missing.length > 0 || !!stage.preview.problem}>Import</button>
          <button type="button" className="link" onClick={() => setStage({ step: 'choose' })}>Choose another file</button>
        </section>
      )}
      {running && <ImportProgress stage={running} onAgain={() => setStage({ step: 'choose' })} />}
      <h3>Latest imports</h3>
      {recent && recent.length === 0 && <p>No imports yet.</p>}
      {recent && recent.length > 0 && (
        <div className="table-scroll">
          <table>
            <thead><tr><th scope="col">File</th><th scope="col">Started</th><th scope="col">Status</th><th scope="col">Lines</th><th scope="col">Imported</th><th scope="col">Rejected</th><th scope="col">Skipped</th></tr></thead>
            <tbody>{recent.map((r) => (
              <tr key={r.id}>
                <th scope="row">{r.fileName ?? `${r.source} batch`}</th><td>{dateTime(r.createdAt)}</td><td>{r.status}</td><td>{count(r.received)}</td>
                <td>{count(r.inserted + r.updated)}</td><td>{r.rejected > 0 ? <a href={`/api/imports/${r.id}/rejections.csv`} download>{count(r.rejected)}</a> : 0}</td><td>{count(r.skipped)}</td>
              </tr>
            ))}</tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function ImportProgress({ stage, onAgain }: { stage: Extract<Stage, { step: 'running' }>; onAgain: () => void }) {
  const r = stage.report;
  const done = r?.status === 'succeeded' || r?.status === 'failed';
  const percent = Math.round(100 * (done ? 1 : stage.uploaded < 1 ? stage.uploaded : stage.fraction));
  return (
    <section className="card" aria-label="Import progress">
      <label>{stage.uploaded < 1 ? 'Uploading' : done ? 'Done' : 'Importing'}
        <progress max={100} value={percent} aria-valuetext={`${percent}%`}>{percent}%</progress>
      </label>
      {!done && stage.lines > 0 && <p aria-live="polite">{count(stage.lines)} lines read</p>}
      {r && done && (
        <>
          <p data-testid="import-outcome">{r.status === 'succeeded' ? 'Imported' : 'Failed'}: {count(r.received)} lines, {count(r.inserted)} new, {count(r.updated)} updated,
            {' '}{count(r.unchanged)} unchanged, {count(r.rejected)} rejected, {count(r.skipped)} skipped (no customer).</p>
          {r.error && <p role="alert" className="error">{r.error}</p>}
          {r.rejections.length > 0 && (
            <>
              <table>
                <caption>Rejected lines{r.rejected > r.rejections.length ? ` (the first ${count(r.rejections.length)})` : ''}</caption>
                <thead><tr><th scope="col">Line</th><th scope="col">Column</th><th scope="col">Reason</th></tr></thead>
                <tbody>{r.rejections.slice(0, 50).map((x) => <tr key={x.position}><td>{x.position}</td><td>{x.field ?? '—'}</td><td>{x.reason}</td></tr>)}</tbody>
              </table>
              <a href={`/api/imports/${r.id}/rejections.csv`} download data-testid="rejections-csv">Download the rejected lines (CSV)</a>
            </>
          )}
          <button type="button" onClick={onAgain}>Import another file</button>
        </>
      )}
    </section>
  );
}
