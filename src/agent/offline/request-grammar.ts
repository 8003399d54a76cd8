import type { Recurrence } from '../../crm/automations/recurrence.js';
import { readAudience, type RuleJson } from './audience-grammar.js';
import { readRecurrence } from './recurrence-words.js';
import { readJourney } from './journey-words.js';
import type { Journey } from '../../crm/automations/journey-input.js';

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
}

/** What one chat message asks for, as far as the offline model understands it. */
export type ChatRequest =
  | { kind: 'help' }
  | { kind: 'overview' }
  | { kind: 'insights' }
  | { kind: 'campaigns' }
  | { kind: 'segments' }
  | { kind: 'campaign_stats'; campaignId?: number }
  | { kind: 'campaign_report'; campaignId?: number; name?: string }
  | { kind: 'segment_insights' }
  | { kind: 'journey'; journey: Journey }
  | { kind: 'customer_search'; query: string }
  | { kind: 'audience'; rules: RuleJson; saveAs?: string; campaign?: CampaignWish; insights?: boolean }
  | { kind: 'save_previous'; saveAs: string; campaign?: CampaignWish }
  | { kind: 'campaign_previous'; campaign: CampaignWish }
  | { kind: 'launch_previous' }
  | { kind: 'unclear'; understood: RuleJson | null; unknown: string[] };

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
function campaignWish(text: string, template: string | undefined): CampaignWish | undefined {
  if (!CAMPAIGN.test(text) && !template) return undefined;
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
    recurrence: readRecurrence(text),
  };
}

// Sentences that ask for a campaign may hold words the audience reader does not know ("a 10% win-back offer").
const sentences = (text: string) => text.split(/(?<=[.?!;])\s+|\s+[—–]\s+|\s+-\s+/).filter((s) => s.trim());

const ruleKeys = ['all', 'any', 'not', 'field', 'bought', 'received', 'deliveryFailed'];

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

/** Reads one chat message. `today` is YYYY-MM-DD in the business time zone. */
export function readRequest(message: string, today: string): ChatRequest {
  const written = ruleIn(message);
  if (written) {
    const rest = readRequest(written.rest, today);
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
  const campaign = campaignWish(text, template);

  const rules: RuleJson[] = [];
  const unknown: string[] = [];
  for (const sentence of sentences(text)) {
    const reading = readAudience(sentence, { today });
    if (reading.rules) rules.push(reading.rules);
    if (!CAMPAIGN.test(sentence)) unknown.push(...reading.unknown);
  }
  const audience = rules.length === 0 ? null : rules.length === 1 ? rules[0] : { all: rules };

  if (!audience) {
    if (saveAs) return { kind: 'save_previous', saveAs, campaign };
    if (/^\s*(hi|hello|hey|help|what can you do|how does this work|who are you|\?)\b/i.test(lower) || lower === '') return { kind: 'help' };
    if (/\b(launch|send|go ahead|approve|do it|ship it|yes)\b/i.test(lower) && /\b(it|that|this|the campaign|now|ahead|yes)\b/i.test(lower) && !template && !saveAs) return { kind: 'launch_previous' };
    const stats = /campaign\s*#?\s*(\d+)/i.exec(lower);
    // "How much did the win-back campaign make?", "did campaign 12 work?": what it earned, not how it was delivered.
    if (EARNED.test(lower) && /\bcampaign\b/i.test(lower)) {
      const named = /\b(?:the|our|my|that)\s+([a-z0-9][\w %'&-]{1,60}?)\s+campaign\b/i.exec(text);
      return { kind: 'campaign_report', campaignId: stats ? Number(stats[1]) : undefined, name: stats || !named || /^(last|latest|recent|newest|previous)$/i.test(named[1]) ? undefined : named[1].trim() };
    }
    if (ABOUT_THEM.test(lower)) return { kind: 'segment_insights' };
    if (/\b(stats|statistics|results?|performance|how did|how is|how's|delivery rate|report|delivered|doing)\b/i.test(lower) && /\bcampaign\b/i.test(lower)) {
      if (stats || /\b(last|latest|recent|newest|previous)\b/i.test(lower)) return { kind: 'campaign_stats', campaignId: stats ? Number(stats[1]) : undefined };
    }
    if (/\bcampaigns\b|campaign history/i.test(lower) && !template) return { kind: 'campaigns' };
    if (/\bsegments\b/i.test(lower)) return { kind: 'segments' };
    if (/\b(insights?|churn|lifetime value|ltv|best (?:time|hour|day)|when should (?:i|we) send|at risk)\b/i.test(lower)) return { kind: 'insights' };
    if (/\b(overview|dashboard|summary|how (?:are|is) (?:we|business|the business|sales) doing|kpis?|key (?:numbers|figures|metrics)|revenue|top customers|rfm)\b/i.test(lower)) return { kind: 'overview' };
    const who = /\b(?:find|look up|lookup|search(?: for)?|who is|show me|details (?:of|for)|tell me about)\s+(?:the\s+)?(?:customer\s+)?(?:named\s+|called\s+|with email\s+)?([^?.!]{2,80})/i.exec(text);
    if (who && /customer|@|find|look up|lookup|search|who is/i.test(lower)) return { kind: 'customer_search', query: who[1].replace(/\bcustomers?\b/gi, '').trim() };
    if (campaign) return { kind: 'campaign_previous', campaign };
    return { kind: 'unclear', understood: null, unknown };
  }
  if (unknown.length) return { kind: 'unclear', understood: audience, unknown };
  return { kind: 'audience', rules: audience, saveAs, campaign, insights: ABOUT_THEM.test(lower) || undefined };
}
