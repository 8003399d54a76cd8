import type { Recurrence } from '../../crm/automations/recurrence.js';

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;

/** "at 10", "at 9:30", "at 7pm", "at 19:00": the time as HH:mm, 10:00 when none is given. */
function timeIn(text: string): string {
  const at = /\bat\s+(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?(?!\s*%)/i.exec(text);
  if (!at) return /\bmorning\b/i.test(text) ? '09:00' : /\bevening\b/i.test(text) ? '18:00' : '10:00';
  let hour = Number(at[1]);
  const pm = /^p/i.test(at[3] ?? '');
  if (pm && hour < 12) hour += 12;
  if (/^a/i.test(at[3] ?? '') && hour === 12) hour = 0;
  if (hour > 23) return '10:00';
  return `${String(hour).padStart(2, '0')}:${at[2] ?? '00'}`;
}

/**
 * How often a request asks for a campaign to go out, if it does: "every Monday at 10", "each week", "daily at 9am",
 * "every month on the 5th", "weekly on Fridays". Weekly without a day is Monday; monthly without a day is the 1st.
 */
export function readRecurrence(text: string): Recurrence | undefined {
  const lower = text.toLowerCase();
  const day = WEEKDAYS.find((d) => new RegExp(`\\b(?:every|each|on)\\s+${d}s?\\b|\\b${d}s\\b`).test(lower));
  const at = timeIn(lower);
  if (day && /\b(every|each|weekly)\b|\b(mon|tues|wednes|thurs|fri|satur|sun)days\b/.test(lower)) return { every: 'week', on: day, at };
  if (/\b(every|each)\s+(day|morning|evening)\b|\bdaily\b/.test(lower)) return { every: 'day', at };
  if (/\b(every|each)\s+week\b|\bweekly\b/.test(lower)) return { every: 'week', on: 'monday', at };
  if (/\b(every|each)\s+month\b|\bmonthly\b/.test(lower)) {
    const date = /\bon the (\d{1,2})(?:st|nd|rd|th)?\b/.exec(lower);
    return { every: 'month', day: date ? Math.min(28, Math.max(1, Number(date[1]))) : 1, at };
  }
  return undefined;
}
