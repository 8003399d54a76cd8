import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rm, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { Sql } from '../../db/sql.js';

const CHUNK = 1 << 20;
const PREFIX = 'upload:';

/** Where an import's file is: a path on this machine (a CLI import), or an upload kept in the database. */
export const isStoredUpload = (path: string) => path.startsWith(PREFIX);

/**
 * Moves a received file into the database, in 1 MB chunks, and removes it from this machine's disk. Returns the
 * reference an import keeps instead of a path.
 */
export async function storeUpload(sql: Sql, path: string): Promise<string> {
  const id = randomUUID();
  let seq = 0;
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: CHUNK })) {
      await sql.query(`insert into upload_chunks (upload_id, seq, bytes) values ($1, $2, $3)`, [id, seq++, chunk]);
    }
  } catch (error) {
    await sql.query(`delete from upload_chunks where upload_id = $1`, [id]);
    throw error;
  } finally {
    await rm(path, { force: true });
  }
  return `${PREFIX}${id}`;
}

/** Forgets an upload (or removes a file this process received) once nothing will read it again. */
export async function removeUpload(sql: Sql, path: string) {
  if (isStoredUpload(path)) await sql.query(`delete from upload_chunks where upload_id = $1`, [path.slice(PREFIX.length)]);
  else await rm(path, { force: true });
}

/** An import's bytes, wherever they are: their size, their first bytes, and a stream of all of them. */
export interface FileBytes {
  size: number;
  head(bytes: number): Promise<Buffer>;
  stream(): Readable;
}

export async function fileBytes(sql: Sql, path: string): Promise<FileBytes> {
  if (!isStoredUpload(path)) {
    const { size } = await stat(path);
    return {
      size,
      async head(bytes) {
        const buffer = Buffer.alloc(bytes);
        const handle = await open(path, 'r');
        const { bytesRead } = await handle.read(buffer, 0, bytes, 0).finally(() => handle.close());
        return buffer.subarray(0, bytesRead);
      },
      stream: () => createReadStream(path, { highWaterMark: CHUNK }),
    };
  }
  const id = path.slice(PREFIX.length);
  const [{ size, chunks }] = await sql.rows<{ size: string | null; chunks: number }>(`select sum(length(bytes)) as size, count(*)::int as chunks from upload_chunks where upload_id = $1`, [id]);
  const chunkAt = async (seq: number) => (await sql.rows<{ bytes: Buffer }>(`select bytes from upload_chunks where upload_id = $1 and seq = $2`, [id, seq]))[0]?.bytes ?? Buffer.alloc(0);
  return {
    size: Number(size ?? 0),
    head: async (bytes) => (chunks ? (await chunkAt(0)).subarray(0, bytes) : Buffer.alloc(0)),
    // One chunk in memory at a time, read as the import asks for it.
    stream: () => Readable.from((async function* () {
      for (let seq = 0; seq < chunks; seq++) yield await chunkAt(seq);
    })(), { objectMode: false, highWaterMark: CHUNK }),
  };
}
