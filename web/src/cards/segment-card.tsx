import { useState } from 'react';
import { AudienceFigures, type SegmentPreview } from './audience-figures.js';
import { RuleForm } from './rule-form.js';

export type { SegmentPreview };

/** Who matches a rule: the count, a funnel bar per condition, ten samples, and the rule as an editable form. */
// A corrected rule goes back into the conversation, so what follows ("send them …") uses what the person now sees.
export function SegmentCard({ preview, rules, onUseRule }: { preview: SegmentPreview; rules: Record<string, any>; onUseRule: (rules: Record<string, any>) => void }) {
  const [editing, setEditing] = useState(false);
  const rerun = (next: Record<string, any>) => {
    setEditing(false);
    onUseRule(next);
  };
  return (
    <section className="card" aria-label="Audience preview">
      <AudienceFigures preview={preview} rules={rules} />
      <button type="button" className="link" aria-expanded={editing} onClick={() => setEditing(!editing)}>{editing ? 'Close the rule' : 'Edit the rule'}</button>
      {editing && <RuleForm rules={rules} onPreview={rerun} />}
    </section>
  );
}
