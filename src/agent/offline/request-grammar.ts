import type { Recurrence } from '../../crm/automations/recurrence.js';
import { parseAudience, type AudienceParse } from '../language/audience-parser.js';
import type { RankBy } from '../language/rank-reader.js';
import type { ParseContext } from '../language/conditions.js';
import type { RuleJson } from '../language/rule-json.js';
import { readRecurrence } from './recurrence-words.js';
import { readJourney } from './journey-words.js';
import type { Journey } from '../../crm/automations/journey-input.js';
import { followUpBody, followUpMode, type FollowUp } from './follow-up.js';
import { readSendTime, type SendTime } from './send-time-words.js';
import { withoutTiming } from './timing-words.js';

export type { RuleJson };

export type MessageGoal = 'win_back' | 'thank_you' | 'new_arrivals' | 'offer';

export interface CampaignWish {
  channel: 'email' | 'sms';
  /** The message as the person quoted it; when absent the model drafts one with suggest_messages. */
  template?: string;
  goal: MessageGoal;
  discountPercent?: number;
  /** "send" asks for a launch (which waits for a person's approval); "plan" stops at the plan. */
  send: boolean;
  name?: string;
  /** "every Monday at 10…": a recurring campaign instead of a one-off. */
  recurrence?: Recurrence;
  /** "tomorrow at 10am", "at their best hour": a scheduled campaign. */
  sendTime?: SendTime;
}

/** How the audience words were understood, for the answer to spell out: corrections and stated definitions. */
export interface Understood { corrections: { from: string; to: string }[]; definitions: string[]; everyone: boolean }

/** What one chat message asks for, as far as the offline model understands it. */
export type ChatRequest =
  | { kind: 'help' }
  | { kind: 'overview' }
  | { kind: 'insights' }
  | { kind: 'campaigns' }
  | { kind: 'segments' }
  | { kind: 'imports' }
  | { kind: 'campaign_stats'; campaignId?: number }
  | { kind: 'campaign_report'; campaignId?: number; name?: string }
  | { kind: 'segment_insights' }
  | { kind: 'journey'; journey: Journey }
  | { kind: 'customer_search'; query: string }
  | { kind: 'rank'; by: RankBy; direction: 'desc' | 'asc'; limit: number; rules?: RuleJson; understood: Understood }
  | { kind: 'audience'; rules: RuleJson; saveAs?: string; campaign?: CampaignWish; insights?: boolean; understood?: Understood }
  | { kind: 'follow_up'; followUp: FollowUp; campaign?: CampaignWish; understood: Understood }
  | { kind: 'save_previous'; saveAs: string; campaign?: CampaignWish }
  | { kind: 'campaign_previous'; campaign: CampaignWish }
  | { kind: 'launch_previous' }
  | { kind: 'unclear'; understood: RuleJson | null; unknown: string[]; asks?: string[]; corrections?: { from: string; to: string }[] };

// A quoted message runs from the first double quote to the last, so fallbacks like {{first_name | "there"}} stay inside.
const QUOTED = /(?:"(.{2,})"|“(.{2,})”|(?:saying|says|message|text|reads?|with)\s*:?\s*'([^']{2,})')/is;
const SAVE = /\bsave\b(?:\s+(?:it|this|that|them|these|those|the (?:audience|segment|list)))?\s+as\s+(?:an?\s+|the\s+)?(?:new\s+)?(?:segment|audience|list)?\s*(?:called|named)?\s*(?:"([^"]+)"|“([^”]+)”|'([^']+)'|([^.,;!?]+))?/i;
const CAMPAIGN = /\b(send|email|e-mail|sms|text|message|campaign|offer|reach out|notify|blast|launch|discount|voucher|coupon|promo)\b/i;

function goalOf(text: string): MessageGoal {
  if (/win[- ]?back|miss (?:you|them)|come back|re-?engage|lapsed|quiet/i.test(text)) return 'win_back';
  if (/thank/i.test(text)) return 'thank_you';
  if (/new (?:arrivals?|collection|products?|range|stock)/i.test(text)) return 'new_arrivals';
  return 'offer';
}

// `text` is the request with its quoted message already taken out, so words inside the message decide nothing here.
function campaignWish(text: string, template: string | undefined, today: string): CampaignWish | undefined {
  if (!CAMPAIGN.test(text) && !template) return undefined;
  const recurrence = readRecurrence(text);
  const discount = /(\d{1,2})\s*%/.exec(text);
  const named = /\bcampaign\s+(?:called|named)\s+(?:"([^"]+)"|'([^']+)'|([\w -]{3,40}?))(?=[.,;!?]|\s+(?:to|for|with|saying)\b|$)/i.exec(text);
  return {
    channel: /\b(sms|text message|texts?\b(?! them about)|text them)/i.test(text) ? 'sms' : 'email',
    template,
    goal: goalOf(text),
    discountPercent: discount ? Number(discount[1]) : undefined,
    // Asking for a campaign means sending it (after approval), unless the person only wants a plan or a draft.
    send: !/\b(plan|draft|prepare|preview|would)\b/i.test(text),
    name: named ? (named[1] ?? named[2] ?? named[3]).trim() : undefined,
    recurrence,
    sendTime: recurrence ? undefined : readSendTime(text, today),
  };
}

const ruleKeys = ['all', 'any', 'not', 'field', 'bought', 'ordered', 'received', 'deliveryFailed'];

// A rule written out as JSON (the web chat's rule form sends the corrected rule this way).
function ruleIn(raw: string): { rules: RuleJson; rest: string } | null {
  const start = raw.indexOf('{"');
  const end = raw.lastIndexOf('}');
  if (start < 0 || end < start) return null;
  try {
    const rules = JSON.parse(raw.slice(start, end + 1));
    if (!rules || typeof rules !== 'object' || !Object.keys(rules).some((k) => ruleKeys.includes(k))) return null;
    return { rules, rest: raw.slice(0, start) + raw.slice(end + 1) };
  } catch {
    return null;
  }
}

const EARNED = /\b(make|made|earn|earned|bring in|brought in|revenue|worth it|did (?:it|that|this) work|work out|pay off|paid off|roi|lift|uplift|conversions?|converted)\b/i;
const ABOUT_THEM = /\b(who are (?:they|these|those|them)|tell me (?:more )?about (?:them|these|those|this (?:segment|group|audience))|insights? (?:on|into|for|about) (?:them|these|those|this|that|the (?:segment|group|audience))|profile (?:them|these|this)|describe (?:them|these|this (?:segment|group|audience))|what (?:else )?do (?:they|these customers) buy)\b/i;

const LOOKUP = /\b(?:tell me (?:everything |all )?about|everything (?:we know |we have )?(?:about|on)|look ?up|lookup|profile of|profile for|details (?:of|for|on)|info (?:on|about)|find (?:the )?customer|show (?:me )?(?:the )?customer|who is|pull up|open)\s+(?:the\s+)?(?:customer\s+)?(?:named\s+|called\s+|with (?:the )?email\s+)?([^?.!]{2,80})/i;
const EMAIL = /[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+/i;

const LOOKUP_CUE = /\b(profile|info|information|details|tell me (?:everything |all )?about|everything about|know about|look ?up|lookup|who is|pull up|history of)\b/i;
const cleanQuery = (q: string) => q.replace(/\bcustomers?\b/gi, '').replace(/\b(pls|please|plz|thanks)\b/gi, '').replace(/'s\b/g, '').replace(/[?!.,:]+$/g, '').replace(/\s+/g, ' ').trim();

/** The words nobody recognised, when they read as a person's name (capitalised, or an email): the customer to find. */
function personName(reading: AudienceParse, cue: boolean): string | undefined {
  if (reading.rules || reading.asks.length || !reading.unknown.length || reading.unknown.length > 4) return undefined;
  // "Abu Dhabi custs": unknown words beside a word for customers name a group, unless asked for a profile.
  if (reading.mentionsPeople && !cue) return undefined;
  const words = reading.unknown.map((w) => w.replace(/'s$/, ''));
  return words.every((w) => /^[A-Z][a-zA-Z'.-]*$/.test(w)) ? words.join(' ') : undefined;
}

const understoodOf = (reading: AudienceParse): Understood => ({ corrections: reading.corrections, definitions: reading.definitions, everyone: reading.everyone });
/** Every customer, as a rule: what "everyone" and a ranking with no narrowing condition stand for. */
export const EVERYONE_RULE: RuleJson = { field: 'order_count', op: 'gte', value: 0 };

/** Reads one chat message. `ctx` holds today (YYYY-MM-DD where the business is) and the data's names. */
export function readRequest(message: string, ctx: ParseContext): ChatRequest {
  const { today } = ctx;
  const written = ruleIn(message);
  if (written) {
    const rest = readRequest(written.rest, ctx);
    const wish = rest.kind === 'audience' || rest.kind === 'campaign_previous' || rest.kind === 'save_previous' ? rest : null;
    return { kind: 'audience', rules: written.rules, saveAs: wish && 'saveAs' in wish ? wish.saveAs : undefined, campaign: wish?.campaign };
  }
  const raw = message;
  // "After a first order, a thank-you, then a week later a tip…": a journey, read before any audience words.
  const journey = readJourney(raw);
  if (journey) return { kind: 'journey', journey };
  const save = SAVE.exec(raw);
  const saveAs = save ? (save[1] ?? save[2] ?? save[3] ?? save[4] ?? '').trim() || undefined : undefined;
  const unsaved = raw.replace(SAVE, ' ');
  const quoted = QUOTED.exec(unsaved);
  const template = quoted ? (quoted[1] ?? quoted[2] ?? quoted[3]).trim() : undefined;
  const text = unsaved.replace(QUOTED, ' ').replace(/\s+/g, ' ').trim();
  const lower = text.toLowerCase();
  const campaign = campaignWish(text, template, today);

  if (saveAs && lower === '') return { kind: 'save_previous', saveAs, campaign };
  if (lower === '') return { kind: 'help' };
  const numbered = /campaign\s*#?\s*(\d+)/i.exec(lower);
  // "How much did the win-back campaign make?", "did campaign 12 work?": what it earned, not how it was delivered.
  if (EARNED.test(lower) && /\bcampaign\b/i.test(lower) && !/\b(received|got|get|were sent)\b/.test(lower)) {
    const named = /\b(?:the|our|my|that)\s+([a-z0-9][\w %'&-]{1,60}?)\s+campaign\b/i.exec(text);
    return { kind: 'campaign_report', campaignId: numbered ? Number(numbered[1]) : undefined, name: numbered || !named || /^(last|latest|recent|newest|previous)$/i.test(named[1]) ? undefined : named[1].trim() };
  }
  if (/\b(stats|statistics|results?|performance|how did|how is|how's|delivery rate|report|delivered|doing)\b/i.test(lower) && /\bcampaign\b/i.test(lower)
    && (numbered || /\b(last|latest|recent|newest|previous)\b/i.test(lower))) return { kind: 'campaign_stats', campaignId: numbered ? Number(numbered[1]) : undefined };
  if (ABOUT_THEM.test(lower) && !/\b(in|from|who|spent|ordered|bought)\b/.test(lower.replace(ABOUT_THEM, ''))) return { kind: 'segment_insights' };
  const lookup = LOOKUP.exec(text);
  const email = EMAIL.exec(text);
  if (email && !CAMPAIGN.test(lower.replace(email[0].toLowerCase(), ''))) return { kind: 'customer_search', query: email[0] };

  // A follow-up to the audience just counted: "only those in Mumbai", "exclude the unsubscribed", "what about 60 days?".
  // "What about customers in Chandigarh who …" names a whole audience: a new question, not a change to the last.
  // So does "only the Chennai and Kochi customers who …": a whole description, with its own word for customers.
  const freshWhatAbout = /^\s*(?:what|how) about\s+(?:the\s+|our\s+|all\s+)?(?:customers|people|shoppers|buyers|users|clients)\b/i.test(text)
    || /^\s*only\s+(?:the|our)\s+[\w\s,&-]{1,60}?\b(?:customers|people|shoppers|buyers|users|clients)\b/i.test(text);
  const mode = freshWhatAbout ? null : followUpMode(text);
  if (mode) {
    const reading = parseAudience(followUpBody(text), ctx);
    // "Not hotmail, not rediffmail, spent over 12k…": a bare "not" before several conditions opens a description.
    const fresh = mode === 'exclude' && /^\s*not\b/i.test(text) && reading.conditions.length > 1;
    if (!fresh && reading.rules && !reading.asks.length && !reading.unknown.length) return { kind: 'follow_up', followUp: { mode, reading }, campaign, understood: understoodOf(reading) };
  }

  // A campaign's timing ("every Monday at 10", "tomorrow at 9am") is not about who gets it.
  const reading = parseAudience(campaign?.recurrence || campaign?.sendTime ? withoutTiming(text) : text, ctx);
  // Greetings, "go ahead", "how do I import…": only when the message names no customers ("Hi, how many customers in
  // Pune?" is a question about Pune; "yes, send it tomorrow at 9" is a new time, not the old plan).
  const plain = !reading.rules && !reading.rank && !reading.everyone;
  if (plain && /^\s*(hi|hello|hey|help|what can you do|how does this work|who are you|\?)\b/i.test(lower) && lower.split(/\s+/).length <= 6) return { kind: 'help' };
  if (plain && /\b(launch|send|go ahead|approve|do it|ship it|yes)\b/i.test(lower) && /\b(it|that|this|the campaign|now|ahead|yes)\b/i.test(lower) && !template && !saveAs
    && !campaign?.sendTime && lower.split(/\s+/).length <= 6 && !/\b(them|those|customers)\b/.test(lower)) return { kind: 'launch_previous' };
  if (plain && /\b(import|upload)\b/i.test(lower) && /\b(how|where|can i|want to|file|csv|data)\b/i.test(lower)) return { kind: 'imports' };
  if (reading.rank && !reading.asks.length && !reading.unknown.length) {
    return { kind: 'rank', ...reading.rank, rules: reading.rules ?? undefined, understood: understoodOf(reading) };
  }
  if (reading.rules && !reading.asks.length && !reading.unknown.length) {
    return { kind: 'audience', rules: reading.rules, saveAs, campaign, insights: ABOUT_THEM.test(lower) || undefined, understood: understoodOf(reading) };
  }
  // A ranking that is not fully understood is asked about, not taken for a question about the business.
  if (!reading.rules && !reading.asks.length && !reading.rank) {
    if (saveAs) return { kind: 'save_previous', saveAs, campaign };
    if (/\bcampaigns\b|campaign history/i.test(lower) && !template) return { kind: 'campaigns' };
    if (/\bsegments\b/i.test(lower)) return { kind: 'segments' };
    if (/\b(insights?|churn|lifetime value|ltv|best (?:time|hour|day)|when should (?:i|we) send|at risk)\b/i.test(lower)) return { kind: 'insights' };
    if (/\b(overview|dashboard|summary|how (?:are|is) (?:we|business|the business|sales) doing|kpis?|key (?:numbers|figures|metrics)|revenue|top customers|rfm)\b/i.test(lower)) return { kind: 'overview' };
  }
  // "How many customers do we have?", "the size of our customer base", "email everyone".
  if (reading.everyone) return { kind: 'audience', rules: EVERYONE_RULE, saveAs, campaign, understood: understoodOf(reading) };
  // A person's name, and nothing else the parser knows: "info on Vikram Singh", "what do we know about Ananya Das?".
  const cue = !!lookup || LOOKUP_CUE.test(lower);
  const name = personName(reading, cue);
  if (name && (cue || reading.unknown.length >= 2)) return { kind: 'customer_search', query: name };
  if (!reading.rules && !reading.asks.length) {
    if (lookup && /customer|find|look ?up|lookup|who is|tell me about|profile|details|info/i.test(lower)) return { kind: 'customer_search', query: cleanQuery(lookup[1]) };
    if (campaign && !reading.unknown.length) return { kind: 'campaign_previous', campaign };
  }
  if (lookup && !reading.rules) return { kind: 'customer_search', query: cleanQuery(lookup[1]) };
  // "The customer with email imran@…": a whole e-mail address names one person.
  const address = reading.unknown.find((u) => /^[\w.+-]+@[\w-]+(\.[\w-]+)+$/.test(u));
  if (address && reading.unknown.length === 1 && !reading.asks.length) return { kind: 'customer_search', query: address.toLowerCase() };
  return { kind: 'unclear', understood: reading.rules, unknown: reading.unknown, asks: reading.asks.map((a) => a.question), corrections: reading.corrections };
}
