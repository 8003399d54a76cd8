/**
 * When SMS quiet hours ("21:00-09:00" in the business's time zone) end, if `now` falls inside them; null otherwise.
 * A window that crosses midnight is the usual case; an empty setting means no quiet hours.
 */
export function quietHoursEnd(now: Date, window: string, zone: string): Date | null {
  const match = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/.exec(window);
  if (!match) return null;
  const [start, end] = [Number(match[1]) * 60 + Number(match[2]), Number(match[3]) * 60 + Number(match[4])];
  if (start === end) return null;
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(now);
  const local = Number(parts.find((p) => p.type === 'hour')!.value) * 60 + Number(parts.find((p) => p.type === 'minute')!.value);
  const quiet = start < end ? local >= start && local < end : local >= start || local < end;
  if (!quiet) return null;
  const minutes = (end - local + 1440) % 1440;
  const startOfMinute = Math.floor(now.getTime() / 60_000) * 60_000;
  return new Date(startOfMinute + minutes * 60_000);
}
