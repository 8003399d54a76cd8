import fc from 'fast-check';
import { copyRows, copyText, textArrayLiteral } from '../src/db/copy-text.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

// What an import sends PostgreSQL as COPY text must come back as it was in the file: SKUs and descriptions with
// quotes, backslashes, commas, braces, tabs and line breaks included.
describe('COPY text', () => {
  let db: TestDatabase;
  beforeAll(async () => { db = await createTestDatabase(); });
  afterAll(async () => { await db.drop(); });

  // Any text PostgreSQL can hold (no NUL), weighted toward the characters COPY and array literals treat specially.
  const awkward = fc.string({ unit: fc.oneof(fc.constantFrom('"', '\\', ',', '{', '}', '\t', '\n', '\r', ' ', 'N', 'U', 'L'), fc.string({ minLength: 1, maxLength: 1, unit: 'grapheme' }).filter((c) => !c.includes('\0')), fc.constantFrom('₹', 'é', '😀')), maxLength: 12 });
  const row = fc.record({ cell: fc.option(awkward, { nil: null }), list: fc.array(awkward, { maxLength: 5 }) });

  it('writes any cell and any list of texts so that they are read back unchanged', async () => {
    await db.sql.query('create table copied (n int, cell text, list text[])');
    await fc.assert(fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 20 }), async (rows) => {
      await db.sql.query('truncate copied');
      const text = rows.map((r, n) => [String(n), copyText(r.cell), copyText(textArrayLiteral(r.list))].join('\t') + '\n').join('');
      const client = await db.sql.pool.connect();
      try { await copyRows(client, 'copied (n, cell, list)', text); } finally { client.release(); }
      const back = await db.sql.rows<{ cell: string | null; list: string[] }>('select cell, list from copied order by n');
      expect(back).toEqual(rows.map((r) => ({ cell: r.cell, list: r.list })));
    }), { numRuns: 60 });
  });
});
