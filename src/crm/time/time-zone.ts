// Dates a marketer types ("before 1 March") mean midnight where the business is, not midnight in UTC.

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string) {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    formatters.set(zone, f);
  }
  return f;
}

export function isTimeZone(zone: string) {
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

/** How far the zone's wall clock is ahead of UTC at instant t, in milliseconds. */
function offsetAt(t: number, zone: string) {
  const parts = Object.fromEntries(formatter(zone).formatToParts(new Date(t)).map((p) => [p.type, p.value]));
  const wall = Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour, +parts.minute, +parts.second);
  return wall - Math.floor(t / 1000) * 1000;
}

/** The instant a calendar day (YYYY-MM-DD) begins in the zone. */
export function startOfDay(day: string, zone: string): Date {
  const utcMidnight = Date.parse(`${day}T00:00:00Z`);
  let t = utcMidnight - offsetAt(utcMidnight, zone);
  // Once more in case the offset differs at the corrected instant (a daylight-saving change that night).
  t = utcMidnight - offsetAt(t, zone);
  return new Date(t);
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar day (YYYY-MM-DD) an instant falls on in the zone. */
export function dayIn(instant: Date, zone: string): string {
  let f = dayFormats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(zone, f);
  }
  return f.format(instant);
}

/** The calendar day after `day`. */
export function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/**
 * The instant the zone's wall clock shows `day` (YYYY-MM-DD) at `time` (HH:mm). A time the clock skips when
 * daylight saving starts comes out an hour later (02:30 for 01:30 in London on the last Sunday of March); a time it
 * shows twice when it ends is taken the second time.
 */
export function instantAt(day: string, time: string, zone: string): Date {
  const wall = Date.parse(`${day}T${time}:00Z`);
  let t = wall - offsetAt(wall, zone);
  t = wall - offsetAt(t, zone);
  return new Date(t);
}

const wallFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * The instant `days` calendar days after `instant` at the same wall-clock time where the business is. A journey's
 * "wait 7 days" after a 10:00 message means 10:00 a week later, also across a daylight-saving change, not 168 hours
 * (which would land at 09:00 or 11:00). Seconds are kept; a time the clock skips on the target day comes out an hour
 * later, as `instantAt` states.
 */
export function daysLaterAt(instant: Date, days: number, zone: string): Date {
  if (days === 0) return instant;
  let f = wallFormats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('sv-SE', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    wallFormats.set(zone, f);
  }
  const [day, time] = f.format(instant).split(' ');
  const target = new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
  return new Date(instantAt(target, time, zone).getTime() + (instant.getTime() % 60_000 + 60_000) % 60_000);
}
