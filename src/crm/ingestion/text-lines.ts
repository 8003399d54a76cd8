// How the text of a file becomes lines of fields, CSV or NDJSON, the same for the importer (line-source.ts) and for
// the Imports page, which reads a file's header in the browser before it is sent: no Node.js module here.
import { CsvParser, type ParsedLine } from './csv-parser.js';

export interface TextLines {
  push(text: string, out: ParsedLine[]): void;
  end(out: ParsedLine[]): void;
  /** True when every field is a piece of the text as it is (CSV); NDJSON's escapes can make characters the text lacks. */
  readonly fieldsAreText: boolean;
}

/** Text with a UTF-8 byte-order mark at its start left out. */
export const withoutByteOrderMark = (text: string) => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);

/** The reader for a file, from its first text: NDJSON when it opens with an object, CSV with its delimiter otherwise. */
export function linesOf(firstText: string, maxLineBytes: number): TextLines {
  return /^\s*[{[]/.test(firstText) ? new NdjsonLines(maxLineBytes) : new CsvParser({ delimiter: guessDelimiter(firstText), maxLineBytes });
}

/** The header an import would read from the start of a file: its first line's fields (NDJSON: the first object's keys). */
export function readHeader(firstText: string): string[] {
  const text = withoutByteOrderMark(firstText);
  const lines = linesOf(text, Number.MAX_SAFE_INTEGER);
  const out: ParsedLine[] = [];
  lines.push(text, out);
  if (!out.length) lines.end(out);
  const first = out[0];
  return first && 'fields' in first ? first.fields : [];
}

function guessDelimiter(text: string) {
  const end = text.indexOf('\n');
  const header = end < 0 ? text : text.slice(0, end);
  const counts = [',', ';', '\t', '|'].map((d) => [d, header.split(d).length] as const);
  return counts.sort((a, b) => b[1] - a[1])[0][1] > 1 ? counts[0][0] : ',';
}

/** NDJSON: one JSON object per line, turned into a header (the first object's keys) and rows of fields. */
class NdjsonLines {
  readonly fieldsAreText = false;
  private rest = '';
  private line = 0;
  private keys: string[] | null = null;

  constructor(private readonly maxLineBytes: number) {}

  push(text: string, out: ParsedLine[]) {
    const data = this.rest + text;
    let pos = 0;
    for (let nl = data.indexOf('\n'); nl >= 0; nl = data.indexOf('\n', pos)) {
      this.take(data.slice(pos, nl), out);
      pos = nl + 1;
    }
    this.rest = data.slice(pos);
    if (this.rest.length > this.maxLineBytes) {
      out.push({ line: ++this.line, error: `the line is more than ${this.maxLineBytes.toLocaleString('en')} characters long (IMPORT_MAX_LINE_BYTES)` });
      this.rest = '';
    }
  }

  end(out: ParsedLine[]) {
    if (this.rest.trim()) this.take(this.rest, out);
    this.rest = '';
  }

  private take(text: string, out: ParsedLine[]) {
    const number = ++this.line;
    if (!text.trim()) return;
    if (text.length > this.maxLineBytes) return void out.push({ line: number, error: `the line is ${text.length.toLocaleString('en')} characters long; the limit is ${this.maxLineBytes.toLocaleString('en')} (IMPORT_MAX_LINE_BYTES)` });
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return void out.push({ line: number, error: 'is not valid JSON' });
    }
    if (!value || typeof value !== 'object' || Array.isArray(value)) return void out.push({ line: number, error: 'is not a JSON object' });
    const record = value as Record<string, unknown>;
    if (!this.keys) {
      this.keys = Object.keys(record);
      out.push({ line: 0, fields: this.keys });
    }
    out.push({ line: number, fields: this.keys.map((k) => (record[k] === null || record[k] === undefined ? '' : Array.isArray(record[k]) ? (record[k] as unknown[]).join(';') : String(record[k]))) });
  }
}
