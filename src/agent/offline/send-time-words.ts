// When a person asks for a campaign to go later: "tomorrow at 10am", "on Friday at 6 pm", "on 5 December at 10:00",
// "at their best time". Read as a local time where the business is ("YYYY-MM-DD HH:mm"), which plan_campaign checks.

const weekdays = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const months = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const iso = (d: Date) => d.toISOString().slice(0, 10);

export interface SendTime { sendAt?: string; bestHour?: boolean }

// Dates that describe the customers, not the send: "who ordered on 5 March", "joined today".
const AUDIENCE_DATE = /\b(?:order(?:ed|s)?|bought|purchased|joined|signed up|shopped|placed|registered|visited|last seen|purchase)\b(?:\s+[\w']+){0,4}?\s+(?:on|since|before|after|in|during|today|yesterday|this)\b(?:\s+[\w,]+){0,3}/g;

/** `today` is YYYY-MM-DD where the business is. Returns nothing when the words name no later time. */
export function readSendTime(text: string, today: string): SendTime | undefined {
  const t = text.toLowerCase().replace(AUDIENCE_DATE, ' ');
  const bestHour = /\b(their|each customer'?s?|the|its) best (hour|time)\b|\bbest[- ]time to send\b/.test(t) || undefined;
  const base = new Date(`${today}T00:00:00Z`);
  let day: string | undefined;
  if (/\btomorrow\b/.test(t)) day = iso(new Date(base.getTime() + 86_400_000));
  else if (/\b(today|tonight|this evening|this afternoon)\b/.test(t)) day = today;
  const weekday = /\b(?:on|this|next|coming)\s+(sunday|monday|tuesday|wednesday|thursday|friday|saturday)\b/.exec(t);
  if (!day && weekday) {
    const wanted = weekdays.indexOf(weekday[1]);
    const ahead = ((wanted - base.getUTCDay() + 7) % 7) || 7;
    day = iso(new Date(base.getTime() + ahead * 86_400_000));
  }
  const date = /\bon\s+(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?([a-z]{3})[a-z]*\b|\bon\s+([a-z]{3})[a-z]*\s+(\d{1,2})(?:st|nd|rd|th)?\b/.exec(t);
  if (!day && date) {
    const m = months.indexOf(date[2] ?? date[3]);
    const d = Number(date[1] ?? date[4]);
    if (m >= 0) {
      let y = base.getUTCFullYear();
      if (Date.UTC(y, m, d) < base.getTime()) y++;
      day = iso(new Date(Date.UTC(y, m, d)));
    }
  }
  const clock = /\bat\s+(\d{1,2})(?:[:.](\d{2}))?(?![\d%])\s*(am|pm|a\.m\.|p\.m\.)?(?!\s*(?:%|days?|orders?|times))/.exec(t) ?? (/\b(noon|midday)\b/.test(t) ? ['', '12', '00', undefined] as const : null);
  if (!day && !clock) return bestHour ? { bestHour } : undefined;
  let hour = clock ? Number(clock[1]) : 10;
  const minute = clock?.[2] ? Number(clock[2]) : 0;
  const half = clock?.[3]?.[0];
  if (half === 'p' && hour < 12) hour += 12;
  if (half === 'a' && hour === 12) hour = 0;
  if (hour > 23 || minute > 59) return undefined;
  if (/\b(evening|tonight)\b/.test(t) && !clock) hour = 18;
  return { sendAt: `${day ?? today} ${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`, ...(bestHour ? { bestHour } : {}) };
}
