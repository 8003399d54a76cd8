import fc from 'fast-check';
import { smsSegmentsSql, smsSize } from '../src/crm/delivery/sms/sms-segments.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

// What a carrier bills: the plan's figure (computed in JavaScript) and the launch's check (the same rules in SQL,
// over every frozen text) must agree, and both must follow GSM 03.38 and UCS-2 at the segment edges.
describe('SMS segments', () => {
  let db: TestDatabase;
  beforeAll(async () => { db = await createTestDatabase(); });
  afterAll(() => db.drop());

  it('counts the edges as carriers do', () => {
    expect(smsSize('a'.repeat(160))).toEqual({ encoding: 'GSM-7', characters: 160, segments: 1 });
    expect(smsSize('a'.repeat(161))).toEqual({ encoding: 'GSM-7', characters: 161, segments: 2 });
    expect(smsSize('a'.repeat(306))).toMatchObject({ segments: 2 });
    expect(smsSize('a'.repeat(307))).toMatchObject({ segments: 3 });
    expect(smsSize('€'.repeat(80))).toEqual({ encoding: 'GSM-7', characters: 160, segments: 1 });
    expect(smsSize('₹' + 'a'.repeat(69))).toEqual({ encoding: 'UCS-2', characters: 70, segments: 1 });
    expect(smsSize('₹' + 'a'.repeat(70))).toEqual({ encoding: 'UCS-2', characters: 71, segments: 2 });
    expect(smsSize('🎉').characters).toBe(2);
  });

  it('agrees with the SQL the launch uses, for any text of GSM and other characters', async () => {
    const gsm = fc.constantFrom(...'@£$¥èéùìòÇ\nØøÅåΔ_ΦΓΛΩΠΨΣΘΞ ÆæßÉ!"#¤%&\'()*+,-./0123456789:;<=>?¡ABCXYZÄÖÑÜ§¿abcxyzäöñüà^{}\\[~]|€'.split(''));
    const other = fc.constantFrom('₹', 'ą', 'ß', 'ç', 'न', '“', '’');
    const text = fc.oneof(
      fc.array(gsm, { maxLength: 700 }).map((a) => a.join('')),
      fc.tuple(fc.array(gsm, { maxLength: 300 }), other, fc.array(gsm, { maxLength: 200 })).map(([a, o, b]) => a.join('') + o + b.join('')),
    );
    await fc.assert(fc.asyncProperty(text, async (t) => {
      const [row] = await db.sql.rows<{ segments: number }>(`select ${smsSegmentsSql('$1::text')} as segments`, [t]);
      expect(row.segments).toBe(smsSize(t).segments);
    }), { numRuns: 300 });
  });
});
