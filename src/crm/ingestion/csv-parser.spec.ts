import fc from 'fast-check';
import { CsvParser, type ParsedLine } from './csv-parser.js';

function parse(text: string, chunkSize = 7, maxLineBytes = 1000): ParsedLine[] {
  const sut = new CsvParser({ delimiter: ',', maxLineBytes });
  const out: ParsedLine[] = [];
  for (let i = 0; i < text.length; i += chunkSize) sut.push(text.slice(i, i + chunkSize), out);
  sut.end(out);
  return out;
}

// The reference: RFC 4180 written out the simple way, quoting every field that needs it.
const serialise = (rows: string[][]) => rows.map((r) => r.map((f) => (/[",\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f)).join(',')).join('\r\n');

describe(CsvParser.name, () => {
  it('reads back whatever RFC 4180 writes, in any chunking, with the line each record starts on', () => {
    const field = fc.string({ unit: fc.constantFrom('a', 'b', ' ', ',', '"', '\n', 'é', '₹') , maxLength: 6 });
    fc.assert(fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 30 }), fc.array(fc.array(field, { minLength: 4, maxLength: 4 }), { minLength: 1, maxLength: 8 }), (width, chunk, table) => {
      const rows = table.map((r) => r.slice(0, width)).filter((r) => !(r.length === 1 && r[0] === ''));
      const out = parse(serialise(rows), chunk);
      expect(out.map((o) => ('fields' in o ? o.fields : o))).toEqual(rows);
      let line = 1;
      rows.forEach((row, i) => {
        expect(out[i].line).toBe(line);
        line += 1 + row.join(',').split('\n').length - 1;
      });
    }));
  });

  it('reports an unbalanced quote on its own line and goes on with the next line', () => {
    const out = parse('a,b\n1,"unclosed\n2,ok\n3,"x"\n');
    expect(out).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, error: 'a quote is opened and never closed (unbalanced quotes)' },
      { line: 3, fields: ['2', 'ok'] },
      { line: 4, fields: ['3', 'x'] },
    ]);
  });

  it('reports an unbalanced quote at the very end of the file', () => {
    expect(parse('a,b\n1,"never closed')).toEqual([{ line: 1, fields: ['a', 'b'] }, { line: 2, error: 'a quote is opened and never closed (unbalanced quotes)' }]);
  });

  it('reports text after a closing quote and a stray quote inside a plain field', () => {
    const out = parse('a,b\n"x"y,1\nab"c,2\n');
    expect(out[1]).toEqual({ line: 2, error: 'text follows a closing quote in the same field' });
    expect(out[2]).toEqual({ line: 3, error: 'a quote appears inside an unquoted field' });
  });

  it('rejects a line over the limit without holding it, then reads on', () => {
    const huge = 'x'.repeat(50_000);
    const out = parse(`a,b\n1,${huge}\n2,"${huge}"\n3,ok\n`, 4096, 10_000);
    expect(out.map((o) => o.line)).toEqual([1, 2, 3, 4]);
    expect('error' in out[1] && out[1].error).toMatch(/characters long; the limit is 10,000 \(IMPORT_MAX_LINE_BYTES\)/);
    expect('error' in out[2]).toBe(true);
    expect(out[3]).toEqual({ line: 4, fields: ['3', 'ok'] });
  });
});
