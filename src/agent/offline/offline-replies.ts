// What the offline model says about tool results: short, with the figures a marketer asked for.
import { formatCount, formatMoney } from '../../crm/format.js';

type Json = Record<string, any>;

const n = (v: unknown) => formatCount(Number(v ?? 0));
const money = (v: unknown, currency: string) => formatMoney(Number(v ?? 0), currency);
const pct = (v: unknown) => (v === null || v === undefined ? 'not known yet' : `${Math.round(Number(v) * 1000) / 10}%`);

export const offlineIntro = 'I am the CRM\'s built-in offline model (no AI service is configured), so I understand everyday CRM requests written plainly.';

export const helpText = `${offlineIntro} Try:
- "How many customers spent over 10k but ordered fewer than 3 times, or haven't ordered in 90 days?"
- "Customers in Mumbai or Pune with at least 5 orders — save as segment Loyal west"
- "Send them an email saying \\"Hi {{first_name | \\"there\\"}}, here is 10% off\\""
- "Show the overview", "campaign history", "how did the last campaign do?", "insights"`;

export function clarify(understood: string | null, unknown: string[], asks: string[] = [], corrections: { from: string; to: string }[] = []) {
  const fixed = corrections.length ? `${correctionsNote(corrections)} ` : '';
  if (asks.length) return `${fixed}${understood ? `I understood: ${understood} ` : ''}${asks.join(' ')} Tell me which you mean and I will count them.`;
  const words = [...new Set(unknown)].slice(0, 6).map((w) => `"${w}"`).join(', ');
  const what = understood ? `I understood: ${understood} But I do not know what ${words} means here.` : words ? `I could not tell which customers or what action you mean (${words}).` : 'I could not tell what you would like me to do.';
  // The offline model introduces itself once, on a conversation's first answer (offline-steps), not in every question back.
  return `${fixed}${what} Could you say it with amounts, order counts, dates or places — for example "customers in Pune who spent over 5,000 and haven't ordered in 60 days"?`;
}

const correctionsNote = (c: { from: string; to: string }[]) => `I read ${c.map((x) => `"${x.from}" as "${x.to}"`).join(', ')}.`;

/** What the answer says before the figures: spelling corrected, and the meaning taken for descriptive words. */
export function understoodNotes(u: { corrections: { from: string; to: string }[]; definitions: string[] }) {
  return [u.corrections.length ? correctionsNote(u.corrections) : '', ...u.definitions.map((d) => `${d}; say so if you meant something else.`)].filter(Boolean).join(' ');
}

export const everyoneReply = (p: Json) => `You have **${n(p.totalCustomers)}** customers in all.`;

const figureWords: Record<string, string> = { total_spend: 'total spend', order_count: 'orders', average_order_value: 'average order value', last_order_date: 'last order' };

export function rankReply(r: Json, currency: string) {
  if (!r.customers?.length) return 'No customer matches that.';
  const figure = (c: Json) => (r.by === 'order_count' ? `${n(c.orderCount)} orders` : r.by === 'average_order_value' ? `${c.averageOrderValue === null ? 'no orders' : money(c.averageOrderValue, currency)} an order` : r.by === 'last_order_date' ? `last order ${c.lastOrderAt ? String(c.lastOrderAt).slice(0, 10) : 'never'}` : money(c.totalSpend, currency));
  return `The ${r.direction === 'asc' ? 'lowest' : 'top'} ${n(r.customers.length)} by ${figureWords[r.by] ?? r.by}:\n${r.customers.map((c: Json, i: number) => `${i + 1}. #${c.id} ${c.name ?? '(no name)'}${c.city ? `, ${c.city}` : ''} — ${figure(c)}`).join('\n')}`;
}

export function profileReply(c: Json, currency: string) {
  const orders = (c.recentOrders ?? []).slice(0, 5).map((o: Json) => `${String(o.placedAt).slice(0, 10)} ${money(o.total, currency)} (${o.status})`);
  const messages = (c.recentMessages ?? []).slice(0, 3).map((m: Json) => `${m.campaign} (${m.status})`);
  return `#${c.id} ${c.name ?? '(no name)'}${c.email ? ` <${c.email}>` : ''}${c.city ? `, ${c.city}` : ''}${c.country ? `, ${c.country}` : ''}: ${money(c.totalSpend, currency)} over ${n(c.orderCount)} orders${c.lastOrderAt ? `, last on ${String(c.lastOrderAt).slice(0, 10)}` : ''}${c.unsubscribed ? '; unsubscribed' : ''}.`
    + (orders.length ? ` Latest orders: ${orders.join('; ')}.` : '') + (messages.length ? ` Latest messages: ${messages.join('; ')}.` : '');
}

export const importHelp = 'To import customers and orders, upload a CSV or JSON file: with the CLI, `npm run crm -- import <file>`; over HTTP, `POST /api/imports` with the file (the layout is detected: Shopify, the UCI retail file, or your own columns); or ask an AI assistant over MCP with import_records. Each import reports the lines it kept and every rejected line with its reason; ask "how is the import doing?" with its id.';

export function previewReply(p: Json) {
  const funnel = p.funnel?.length > 1 ? ` Step by step: ${p.funnel.map((f: Json) => `${f.condition} — ${n(f.together)}`).join('; ')}.` : '';
  return `**${n(p.count)}** of ${n(p.totalCustomers)} customers match. ${String(p.sentence).replace(/\.$/, '')}.${funnel}`;
}

export function planReply(p: Json) {
  const excluded = Object.entries(p.audience?.excluded ?? {}).filter(([, v]) => Number(v) > 0).map(([k, v]) => `${n(v)} ${k.replace(/_/g, ' ')}`);
  const left = excluded.length ? ` Left out: ${excluded.join(', ')}.` : '';
  const sample = p.samples?.[0] ? ` For example, to ${p.samples[0].name ?? 'a customer'}: "${String(p.samples[0].message).slice(0, 160)}"` : '';
  const warnings = p.warnings?.length ? ` Note: ${p.warnings.join(' ')}` : '';
  return `Planned ${p.channel} campaign "${p.name}": **${n(p.audience?.eligible)}** of ${n(p.audience?.matching)} matching customers would receive it.${left}${sample}${warnings}`;
}

export const launchReply = (l: Json) => l.scheduledFor
  ? `Campaign ${l.campaignId} is scheduled for ${n(l.audience)} customers; the first message is due ${l.scheduledFor.replace('T', ' ').slice(0, 16)} UTC. It can be cancelled until then.`
  : `Campaign ${l.campaignId} is on its way to ${n(l.audience)} customers. Its delivery figures update as receipts arrive; ask "how did campaign ${l.campaignId} do?" any time.`;

export const deniedReply = (reason?: string) => `Nothing was sent: the launch was not approved${reason ? ` (${reason})` : ''}. The plan stays as a draft; ask me to send it again when you are ready.`;

export function statsReply(s: Json) {
  const failures = s.failures?.length ? ` Main failure reasons: ${s.failures.slice(0, 3).map((f: Json) => `${f.reason} (${n(f.count)})`).join(', ')}.` : '';
  return `Campaign ${s.id} "${s.name}" (${s.status}): ${n(s.audience)} recipients — ${n(s.sent)} sent, ${n(s.failed)} failed, ${n(s.pending)} pending, ${n(s.unconfirmed)} unconfirmed; delivery rate ${pct(s.deliveryRate)}.${failures}`;
}

export function reportReply(r: Json) {
  const e = r.engagement;
  const funnel = `${n(e.delivered)} delivered${e.tracking ? `, ${n(e.opened)} opened (${pct(e.openRate)}), ${n(e.clicked)} clicked (${pct(e.clickRate)})` : ''}`;
  const money = (v: number) => formatMoney(v, r.currency, true);
  const added = r.lift.incrementalRevenue === null ? '' : ` Against the control group, the campaign added about ${money(r.lift.incrementalRevenue)}.`;
  return `Campaign ${r.campaignId} "${r.name}": ${funnel}; ${n(r.sent.converted)} customers ordered within ${r.attributionDays} days (${n(r.sent.orders)} orders, ${money(r.sent.revenue)}).${added} ${r.lift.verdict}${r.abTest ? ` A/B test: ${r.abTest.sentence}` : ''}${r.windowOpen ? ' The window is still open, so later orders may still count.' : ''}`;
}

export function automationPlanReply(a: Json) {
  const warnings = a.warnings?.length ? ` Note: ${a.warnings.join(' ')}` : '';
  if (a.kind === 'journey') return `Planned the journey "${a.name}": ${a.schedule} At most ${n(a.caps.maxPerRun)} messages a pass and ${n(a.caps.maxPerDay)} a day.${warnings}`;
  return `Planned the recurring campaign "${a.name}": ${a.schedule} Each run goes to those matching then (**${n(a.matchingNow)}** today: ${a.sentence}), leaving out anyone it reached within ${a.caps.skipDays} days, at most ${n(a.caps.maxPerRun)} messages a run and ${n(a.caps.maxPerDay)} a day; a run that would send more stops and asks.${warnings}`;
}

export const automationApprovedReply = (a: Json) => `Automation ${a.automationId} is running${a.nextRunAt ? `; its first run is due ${String(a.nextRunAt).replace('T', ' ').slice(0, 16)} UTC` : ': customers enter as it says'}. Pause it any time from the Automations page or by asking me.`;

export function segmentInsightsReply(i: Json) {
  return i.sentences.join(' ');
}

export function historyReply(h: Json) {
  if (!h.campaigns?.length) return 'No campaigns yet. Describe an audience and a message, and I will plan one.';
  return `The latest ${h.campaigns.length} campaigns:\n${h.campaigns.map((c: Json) => `- #${c.id} ${c.name} (${c.channel}, ${c.status}): ${n(c.audience)} recipients, ${n(c.sent)} sent, ${n(c.failed)} failed, delivery rate ${pct(c.deliveryRate)}`).join('\n')}`;
}

export function segmentsReply(s: Json) {
  if (!s.total) return 'No saved segments yet. Describe an audience and add "save as segment <name>".';
  return `${n(s.total)} saved segment${s.total === 1 ? '' : 's'}:\n${s.segments.slice(0, 10).map((x: Json) => `- #${x.id} ${x.name}: ${x.sentence}`).join('\n')}`;
}

export function overviewReply(o: Json, currency: string) {
  const top = o.topCustomers?.[0];
  const year = (o.revenueByMonth ?? []).reduce((s: number, m: Json) => s + Number(m.revenue ?? 0), 0);
  return `${n(o.customers?.total)} customers, ${n(o.customers?.orders)} orders, ${money(o.customers?.revenue, currency)} revenue in all (${money(year, currency)} in the last ${o.revenueByMonth?.length ?? 0} months).${top ? ` Top customer: ${top.name ?? `#${top.id}`} (${money(top.totalSpend, currency)}).` : ''} The dashboard shows months, top customers and RFM groups.`;
}

export const insightsReply = (i: Json) => `Insights:\n${(i.insights ?? []).map((x: Json) => `- ${x.title}: ${x.message}`).join('\n')}`;

export function customersReply(c: Json, currency: string) {
  if (!c.total) return 'No customer matches that name, email, phone or id.';
  if (c.total > 1) return `${n(c.total)} customers match; which one do you mean?\n${c.customers.map((x: Json) => `- #${x.id} ${x.name ?? '(no name)'}${x.email ? ` <${x.email}>` : ''}, ${x.city ?? 'no city'} — ${money(x.totalSpend, currency)} over ${n(x.orderCount)} orders`).join('\n')}`;
  return `${n(c.total)} found${c.total > c.customers.length ? ` (showing ${c.customers.length})` : ''}:\n${c.customers.map((x: Json) => `- #${x.id} ${x.name ?? '(no name)'}, ${x.city ?? 'no city'} — ${money(x.totalSpend, currency)} over ${n(x.orderCount)} orders`).join('\n')}`;
}

export const savedReply = (s: Json) => `Saved as segment #${s.id} "${s.name}": ${s.sentence}.`;

export const failedReply = (tool: string, error: string) => `That did not work (${tool.replace(/_/g, ' ')}): ${error}`;
