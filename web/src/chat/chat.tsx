import { useChat } from '@ai-sdk/react';
import { DefaultChatTransport, lastAssistantMessageIsCompleteWithApprovalResponses, type UIMessage } from 'ai';
import { useMemo, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { csrfHeaders } from '../api.js';
import type { ScreenContext } from '../screen.js';
import type { CampaignPlan } from '../cards/plan-card.js';
import type { ToolName } from '../../../src/tools/catalogue.js';

// The AI SDK's part type for a tool's call, from the catalogue's names (a renamed tool fails the type check).
const toolPartType = (name: ToolName) => `tool-${name}`;
import { ToolPartView, type ToolPart } from '../cards/tool-part.js';

// Models mark figures with **bold**; everything else is shown as plain text (never as HTML).
const emphasis = (text: string) => text.split(/\*\*(.+?)\*\*/g).map((piece, i) => (i % 2 ? <strong key={i}>{piece}</strong> : piece));

const suggestions = [
  'How many customers spent over 10k but ordered fewer than 3 times, or haven\'t ordered in 90 days?',
  'Show the overview',
  'Customers in Mumbai with at least 2 orders',
  'Campaign history',
];

/** One conversation with the agent: streamed answers, tool cards, and approvals answered in place. */
export function Chat({ id, initialMessages, onTurnEnd, screen }: { id: string; initialMessages: UIMessage[]; onTurnEnd: () => void; screen?: ScreenContext | null }) {
  const answered = useRef<{ id: string; approved: boolean }[]>([]);
  // What the page beside the panel shows when a message is sent (it changes as the person moves around).
  const onScreen = useRef(screen);
  onScreen.current = screen;
  const transport = useMemo(() => new DefaultChatTransport({
    api: '/api/chat',
    // The server keeps the conversation; each request carries only what is new: a message, or approval answers.
    prepareSendMessagesRequest: ({ messages }) => {
      const last = messages.at(-1)!;
      const approvals = answered.current.splice(0);
      const text = last.parts.filter((p) => p.type === 'text').map((p) => (p as { text: string }).text).join('');
      const screen = last.role === 'user' ? (last.parts.find((p) => p.type === 'data-screen') as { data: ScreenContext } | undefined)?.data : undefined;
      return { headers: csrfHeaders(), body: { conversationId: id, message: last.role === 'user' ? { text } : { approvals }, ...(screen ? { screen } : {}) } };
    },
  }), [id]);
  const { messages, sendMessage, status, error, addToolApprovalResponse } = useChat({
    id, messages: initialMessages, transport, sendAutomaticallyWhen: lastAssistantMessageIsCompleteWithApprovalResponses, onFinish: onTurnEnd,
  });
  const [input, setInput] = useState('');
  const busy = status === 'submitted' || status === 'streaming';

  function send(text: string) {
    if (!text.trim() || busy) return;
    const screen = onScreen.current;
    sendMessage(screen ? { parts: [{ type: 'data-screen', data: screen }, { type: 'text', text }] } : { text });
    setInput('');
  }
  const submit = (e: FormEvent) => { e.preventDefault(); send(input); };
  const keys = (e: KeyboardEvent<HTMLTextAreaElement>) => { if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); send(input); } };
  const actions = {
    onDecide: (approvalId: string, approved: boolean) => {
      answered.current.push({ id: approvalId, approved });
      addToolApprovalResponse({ id: approvalId, approved });
    },
    onUseRule: (rules: Record<string, any>) => send(`Preview this rule instead: ${JSON.stringify(rules)}`),
  };

  return (
    <div className="chat">
      <div className="messages" role="log" aria-live="polite" aria-label="Conversation">
        {messages.length === 0 && (
          <div className="welcome">
            <h2>What would you like to know?</h2>
            <ul className="chips" aria-label="Suggestions">{suggestions.map((s) => <li key={s}><button type="button" onClick={() => send(s)}>{s}</button></li>)}</ul>
          </div>
        )}
        {messages.map((m) => {
          const parts = m.parts as unknown as ToolPart[];
          const plans = new Map<string, CampaignPlan>();
          const launching = new Set<string>();
          for (const p of parts) {
            if (p.type === toolPartType('plan_campaign') && p.output?.approval) plans.set(p.output.approval.id, p.output);
            if (p.type === toolPartType('launch_campaign') && p.input?.approvalId) launching.add(p.input.approvalId);
          }
          return (
            <article key={m.id} className={`message ${m.role}`} aria-label={m.role === 'user' ? 'You' : 'Assistant'}>
              {m.parts.map((p, i) => {
                if (p.type === 'text') return <p key={i} className="text">{emphasis(p.text)}</p>;
                if (p.type === 'data-screen') return <p key={i} className="screen-note">Asked from {(p.data as ScreenContext).page}</p>;
                if (p.type.startsWith('tool-')) return <ToolPartView key={i} part={p as unknown as ToolPart} plans={plans} launching={launching} actions={actions} />;
                return null;
              })}
            </article>
          );
        })}
        {status === 'submitted' && <p className="thinking" aria-busy="true">Working…</p>}
        {error && <p role="alert" className="error">{error.message}</p>}
      </div>
      <form className="composer" onSubmit={submit}>
        <label htmlFor="chat-input" className="visually-hidden">Message</label>
        <textarea id="chat-input" rows={2} value={input} onChange={(e) => setInput(e.target.value)} onKeyDown={keys} placeholder="Ask about customers, or describe a campaign…" />
        <button type="submit" disabled={busy || !input.trim()}>Send</button>
      </form>
    </div>
  );
}
