// The words of a request that say when a campaign goes out ("every Monday at 10", "tomorrow at 9am", "at their best
// hour"): read by recurrence-words.ts and send-time-words.ts, and taken out before the audience is read, so that
// "Monday" or "10" is not mistaken for a condition on customers.

const DAY = '(?:sun|mon|tues|wednes|thurs|fri|satur)day';
const TIMING = new RegExp([
  String.raw`\b(?:every|each)\s+(?:day|week|month|morning|evening|${DAY})s?\b`,
  String.raw`\b(?:daily|weekly|monthly|fortnightly)\b`,
  String.raw`\b(?:on\s+)?(?:this\s+|next\s+|coming\s+)?${DAY}s?\b`,
  String.raw`\bon the \d{1,2}(?:st|nd|rd|th)?(?:\s+of (?:the|each|every) month)?\b`,
  String.raw`\bat\s+\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)?(?!\s*(?:%|\d|k\b|orders?|times|days?))`,
  String.raw`\b(?:tomorrow|tonight|this evening|this afternoon)(?:\s+morning)?\b`,
  String.raw`\b(?:at|in)\s+(?:their|each customer'?s?|the)\s+best\s+(?:hour|time)\b`,
  String.raw`\bin the (?:morning|evening|afternoon)\b`,
  String.raw`\b(?:at\s+)?(?:noon|midday)\b`,
].join('|'), 'gi');

/** The request without its timing words. */
export function withoutTiming(text: string): string {
  return text.replace(TIMING, ' ').replace(/\s+/g, ' ').replace(/^[\s,;:.—–-]+/, '').trim();
}
