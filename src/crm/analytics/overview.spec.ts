import { markPartialMonths } from './overview.js';

describe('markPartialMonths', () => {
  const months = ['2025-12', '2026-01', '2026-11', '2026-12'].map((month) => ({ month }));
  const now = new Date('2026-12-04T20:00:00Z'); // already 5 December in Kolkata

  it('marks the month under way, in the business time zone, and the month the orders begin in after its first day', () => {
    expect(markPartialMonths(months, '2025-12-09', now, 'Asia/Kolkata').map((m) => m.partial)).toEqual(['from 2025-12-09', null, null, 'to 2026-12-05']);
    expect(markPartialMonths(months, '2025-12-09', now, 'UTC').at(-1)!.partial).toBe('to 2026-12-04');
  });

  it('leaves a month whole when the orders begin on its first day or before it', () => {
    expect(markPartialMonths(months, '2025-12-01', now, 'UTC')[0].partial).toBeNull();
    expect(markPartialMonths(months, '2024-03-17', now, 'UTC')[0].partial).toBeNull();
    expect(markPartialMonths(months, null, now, 'UTC')[0].partial).toBeNull();
  });
});
