import { useEffect, useRef, useState } from 'react';
import type { RuleField } from '../../../src/crm/segments/rule-fields.js';
import { api } from '../api.js';

// The fields and operators come from the server (GET /api/segments/fields), never from a copy in the bundle.
let loading: Promise<RuleField[]> | null = null;
function useRuleFields(): RuleField[] {
  const [list, setList] = useState<RuleField[]>([]);
  useEffect(() => {
    loading ??= api<RuleField[]>('/api/segments/fields');
    loading.then(setList, () => { loading = null; });
  }, []);
  return list;
}

interface Condition { field: string; op: string; value?: unknown }
type Rule = Record<string, any>;

// Values are edited as text: "10000", "2026-03-01", "3 months", "Mumbai, Pune", "5000 to 10000".
function valueText(v: unknown): string {
  if (v === undefined) return '';
  if (Array.isArray(v)) return v.join(v.length === 2 && typeof v[0] !== 'string' ? ' to ' : ', ');
  if (v && typeof v === 'object' && 'amount' in v) return `${(v as any).amount} ${(v as any).unit}`;
  return String(v);
}
function parseValue(op: string, text: string): unknown {
  const t = text.trim();
  if (op === 'is_set' || op === 'is_empty') return undefined;
  if (op === 'is') return t === 'true' || t === 'yes';
  if (op === 'within_last' || op === 'more_than_ago') {
    const [amount, unit = 'days'] = t.split(/\s+/);
    return { amount: Number(amount), unit: unit.endsWith('s') ? unit : `${unit}s` };
  }
  if (op === 'between') return t.split(/\s*(?:to|and|,)\s*/).map((x) => (/^-?\d+(\.\d+)?$/.test(x) ? Number(x) : x));
  if (op === 'in') return t.split(/\s*,\s*/).filter(Boolean);
  return /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : t;
}

/**
 * A flat rule (one group of conditions) as a form; deeper rules are edited as their JSON. `onChange` hears every
 * edit that makes a whole rule (a page counts the audience as the person types); `onPreview` hears the button.
 */
export function RuleForm({ rules, onPreview, onChange, action = 'Preview this rule' }: { rules: Rule; onPreview: (rules: Rule) => void; onChange?: (rules: Rule) => void; action?: string }) {
  const flat = 'field' in rules ? { join: 'all', conditions: [rules as Condition] }
    : (rules.all ?? rules.any)?.every((c: Rule) => 'field' in c) ? { join: rules.all ? 'all' : 'any', conditions: (rules.all ?? rules.any) as Condition[] } : null;
  const [join, setJoin] = useState(flat?.join ?? 'all');
  const [rows, setRows] = useState(flat?.conditions.map((c) => ({ field: c.field, op: c.op, text: valueText(c.value) })) ?? []);
  const [json, setJson] = useState(JSON.stringify(rules, null, 2));
  const [error, setError] = useState<string | null>(null);
  const ruleFields = useRuleFields();
  const fieldNamed = (name: string) => ruleFields.find((f) => f.name === name);

  // The rule the form shows now, or null while its JSON does not parse.
  function current(): Rule | null {
    if (!flat) {
      try { return JSON.parse(json); } catch { return null; }
    }
    const conditions = rows.map((r) => {
      const value = parseValue(r.op, r.text);
      return value === undefined ? { field: r.field, op: r.op } : { field: r.field, op: r.op, value };
    });
    return conditions.length === 1 ? conditions[0] : { [join]: conditions };
  }
  function submit() {
    const rule = current();
    setError(rule ? null : 'That is not valid JSON.');
    if (rule) onPreview(rule);
  }
  const heard = useRef(onChange);
  heard.current = onChange;
  const first = useRef(true);
  useEffect(() => {
    if (first.current) { first.current = false; return; }
    const rule = current();
    if (rule) heard.current?.(rule);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [join, rows, json]);
  const set = (i: number, patch: Partial<(typeof rows)[number]>) => setRows(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));

  return (
    <form className="rule-form" onSubmit={(e) => { e.preventDefault(); submit(); }} aria-label="Edit the rule">
      {flat ? (
        <>
          <label>Match <select value={join} onChange={(e) => setJoin(e.target.value)}><option value="all">all of</option><option value="any">any of</option></select> these conditions</label>
          {rows.map((r, i) => (
            <fieldset key={i} className="condition">
              <legend className="visually-hidden">Condition {i + 1}</legend>
              <select aria-label={`Field of condition ${i + 1}`} value={r.field} onChange={(e) => set(i, { field: e.target.value, op: fieldNamed(e.target.value)?.operators[0]?.op ?? r.op })}>
                {(ruleFields.length ? ruleFields : [{ name: r.field, label: r.field.replace(/_/g, ' ') }]).map((f) => <option key={f.name} value={f.name}>{f.label}</option>)}
              </select>
              <select aria-label={`Operator of condition ${i + 1}`} value={r.op} onChange={(e) => set(i, { op: e.target.value })}>
                {(fieldNamed(r.field)?.operators ?? [{ op: r.op, label: r.op }]).map((o) => <option key={o.op} value={o.op}>{o.label}</option>)}
              </select>
              <input aria-label={`Value of condition ${i + 1}`} value={r.text} onChange={(e) => set(i, { text: e.target.value })} />
              <button type="button" className="link" onClick={() => setRows(rows.filter((_, j) => j !== i))} aria-label={`Remove condition ${i + 1}`}>Remove</button>
            </fieldset>
          ))}
          <button type="button" className="link" onClick={() => setRows([...rows, { field: 'total_spend', op: 'gt', text: '' }])}>Add a condition</button>
        </>
      ) : (
        <label>Rule (JSON)<textarea rows={8} value={json} onChange={(e) => setJson(e.target.value)} /></label>
      )}
      <button type="submit">{action}</button>
      {error && <p role="alert" className="error">{error}</p>}
    </form>
  );
}
