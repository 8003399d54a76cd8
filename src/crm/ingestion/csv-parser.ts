// A streaming RFC 4180 parser that knows its line numbers. Most lines have no quote and take a fast split;
// quoted fields may span lines. Problems are reported per line and parsing goes on with the next line.

export type ParsedLine = { line: number; fields: string[] } | { line: number; error: string };

export interface CsvOptions { delimiter: string; maxLineBytes: number }

export class CsvParser {
  readonly fieldsAreText = true;
  private rest = '';
  private line = 0; // lines consumed so far
  private skipping = false; // inside a line longer than the limit, discarding until its end

  constructor(private readonly options: CsvOptions) {}

  push(text: string, out: ParsedLine[]) {
    let data = this.rest + text;
    let pos = 0;
    if (this.skipping) {
      const nl = data.indexOf('\n');
      if (nl < 0) { this.rest = ''; return; }
      this.skipping = false;
      pos = nl + 1;
    }
    for (;;) {
      const nl = data.indexOf('\n', pos);
      if (nl < 0) break;
      const lineText = data.charCodeAt(nl - 1) === 13 ? data.slice(pos, nl - 1) : data.slice(pos, nl);
      if (lineText.length > this.options.maxLineBytes) {
        out.push({ line: ++this.line, error: this.tooLong(lineText.length) });
        pos = nl + 1;
        continue;
      }
      if (!lineText.includes('"')) {
        out.push({ line: ++this.line, fields: lineText.split(this.options.delimiter) });
        pos = nl + 1;
        continue;
      }
      const quoted = this.parseQuoted(data, pos, false);
      if (quoted === 'more') break;
      pos = this.emitQuoted(quoted, data, pos, nl, out);
    }
    data = data.slice(pos);
    if (data.length > this.options.maxLineBytes) {
      out.push({ line: ++this.line, error: this.tooLong(data.length, true) });
      this.skipping = true;
      data = '';
    }
    this.rest = data;
  }

  end(out: ParsedLine[]) {
    if (this.skipping) return;
    let data = this.rest;
    this.rest = '';
    let pos = 0;
    while (pos < data.length) {
      let nl = data.indexOf('\n', pos);
      if (nl < 0) { data += '\n'; nl = data.length - 1; }
      const lineText = data.slice(pos, data.charCodeAt(nl - 1) === 13 ? nl - 1 : nl);
      if (!lineText.includes('"')) {
        out.push({ line: ++this.line, fields: lineText.split(this.options.delimiter) });
        pos = nl + 1;
        continue;
      }
      const quoted = this.parseQuoted(data, pos, true);
      pos = this.emitQuoted(quoted === 'more' ? { error: 'unbalanced' } : quoted, data, pos, nl, out);
    }
  }

  private tooLong(length: number, atLeast = false) {
    return `the line is ${atLeast ? 'more than ' : ''}${length.toLocaleString('en')} characters long; the limit is ${this.options.maxLineBytes.toLocaleString('en')} (IMPORT_MAX_LINE_BYTES)`;
  }

  /** A quoted record that spans lines and then goes wrong was most likely a quote left open: report its first line, resume after it. */
  private emitQuoted(result: QuotedResult, data: string, pos: number, firstNl: number, out: ParsedLine[]): number {
    if ('error' in result) {
      const openQuote = result.error === 'unbalanced' || (result.end ?? 0) > firstNl;
      out.push({ line: ++this.line, error: openQuote ? 'a quote is opened and never closed (unbalanced quotes)' : result.error });
      return firstNl + 1;
    }
    out.push({ line: ++this.line, fields: result.fields });
    this.line += result.extraLines;
    return result.end;
  }

  private parseQuoted(data: string, start: number, final: boolean): QuotedResult | 'more' {
    const d = this.options.delimiter;
    const fields: string[] = [];
    let pos = start;
    let extraLines = 0;
    for (;;) {
      if (data[pos] === '"') {
        let value = '';
        let from = pos + 1;
        for (;;) {
          const q = data.indexOf('"', from);
          if (q < 0 || q - start > this.options.maxLineBytes) {
            if (!final && q < 0 && data.length - start <= this.options.maxLineBytes) return 'more';
            return { error: 'unbalanced' };
          }
          value += data.slice(from, q);
          if (data[q + 1] === '"') { value += '"'; from = q + 2; continue; }
          pos = q + 1;
          break;
        }
        for (let i = value.indexOf('\n'); i >= 0; i = value.indexOf('\n', i + 1)) extraLines++;
        fields.push(value);
      } else {
        let end = pos;
        while (end < data.length && data[end] !== d && data[end] !== '\n' && data[end] !== '\r') end++;
        const value = data.slice(pos, end);
        if (value.includes('"')) return { error: 'a quote appears inside an unquoted field', end };
        fields.push(value);
        pos = end;
      }
      if (pos >= data.length) return final ? { fields, end: pos, extraLines } : 'more';
      const c = data[pos];
      if (c === d) { pos++; continue; }
      if (c === '\r' && data[pos + 1] === '\n') return { fields, end: pos + 2, extraLines };
      if (c === '\n') return { fields, end: pos + 1, extraLines };
      if (c === '\r') { if (pos + 1 >= data.length && !final) return 'more'; return { fields, end: pos + 1, extraLines }; }
      return { error: 'text follows a closing quote in the same field', end: pos };
    }
  }
}

type QuotedResult = { fields: string[]; end: number; extraLines: number } | { error: string; end?: number };
