import type { Journey, JourneyStep } from '../../crm/automations/journey-input.js';

type Send = { send: { channel: 'email' | 'sms'; subject?: string; template: string } };

// What the offline model writes when a journey's message is named but not quoted; the plan shows it for approval.
const drafts: { words: RegExp; subject: string; template: string }[] = [
  { words: /thank[- ]?you|thanks/i, subject: 'Thank you, {{first_name | "friend"}}', template: 'Thank you for your order, {{first_name | "friend"}}! We hope you love it.' },
  { words: /\btips?\b|how[- ]to|guide/i, subject: 'A tip for you', template: 'A tip from us, {{first_name | "friend"}}: reply to this email with any question about your order, and we will help.' },
  { words: /win[- ]?back|miss you|come back/i, subject: 'We miss you, {{first_name | "friend"}}', template: 'We miss you, {{first_name | "friend"}}! Come back and see what is new.' },
  { words: /offer|discount|% off|coupon|voucher/i, subject: 'An offer for you', template: 'An offer for you, {{first_name | "friend"}}: see what is waiting in the shop.' },
  { words: /review|feedback/i, subject: 'How was it?', template: 'How was your order, {{first_name | "friend"}}? Reply and tell us.' },
];

const ENTRY: [RegExp, Journey['entry']][] = [
  [/\b(after|on|with)\s+(a|their|the|his|her)?\s*first\s+(order|purchase)\b|\bfirst[- ]time (buyers?|customers?)\b/i, { event: 'first_order' }],
  [/\b(after|on|with|whenever|every time)\s+(any|every|each|an?)?\s*(order|purchase)s?\b|\bwhenever (someone|a customer|they) (orders|buys)\b/i, { event: 'any_order' }],
  [/\b(sign(s|ed)? up|signup|joins?|(is|are) added|new (customer|subscriber)s?)\b/i, { event: 'imported' }],
];
const UNLESS = /\b(unless|if not|except if) (they|he|she|the customer)( have| has)? (ordered|bought|purchased)( again)?\b|\bif (they|the customer) (haven't|have not|didn't|did not) (ordered|bought)( again)?\b/i;
const NUMBER: Record<string, number> = { a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, ten: 10, fourteen: 14 };

/** "a week later", "3 days later", "after two days", "the next day": the wait, in days. */
function waitIn(part: string): number | null {
  if (/\b(the )?next day\b|\btomorrow\b/i.test(part)) return 1;
  const m = /\b(?:after\s+)?(a|an|one|two|three|four|five|six|seven|ten|fourteen|\d{1,3})\s+(day|week|month)s?(?:\s+later)?\b/i.exec(part);
  if (!m || !/later|after/i.test(part)) return null;
  const n = NUMBER[m[1].toLowerCase()] ?? Number(m[1]);
  return n * (m[2].toLowerCase() === 'week' ? 7 : m[2].toLowerCase() === 'month' ? 30 : 1);
}

/**
 * A journey written in a sentence: "After a first order, a thank-you, then a week later a tip, unless they ordered
 * again." The entry comes from the opening words; each part after it (split at "then") may wait, may hold a
 * condition ("unless they ordered again", which skips that message), and names or quotes a message. Returns null
 * when the words are not a journey, or when a message is neither quoted nor one the model knows how to draft.
 */
export function readJourney(text: string): Journey | null {
  const entry = ENTRY.find(([words]) => words.test(text))?.[1];
  if (!entry || !/\bthen\b|\blater\b/i.test(text)) return null;
  const body = text.replace(/^[^,]*,/, '');
  const parts = body.split(/,?\s*\b(?:and\s+)?then\b\s*/i).map((p) => p.trim()).filter(Boolean);
  const channel: 'email' | 'sms' = /\b(sms|texts?|text message)\b/i.test(text) ? 'sms' : 'email';
  const steps: JourneyStep[] = [];
  const exits: number[] = [];
  for (const part of parts) {
    const days = waitIn(part);
    if (days) steps.push({ wait: { days, hours: 0 } });
    if (UNLESS.test(part)) {
      exits.push(steps.length);
      steps.push({ branch: { if: 'ordered_since_entry', then: 0, else: steps.length + 2 } });
    }
    const quoted = /"([^"]{2,})"|“([^”]{2,})”/.exec(part);
    const draft = drafts.find((d) => d.words.test(part));
    if (!quoted && !draft) return null;
    const send: Send = { send: { channel, template: quoted ? (quoted[1] ?? quoted[2]) : draft!.template, ...(channel === 'email' ? { subject: draft?.subject ?? 'A note from us' } : {}) } };
    steps.push(send);
  }
  if (!steps.some((s) => 'send' in s)) return null;
  if (exits.length) steps.push({ exit: {} });
  // Every "unless" leads to the closing exit.
  for (const i of exits) (steps[i] as { branch: { then: number } }).branch.then = steps.length;
  return { entry, steps, exitOnConversion: false, reentry: 'never' };
}
