import busboy from 'busboy';
import type { Request } from 'express';
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BadInput } from '../../crm/errors.js';

export interface Upload {
  path: string;
  fileName: string;
  fields: Record<string, string>;
  /** SHA-256 of the file's bytes: tells a retried upload from a different one under the same Idempotency-Key. */
  digest: string;
}

const incomplete = () => new BadInput([{ path: 'body', message: 'is not a complete multipart form (it ended before its closing boundary)' }]);

/**
 * Streams one multipart file to `dir` (never into memory), with the form's other fields; refuses files over
 * `maxBytes`. This is the one place multipart failures are handled: a truncated or malformed body, a client that
 * goes away, a file too large — each ends as a BadInput (or the client's abort), and the partial file is removed.
 */
export async function receiveUpload(req: Request, dir: string, maxBytes: number): Promise<Upload> {
  let parser: busboy.Busboy;
  try {
    parser = busboy({ headers: req.headers, limits: { files: 1, fileSize: maxBytes, fields: 20, fieldSize: 64 * 1024 } });
  } catch {
    throw new BadInput([{ path: 'body', message: 'must be multipart/form-data with a "file" part' }]);
  }
  await mkdir(dir, { recursive: true });

  return new Promise<Upload>((resolve, reject) => {
    const fields: Record<string, string> = {};
    let saving: Promise<Upload> | undefined;
    let file: NodeJS.ReadableStream & { destroy(error?: Error): void } | undefined;
    let settled = false;
    // Waits for the file (and its removal on failure) before answering, so nothing is left behind on disk.
    const finish = (error: unknown) => {
      if (settled) return;
      settled = true;
      req.unpipe(parser);
      file?.destroy(new Error('upload ended early'));
      (saving ?? Promise.resolve()).then(() => undefined, () => undefined).then(() => reject(error));
    };

    parser.on('field', (name, value) => { fields[name] = value; });
    parser.on('file', (_name, stream, info) => {
      const fileName = info.filename?.replace(/[^\w.\- ]/g, '_').slice(-120) || 'upload';
      const path = join(dir, `${randomUUID()}-${fileName}`);
      const hash = createHash('sha256');
      file = stream;
      let tooLarge = false;
      stream.on('limit', () => { tooLarge = true; });
      // The pipeline is attached in this same tick: a body that ends early errors the file stream, and that error
      // must have a listener or it would end the process.
      saving = pipeline(stream, new Transform({ transform(chunk, _enc, done) { hash.update(chunk); done(null, chunk); } }), createWriteStream(path))
        .then(() => {
          if (tooLarge) throw new BadInput([{ path: 'file', message: `is larger than ${(maxBytes / 1e6).toFixed(0)} MB (IMPORT_MAX_FILE_BYTES)` }]);
          return { path, fileName, fields, digest: hash.digest('hex') };
        })
        .catch(async (error) => {
          await rm(path, { force: true });
          throw error instanceof BadInput ? error : incomplete();
        });
      saving.catch(() => {});
    });
    parser.on('error', () => finish(incomplete()));
    parser.on('close', () => {
      if (settled) return;
      if (!saving) return finish(new BadInput([{ path: 'file', message: 'is missing: send the CSV or NDJSON file in a part named "file"' }]));
      settled = true;
      saving.then((upload) => resolve({ ...upload, fields }), reject);
    });
    // A client that goes away mid-upload: the parser never closes, so the request's own end settles it.
    req.on('close', () => { if (!req.complete) finish(incomplete()); });
    req.on('error', () => finish(incomplete()));
    req.pipe(parser);
  });
}
