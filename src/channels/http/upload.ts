import busboy from 'busboy';
import type { Request } from 'express';
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { BadInput } from './bad-input.js';

export interface Upload { path: string; fileName: string; fields: Record<string, string> }

/** Streams one multipart file to `dir` (never into memory), with the form's other fields; refuses files over `maxBytes`. */
export function receiveUpload(req: Request, dir: string, maxBytes: number): Promise<Upload> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { files: 1, fileSize: maxBytes, fields: 20, fieldSize: 64 * 1024 } });
    } catch {
      return reject(new BadInput([{ path: 'body', message: 'must be multipart/form-data with a "file" part' }]));
    }
    const fields: Record<string, string> = {};
    let saving: Promise<Upload> | undefined;
    parser.on('field', (name, value) => { fields[name] = value; });
    parser.on('file', (_name, stream, info) => {
      const fileName = info.filename?.replace(/[^\w.\- ]/g, '_').slice(-120) || 'upload';
      const path = join(dir, `${randomUUID()}-${fileName}`);
      let tooLarge = false;
      stream.on('limit', () => { tooLarge = true; });
      saving = mkdir(dir, { recursive: true })
        .then(() => pipeline(stream, createWriteStream(path)))
        .then(async () => {
          if (tooLarge) {
            await rm(path, { force: true });
            throw new BadInput([{ path: 'file', message: `is larger than ${(maxBytes / 1e6).toFixed(0)} MB (IMPORT_MAX_FILE_BYTES)` }]);
          }
          return { path, fileName, fields };
        });
      saving.catch(() => {});
    });
    parser.on('error', () => reject(new BadInput([{ path: 'body', message: 'is not a readable multipart form' }])));
    parser.on('close', () => {
      if (!saving) return reject(new BadInput([{ path: 'file', message: 'is missing: send the CSV or NDJSON file in a part named "file"' }]));
      saving.then((upload) => resolve({ ...upload, fields }), reject);
    });
    req.pipe(parser);
  });
}
