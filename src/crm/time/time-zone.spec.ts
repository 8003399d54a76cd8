import fc from 'fast-check';
import { daysLaterAt, instantAt } from './time-zone.js';

describe('a wall-clock time where the business is', () => {
  it('is the instant that zone shows it, through daylight-saving days as stated', () => {
    expect(instantAt('2026-12-05', '10:00', 'Asia/Kolkata').toISOString()).toBe('2026-12-05T04:30:00.000Z');
    // London springs forward at 01:00 UTC on 28 March 2027: 01:30 never shows, and comes out an hour later (02:30 BST).
    expect(instantAt('2027-03-28', '01:30', 'Europe/London').toISOString()).toBe('2027-03-28T01:30:00.000Z');
    // It falls back on 31 October 2027: 01:30 shows twice, and the second (GMT) is taken.
    expect(instantAt('2027-10-31', '01:30', 'Europe/London').toISOString()).toBe('2027-10-31T01:30:00.000Z');
    expect(instantAt('2027-07-01', '09:00', 'America/New_York').toISOString()).toBe('2027-07-01T13:00:00.000Z');
  });

  it('shows the same wall-clock time back in that zone, for any time the clock does not skip', () => {
    const show = (d: Date, zone: string) => new Intl.DateTimeFormat('sv-SE', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(d).replace(' ', 'T');
    fc.assert(fc.property(
      fc.date({ min: new Date('2026-01-01T00:00:00Z'), max: new Date('2028-12-31T00:00:00Z'), noInvalidDate: true }),
      fc.constantFrom('Asia/Kolkata', 'Europe/London', 'America/New_York', 'Australia/Sydney', 'UTC'),
      (date, zone) => {
        const [day, time] = show(date, zone).split('T');
        expect(show(instantAt(day, time, zone), zone)).toBe(`${day}T${time}`);
      },
    ), { numRuns: 500 });
  });

  it('keeps a wait of whole days at the same wall-clock time, across daylight-saving changes', () => {
    // 10:00 GMT on Saturday 27 March 2027; London springs forward that night, so a day later 10:00 is 09:00 UTC.
    expect(daysLaterAt(new Date('2027-03-27T10:00:00Z'), 1, 'Europe/London').toISOString()).toBe('2027-03-28T09:00:00.000Z');
    // And falls back on 31 October: a week after 10:00 BST on the 25th is 10:00 GMT.
    expect(daysLaterAt(new Date('2027-10-25T09:00:00Z'), 7, 'Europe/London').toISOString()).toBe('2027-11-01T10:00:00.000Z');
    expect(daysLaterAt(new Date('2027-03-27T10:00:12.345Z'), 0, 'Europe/London').toISOString()).toBe('2027-03-27T10:00:12.345Z');
    const show = (d: Date, zone: string) => new Intl.DateTimeFormat('sv-SE', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(d);
    fc.assert(fc.property(
      fc.date({ min: new Date('2026-01-01T00:00:00Z'), max: new Date('2028-12-31T00:00:00Z'), noInvalidDate: true }),
      fc.integer({ min: 1, max: 365 }),
      fc.constantFrom('Asia/Kolkata', 'Europe/London', 'America/New_York', 'Australia/Sydney', 'UTC'),
      (date, days, zone) => {
        const later = daysLaterAt(date, days, zone);
        // Within an hour of plain 24-hour days (the daylight-saving shift), and at the same wall-clock time unless the
        // clock skips that time on the day (then an hour later).
        expect(Math.abs(later.getTime() - date.getTime() - days * 86_400_000)).toBeLessThanOrEqual(3_600_000);
        const [h1, m1] = show(date, zone).split(':').map(Number);
        const [h2, m2] = show(later, zone).split(':').map(Number);
        expect(m2).toBe(m1);
        expect([h1, (h1 + 1) % 24]).toContain(h2);
        expect(later.getSeconds()).toBe(date.getSeconds());
      },
    ), { numRuns: 500 });
  });
});

