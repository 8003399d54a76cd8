import fc from 'fast-check';
import { instantAt } from './time-zone.js';

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
});
