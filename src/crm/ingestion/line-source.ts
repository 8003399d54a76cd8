import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import { CsvParser, type ParsedLine } from './csv-parser.js';
import type { FileBytes } from './stored-upload.js';

export class FileRejected extends Error {}

export interface SourceOptions { maxLineBytes: number; maxFileBytes: number }
export interface SourceProgress { bytesRead: number; totalBytes: number }

/**
 * Reads a CSV or NDJSON file (gzip accepted) as numbered lines of fields, a chunk at a time, so memory stays flat
 * whatever the file's size. The header comes first. NDJSON objects are laid out under the first object's keys.
 */
export async function* readLines(file: FileBytes, options: SourceOptions, progress: SourceProgress): AsyncGenerator<ParsedLine[]> {
  const size = file.size;
  progress.totalBytes = size;
  const head = await file.head(4096);
  if (head.length === 0) throw new FileRejected('The file is empty.');
  const gzipped = head[0] === 0x1f && head[1] === 0x8b;
  if (!gzipped && size > options.maxFileBytes) {
    throw new FileRejected(`The file is ${(size / 1e6).toFixed(1)} MB; the limit is ${(options.maxFileBytes / 1e6).toFixed(0)} MB (IMPORT_MAX_FILE_BYTES).`);
  }

  const raw = file.stream();
  raw.on('data', (chunk) => { progress.bytesRead += chunk.length; });
  const stream = gzipped ? raw.pipe(createGunzip()) : raw;
  const decoder = new StringDecoder('utf8');
  let parser: CsvParser | undefined;
  let ndjson: NdjsonLines | undefined;
  let uncompressed = 0;
  let first = true;

  for await (const chunk of stream as AsyncIterable<Buffer>) {
    uncompressed += chunk.length;
    if (uncompressed > options.maxFileBytes) {
      raw.destroy();
      throw new FileRejected(`The file holds more than ${(options.maxFileBytes / 1e6).toFixed(0)} MB of text; the limit is IMPORT_MAX_FILE_BYTES.`);
    }
    let text = decoder.write(chunk);
    if (first) {
      first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // a UTF-8 byte-order mark
      if (/\u0000/.test(text.slice(0, 8192)) || text.slice(0, 8192).includes('\ufffd\ufffd\ufffd')) {
        raw.destroy();
        throw new FileRejected('This file is not CSV or NDJSON text: it holds binary data (is it a spreadsheet or an archive? Export it as CSV).');
      }
      if (/^\s*[{[]/.test(text)) ndjson = new NdjsonLines(options.maxLineBytes);
      else parser = new CsvParser({ delimiter: guessDelimiter(text), maxLineBytes: options.maxLineBytes });
    }
    const out: ParsedLine[] = [];
    (ndjson ?? parser)!.push(text, out);
    if (out.length) yield out;
  }
  const out: ParsedLine[] = [];
  (ndjson ?? parser)?.end(out);
  if (out.length) yield out;
}

function guessDelimiter(text: string) {
  const end = text.indexOf('\n');
  const header = end < 0 ? text : text.slice(0, end);
  const counts = [',', ';', '\t', '|'].map((d) => [d, header.split(d).length] as const);
  return counts.sort((a, b) => b[1] - a[1])[0][1] > 1 ? counts[0][0] : ',';
}

/** NDJSON: one JSON object per line, turned into a header (the first object's keys) and rows of fields. */
class NdjsonLines {
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
