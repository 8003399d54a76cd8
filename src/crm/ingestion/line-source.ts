import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import type { ParsedLine } from './csv-parser.js';
import { linesOf, withoutByteOrderMark, type TextLines } from './text-lines.js';
import type { FileBytes } from './stored-upload.js';
import { mayBreakTextRule } from '../text.js';

const INFLATED_CHUNK = 1 << 16;

export class FileRejected extends Error {}

export interface SourceOptions { maxLineBytes: number; maxFileBytes: number }
export interface SourceProgress { bytesRead: number; totalBytes: number }

/** Lines read from one chunk of a file; `textChecked`: no field of them can break the CRM's text rule. */
export interface LineChunk { lines: ParsedLine[]; textChecked: boolean }

/**
 * Reads a CSV or NDJSON file (gzip accepted) as numbered lines of fields, a chunk at a time, so memory stays flat
 * whatever the file's size. The header comes first. NDJSON objects are laid out under the first object's keys.
 */
export async function* readLines(file: FileBytes, options: SourceOptions, progress: SourceProgress): AsyncGenerator<LineChunk> {
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
  // Inflated 64 kB at a time: zlib's default 16 kB pieces cost the retail file 250-310 ms of CPU in 2,900 round trips
  // to the thread pool, 64 kB ones 120-190 ms. (Larger pieces cost less to inflate but more to parse: every line of
  // a piece is held until the piece is read, and young objects that live that long make collections dearer.)
  const stream = gzipped ? raw.pipe(createGunzip({ chunkSize: INFLATED_CHUNK })) : raw;
  const decoder = new StringDecoder('utf8');
  let lines: TextLines | undefined;
  // CSV fields are pieces of the text: while every chunk so far passes one scan, no field needs checking on its own.
  let textChecked = true;
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
      text = withoutByteOrderMark(text);
      if (/\u0000/.test(text.slice(0, 8192)) || text.slice(0, 8192).includes('\ufffd\ufffd\ufffd')) {
        raw.destroy();
        throw new FileRejected('This file is not CSV or NDJSON text: it holds binary data (is it a spreadsheet or an archive? Export it as CSV).');
      }
      lines = linesOf(text, options.maxLineBytes);
      textChecked = lines.fieldsAreText;
    }
    textChecked &&= !mayBreakTextRule(text);
    const out: ParsedLine[] = [];
    lines!.push(text, out);
    if (out.length) yield { lines: out, textChecked };
  }
  const out: ParsedLine[] = [];
  lines?.end(out);
  if (out.length) yield { lines: out, textChecked };
}
